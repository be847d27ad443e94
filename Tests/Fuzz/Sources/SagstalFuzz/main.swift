// SwiftPM gives every executable a `main` (the module's entry point, `--defsym main=…`), which
// hides libFuzzer's own main; so start libFuzzer's driver here with the harness callback.
import CFuzzerDriver
import Foundation

fuzzInitialize()
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, { data, size in fuzzTestOneInput(data, size) }))
