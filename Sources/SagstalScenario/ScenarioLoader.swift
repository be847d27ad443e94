import Foundation

/// Reads scenario files (MODEL.md §7) into validated `Scenario` values.
///
/// The pipeline is: parse the file (keeping every node's file, line and column) →
/// resolve the `extends` chain and deep-merge → apply `--set` overrides → fill
/// defaults and validate. Every problem found on the way is collected; nothing
/// stops at the first one, so the user can fix a file in one go.
///
/// `extends: other.yaml` names a file relative to the extending file's directory
/// (absolute paths are allowed). The extending file is laid over the other: maps merge
/// key by key, lists and scalars replace. A distribution written as a map with a `dist`
/// key is one value and replaces the base distribution whole; a map without `dist`
/// (such as `{sd: 20}`) adjusts parameters of the base one. `outreach: ~` in an
/// extending file switches off the base file's outreach.
public enum ScenarioLoader {
    /// The GSL generators named in the message for an unknown `simulation.generator`; the same
    /// list as `GSL.supportedGenerators`, which decides (this module does not link GSL; a runner
    /// test checks that the two lists agree).
    public static let supportedGenerators = [
        "mt19937", "mt19937_1999", "mt19937_1998", "ranlxs0", "ranlxs1", "ranlxs2", "ranlxd1", "ranlxd2",
        "ranlux", "ranlux389", "cmrg", "mrg", "taus", "taus2", "taus113", "gfsr4",
    ]

    /// Loads a scenario file.
    ///
    /// - Parameters:
    ///   - path: The scenario file, as given by the user (diagnostics repeat it).
    ///   - overrides: `path=value` strings from `--set`, applied in order after the
    ///     `extends` merge; the value is parsed as YAML. See `sagstal run --help`.
    ///   - generatorExists: Whether a GSL generator name exists; the CLI passes a GSL
    ///     lookup. The default accepts every name.
    /// - Returns: The validated scenario and the files it was read from, in merge order
    ///   (the deepest base first, `path` last).
    /// - Throws: `ScenarioError` with every problem found, located in the file (or
    ///   `<--set>` override) where it was written.
    public static func load(path: String, overrides: [String] = [],
                            generatorExists: (String) -> Bool = { _ in true }) throws -> LoadedScenario {
        var sink = DiagnosticSink()
        var files: [String] = []
        var texts: [String: SourceFile] = [:]
        var tree: YNode?
        if let text = readFile(path, &sink, at: nil, keyPath: "") {
            var resolver = ExtendsResolver()
            tree = resolver.resolve(text: text, file: path, directory: directory(of: path),
                                    chain: [ChainLink(key: canonicalPath(path), display: path)], &sink)
            files = resolver.files
            texts = resolver.sources
        }
        return try finish(tree, defaultName: baseName(path), files: files, texts: texts, rootFile: path, overrides: overrides,
                          generatorExists: generatorExists, &sink)
    }

    /// Loads a scenario from YAML text (for tests and tools).
    ///
    /// - Parameters:
    ///   - yaml: The scenario text.
    ///   - file: The name used in diagnostics and for the default scenario name.
    ///   - overrides: `path=value` strings, as for `load(path:overrides:generatorExists:)`.
    ///   - generatorExists: Whether a GSL generator name exists.
    /// - Returns: The validated scenario; `sourceFiles` lists the files `extends` named
    ///   (resolved relative to the current directory), then `file`.
    /// - Throws: `ScenarioError` with every problem found.
    public static func load(yaml: String, file: String = "<string>", overrides: [String] = [],
                            generatorExists: (String) -> Bool = { _ in true }) throws -> LoadedScenario {
        var sink = DiagnosticSink()
        var resolver = ExtendsResolver()
        let tree = resolver.resolve(text: yaml, file: file, directory: "", chain: [], &sink)
        return try finish(tree, defaultName: baseName(file), files: resolver.files, texts: resolver.sources, rootFile: file,
                          overrides: overrides, generatorExists: generatorExists, &sink)
    }

    private static func finish(_ tree: YNode?, defaultName: String, files: [String], texts: [String: SourceFile], rootFile: String,
                               overrides: [String], generatorExists: (String) -> Bool,
                               _ sink: inout DiagnosticSink) throws -> LoadedScenario {
        // Diagnostics are listed with the loaded file first, then the files it extends.
        let fileOrder = [rootFile] + files.reversed()
        // Without a tree (unreadable file, syntax error, broken extends) there is nothing
        // to validate; otherwise go on, so that e.g. a duplicate key and a bad value are
        // reported together.
        guard var tree else {
            throw ScenarioError(diagnostics: sink.sorted(fileOrder: fileOrder))
        }
        Overrides.apply(overrides, to: &tree, &sink)
        let (scenario, problems) = Validator.build(tree, defaultName: defaultName, generatorExists: generatorExists)
        sink.merge(problems)
        guard let scenario, sink.isEmpty else {
            throw ScenarioError(diagnostics: sink.sorted(fileOrder: fileOrder))
        }
        return LoadedScenario(scenario: scenario, sourceFiles: files,
                              warnings: Plausibility.warnings(scenario, tree: tree, fileOrder: fileOrder),
                              sources: Provenance.sources(scenario, tree: tree, files: texts, overrides: overrides),
                              overrides: overrides)
    }

