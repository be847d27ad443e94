import Foundation

/// Command-line overrides, `--set path=value`, applied to the merged tree before
/// defaults and validation.
///
/// A path is dotted: map keys (`simulation.seed`), list indices (`teams.0.cap`) or list
/// items by `id` (`teams.varige-spor.cap`, `ladder.foster.costPerYear`). An all-digit
/// segment is an index. The value is parsed as YAML (`25`, `[1, 1, 2]`, `{workers: 2}`)
/// and replaces whatever was at the path. A key the file lacks may be set when the
/// scenario format knows it (`outreach.workers=2` creates `outreach`).
///
/// Problems are located in the override text: file `<--set>`, line 1, and the column
/// of the offending character, counted from 1 at the start of the override.
enum Overrides {
    static let fileName = "<--set>"

    struct Segment {
        var text: String
        var column: Int
    }

    static func apply(_ overrides: [String], to root: inout YNode, _ sink: inout DiagnosticSink) {
        for (index, text) in overrides.enumerated() {
            apply(text, order: index, to: &root, &sink)
        }
    }

    static func apply(_ text: String, order: Int, to root: inout YNode, _ sink: inout DiagnosticSink) {
        func location(_ column: Int) -> SourcePosition {
            SourcePosition(file: fileName, line: 1, column: column, order: order)
        }
        let scalars = Array(text.unicodeScalars)
        guard let eq = scalars.firstIndex(of: "=") else {
            sink.error(location(1), "", "expected path=value (like teams.0.cap=25), found '\(YNode.abbreviated(text))' with no '='")
            return
        }
        let pathText = String(String.UnicodeScalarView(scalars[..<eq]))
        let valueText = String(String.UnicodeScalarView(scalars[(eq + 1)...]))
        if pathText.trimmingCharacters(in: .whitespaces).isEmpty {
            sink.error(location(1), "", "expected a key path before '=' (like teams.0.cap=25), found nothing")
            return
        }
        var segments: [Segment] = []
        var start = 0
        for i in 0...eq {
            if i == eq || scalars[i] == "." {
                // Spaces around a part (`teams.0.cap = 25`) are not part of the key.
                let raw = String(String.UnicodeScalarView(scalars[start..<i]))
                let segText = raw.trimmingCharacters(in: .whitespaces)
                let leading = raw.unicodeScalars.prefix(while: { $0 == " " || $0 == "\t" }).count
                if segText.isEmpty {
                    sink.error(location(start + 1), pathText, "the key path '\(pathText)' has an empty part; parts are separated by single dots, like teams.0.cap")
                    return
                }
                segments.append(Segment(text: segText, column: start + 1 + leading))
                start = i + 1
            }
        }
        var local = DiagnosticSink()
        guard let parsed = YAMLTree.parse(valueText, file: fileName, columnOffset: eq + 1,
                                           endColumn: scalars.count + 1, order: order, &local) else {
            // Re-label the syntax error with the path it belongs to.
            for e in local.entries {
                var d = e.diagnostic
                d.keyPath = pathText
                sink.add(d, order: order)
            }
            return
        }
        sink.merge(local)
        let value = YAMLTree.checkDuplicateKeys(parsed, path: pathText, &sink)
        if let updated = set(root, at: segments[...], shape: .scenario, path: "", value: value, order: order, &sink) {
            root = updated
        }
    }

    /// Returns `node` with `value` placed at `segments`, or nil after reporting why
    /// the path does not exist.
    static func set(_ node: YNode?, at segments: ArraySlice<Segment>, shape: Shape, path: String,
                    value: YNode, order: Int, _ sink: inout DiagnosticSink) -> YNode? {
        guard let seg = segments.first else { return value }
        let here = SourcePosition(file: fileName, line: 1, column: seg.column, order: order)
        let segPath = YAMLTree.join(path, seg.text)
        let rest = segments.dropFirst()
        switch shape {
        case .leaf:
            sink.error(here, segPath, "'\(path)' is a single value, so it has no part '\(seg.text)'")
            return nil

        case .record, .table:
            let childShape: Shape
            if case .record(let fields) = shape {
                guard let field = fields.first(where: { $0.0 == seg.text }) else {
                    let within = path.isEmpty ? "at the top level of the scenario" : "in \(path)"
                    var suggestion = Suggest.didYouMean(seg.text, fields.map(\.0))
                    if suggestion == nil, path.isEmpty, let elsewhere = Shape.sectionPath(for: seg.text) {
                        suggestion = "did you mean '\(elsewhere)'?"
                    }
                    let allowed = suggestion == nil ? " (known keys: \(fields.map(\.0).joined(separator: ", ")))" : ""
                    sink.error(here, segPath, "unknown key '\(seg.text)' \(within)\(allowed)", suggestion: suggestion)
                    return nil
                }
                childShape = field.1
            } else if case .table(let element) = shape {
                childShape = element
            } else {
                childShape = .leaf
            }
            var map: YMap
            switch node {
            case nil:
                map = YMap(entries: [], loc: here)
            case .map(let m)?:
                map = m
            case .scalar(let s)? where s.isNull:
                map = YMap(entries: [], loc: here)
            case let other?:
                sink.error(here, segPath,
                           "'\(path)' is \(other.found), not a map, so it has no key '\(seg.text)'; set the whole value instead, like \(path)={…}")
                return nil
            }
            guard let child = set(map[seg.text], at: rest, shape: childShape, path: segPath, value: value, order: order, &sink) else {
                return nil
            }
            map.set(seg.text, keyLoc: here, to: child)
            return .map(map)

        case .list(let element):
            guard case .seq(var seq)? = node else {
                if node == nil || node?.isNull == true {
                    sink.error(here, segPath, "'\(path)' has no items; set the whole list instead, like \(path)=[…]")
                } else if let node {
                    sink.error(here, segPath, "'\(path)' is \(node.found), not a list, so it has no item '\(seg.text)'")
                }
                return nil
            }
            let index: Int
            if seg.text.allSatisfy({ $0.isASCII && $0.isNumber }) {
                guard let i = Int(seg.text), i < seq.items.count else {
                    let n = seq.items.count
                    let has = n == 0 ? "it has no items" : "it has \(n) item\(n == 1 ? "" : "s"), numbered 0 to \(n - 1)"
                    sink.error(here, segPath, "index \(seg.text) is out of range for '\(path)': \(has)")
                    return nil
                }
                index = i
            } else {
                let ids = seq.items.map(YAMLTree.idText)
                guard let i = ids.firstIndex(of: seg.text) else {
                    let known = ids.compactMap { $0 }.uniqued
                    let listed = known.isEmpty ? "" : " (ids: \(known.joined(separator: ", ")))"
                    sink.error(here, segPath, "no item of '\(path)' has the id '\(seg.text)'\(listed)",
                               suggestion: Suggest.didYouMean(seg.text, known))
                    return nil
                }
                index = i
            }
            guard let child = set(seq.items[index], at: rest, shape: element, path: segPath, value: value, order: order, &sink) else {
                return nil
            }
            seq.items[index] = child
            return .seq(seq)
        }
    }
}
