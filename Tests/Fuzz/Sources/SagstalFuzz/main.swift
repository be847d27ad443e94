// SwiftPM gives every executable a `main` (the module's entry point, `--defsym main=…`), which
// hides libFuzzer's own main; so start libFuzzer's driver here with the harness callback.
//
// The harness changes the current directory to Scenarios/ before the first input (so that
// `extends: base/denmark.yaml` resolves); relative paths on the command line (corpus folders,
// -dict=, -artifact_prefix=, …) are made absolute first so that they keep naming what the user meant.
import CFuzzerDriver
import Foundation

let pathFlags = ["-dict=", "-artifact_prefix=", "-exact_artifact_path=", "-merge_control_file=",
                 "-features_dir=", "-stop_file=", "-mutation_graph_file="]
let cwd = FileManager.default.currentDirectoryPath
func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : cwd + "/" + path }

var arguments = CommandLine.arguments
for i in arguments.indices.dropFirst() {
    let a = arguments[i]
    if !a.hasPrefix("-") {
        arguments[i] = absolute(a)
    } else if let flag = pathFlags.first(where: { a.hasPrefix($0) }) {
        arguments[i] = flag + absolute(String(a.dropFirst(flag.count)))
    }
}
var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
var argc = Int32(arguments.count)
exit(cArguments.withUnsafeMutableBufferPointer { buffer -> Int32 in
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
    return LLVMFuzzerRunDriver(&argc, &argv, { data, size in fuzzTestOneInput(data, size) })
})