    // MARK: Files and paths

    /// Reads a UTF-8 text file; reports a missing, unreadable or non-text file at `at`
    /// (the `extends` value naming it) or at the file itself (line 0: no position; a missing
    /// file gets the nearest YAML file name in its folder as a suggestion).
    static func readFile(_ path: String, _ sink: inout DiagnosticSink, at: SourcePosition?, keyPath: String,
                         namedAs: String? = nil) -> String? {
        let here = at ?? SourcePosition(file: path, line: 0, column: 0)
        let what = namedAs.map { "the file '\($0)' named by extends" } ?? "the scenario file"
        let shown = namedAs != nil && namedAs != path ? " (looked for \(path))" : ""
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let url = URL(fileURLWithPath: path)
            let folder = url.deletingLastPathComponent()
            let siblings = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            let near = Suggest.closest(to: url.lastPathComponent, in: siblings).map { name in
                "did you mean " + (path.contains("/") ? (path as NSString).deletingLastPathComponent + "/" + name : name) + "?"
            }
            sink.error(here, keyPath, "\(what) does not exist\(shown)", suggestion: near)
            return nil
        }
        if isDirectory.boolValue {
            sink.error(here, keyPath, "\(what) is a directory, not a YAML file\(shown)")
            return nil
        }
        // Read at most one byte more than the limit, so that a device like /dev/zero or
        // an endless pipe cannot exhaust memory.
        guard let handle = FileHandle(forReadingAtPath: path),
              let data = try? handle.read(upToCount: YAMLLimits.maxBytes + 1) ?? Data() else {
            sink.error(here, keyPath, "\(what) cannot be read (check its permissions)\(shown)")
            return nil
        }
        try? handle.close()
        if data.count > YAMLLimits.maxBytes {
            sink.error(here, keyPath, "\(what) is larger than \(YAMLLimits.maxBytes / (1 << 20)) MiB, the most a scenario file may be (a scenario is a few kilobytes)\(shown)")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            sink.error(here, keyPath, "\(what) is not UTF-8 text\(shown)")
            return nil
        }
        return text
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The file name without directory and extension: `Scenarios/example.yaml` → `example`.
    static func baseName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }

    /// `directory` joined with `relative`, with `.` and `x/..` removed lexically;
    /// absolute `relative` paths are kept.
    static func join(_ directory: String, _ relative: String) -> String {
        let combined = relative.hasPrefix("/") || directory.isEmpty ? relative : directory + "/" + relative
        return normalize(combined)
    }

    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            if part == "..", absolute { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// An absolute path with symbolic links resolved, to recognise one file under two names.
    static func canonicalPath(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: normalize(absolute)).resolvingSymlinksInPath().path
    }
}

struct ChainLink {
    var key: String
    var display: String
}

/// Follows `extends` chains, merging each file over the one it extends.
struct ExtendsResolver {
    /// Files in merge order (deepest base first).
    var files: [String] = []
    /// Each file's text, own tree and comments, by file name (for ``Provenance``).
    var sources: [String: SourceFile] = [:]

    mutating func resolve(text: String, file: String, directory: String, chain: [ChainLink],
                          _ sink: inout DiagnosticSink) -> YNode? {
        guard let parsed = YAMLTree.parse(text, file: file, &sink) else { return nil }
        let checked = YAMLTree.checkDuplicateKeys(parsed, path: "", &sink)
        sources[file] = SourceFile(text: text, tree: checked, comments: CommentScanner(text))
        var root: YMap
        switch checked {
        case .map(let m):
            root = m
        case .scalar(let s) where s.isNull:
            root = YMap(entries: [], loc: s.loc)
        default:
            sink.error(checked.loc, "", "expected a scenario: a map of keys (name, simulation, ladder, teams, …), found \(checked.found)")
            return nil
        }
        guard let extends = root.remove("extends") else {
            files.append(file)
            return .map(root)
        }
        let valueLoc = extends.value.loc
        guard let s = extends.value.scalar, !s.isNull, [.string, .other].contains(s.kind),
              !s.text.trimmingCharacters(in: .whitespaces).isEmpty else {
            sink.error(valueLoc, "extends", "expected the path of the scenario file to extend (like base/denmark.yaml), found \(extends.value.found)")
            return nil
        }
        let basePath = ScenarioLoader.join(directory, s.text)
        let key = ScenarioLoader.canonicalPath(basePath)
        if let i = chain.firstIndex(where: { $0.key == key }) {
            let cycle = (chain[i...].map(\.display) + [basePath]).joined(separator: " → ")
            sink.error(valueLoc, "extends", "extends makes a cycle: \(cycle)")
            return nil
        }
        guard let baseText = ScenarioLoader.readFile(basePath, &sink, at: valueLoc, keyPath: "extends", namedAs: s.text) else {
            return nil
        }
        guard let base = resolve(text: baseText, file: basePath, directory: ScenarioLoader.directory(of: basePath),
                                 chain: chain + [ChainLink(key: key, display: basePath)], &sink) else {
            return nil
        }
        files.append(file)
        return YAMLTree.merge(base, .map(root))
    }
}
