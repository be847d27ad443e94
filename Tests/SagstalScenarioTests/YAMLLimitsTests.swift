import Foundation
import Testing
@testable import SagstalScenario

/// Issue 9, rows 1 and 2: YAML nested thousands of levels deep overflowed the stack
/// (SIGSEGV), and a 0.5 KB "billion laughs" file made `validate` eat more than 8 GB.
/// Both are refused before any recursion or expansion can get far.
@Suite struct YAMLLimitsTests {
    static func deepFlow(_ depth: Int) -> String {
        "name: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
    }

    static func deepBlockMap(_ depth: Int) -> String {
        (0..<depth).map { String(repeating: " ", count: $0) + "a:\n" }.joined() + String(repeating: " ", count: depth) + "1\n"
    }

    static func deepDashes(_ depth: Int) -> String {
        "name:\n" + String(repeating: "- ", count: depth) + "x\n"
    }

    /// 8 anchors, each a list of 10 aliases of the previous one: 10⁸ values expanded.
    static let billionLaughs: String = {
        var s = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...8 { s += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        return s
    }()

    static func isDepthError(_ d: [Diagnostic]) -> Bool {
        d.count == 1 && d[0].message.contains("nested more than \(YAMLLimits.maxDepth) levels")
    }

    @Test(arguments: [3_000, 100_000])
    func deepFlowIsRefusedAtItsPlace(_ depth: Int) {
        let d = diagnostics(Self.deepFlow(depth))
        #expect(Self.isDepthError(d), "\(d.map(\.description))")
        // Located on line 1, within the brackets, not at the start of the file.
        #expect(d.first?.line == 1 && (d.first?.column ?? 0) > 7)
    }

    @Test func deepBlockMapIsRefused() {
        let d = diagnostics(Self.deepBlockMap(300))
        #expect(Self.isDepthError(d), "\(d.map(\.description))")
        #expect((d.first?.line ?? 0) > 1)
    }

    @Test(arguments: [3_000, 100_000])
    func deepInlineListsAreRefused(_ depth: Int) {
        let d = diagnostics(Self.deepDashes(depth))
        #expect(Self.isDepthError(d), "\(d.map(\.description))")
        #expect(d.first?.line == 2)
    }

    @Test func deepNestingInASetValueIsRefusedAtTheOverride() {
        let value = String(repeating: "[", count: 3_000) + String(repeating: "]", count: 3_000)
        let d = diagnostics(minimalYAML, overrides: ["name=" + value])
        #expect(Self.isDepthError(d), "\(d.map(\.description))")
        #expect(d.first?.file == Overrides.fileName)
    }

    /// Just within the exact limit: the YAML is read (and then refused for what it says,
    /// an unknown key, not for its shape).
    @Test func nestingWithinTheLimitIsRead() {
        let depth = YAMLLimits.maxDepth - 1
        for yaml in [Self.deepFlow(depth), Self.deepBlockMap(depth - 1), Self.deepDashes(depth - 1)] {
            let d = diagnostics(minimalYAML + yaml)
            #expect(!d.isEmpty)
            #expect(!d.contains(where: { $0.message.contains("nested more than") }), "\(d.map(\.description))")
        }
    }

    /// One level beyond the exact limit is refused, by the converter if not by the pre-scan.
    @Test func oneLevelBeyondTheLimitIsRefused() {
        let d = diagnostics(Self.deepFlow(YAMLLimits.maxDepth + 1))
        #expect(Self.isDepthError(d), "\(d.map(\.description))")
    }

    /// Brackets, dashes and deep indentation inside quotes, comments and block scalars
    /// are text, not nesting: the pre-scan must not count them.
    @Test func textThatLooksNestedIsNotCounted() {
        let brackets = String(repeating: "[", count: 200)
        let yaml = minimalYAML + """
            name: "\(brackets) - - - {"
            description: '\(brackets) it''s text'
            # \(brackets)
            notes: |
            \((0..<100).map { String(repeating: " ", count: $0 + 2) + "- [\(brackets)" }.joined(separator: "\n"))
            """ + "\n"
        let d = diagnostics(yaml)
        #expect(!d.contains(where: { $0.message.contains("nested more than") }), "\(d.map(\.description))")
    }

    /// Every shipped scenario is far within the limits.
    @Test func shippedScenariosAreWithinTheLimits() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Scenarios")
        let files = try FileManager.default.subpathsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 10)
        for f in files {
            let text = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
            #expect(YAMLLimits.nestingExceeds(16, in: text) == nil, "\(f)")
        }
    }

    @Test func billionLaughsIsRefusedQuickly() {
        let d = diagnostics(Self.billionLaughs)
        #expect(d.count == 1, "\(d.map(\.description))")
        #expect(d.first?.message.contains("more than \(YAMLLimits.maxNodes) values") == true)
    }

    /// Aliases used a reasonable number of times are fine.
    @Test func modestAliasesAreExpanded() throws {
        let yaml = """
            ladder:
              - id: prevention
                duration: &d {dist: gamma, mean: 100, sd: 50}
              - id: foster
                duration: *d
            teams:
              - id: east
                caseworkers: 2
                cap: 20
            """ + "\n"
        #expect(diagnostics(yaml).isEmpty)
    }

    @Test func aFileLargerThanTheLimitIsRefusedWithoutReadingItAll() throws {
        let dir = try TempDir()
        defer { dir.cleanUp() }
        let path = try dir.write("big.yaml", "# " + String(repeating: "x", count: YAMLLimits.maxBytes) + "\n")
        let d = diagnostics(path: path)
        #expect(d.count == 1 && d[0].message.contains("larger than 4 MiB"), "\(d.map(\.description))")
    }

    @Test func anEndlessDeviceIsRefused() {
        let d = diagnostics(path: "/dev/zero")
        #expect(d.count == 1 && d[0].message.contains("larger than"), "\(d.map(\.description))")
    }
}
