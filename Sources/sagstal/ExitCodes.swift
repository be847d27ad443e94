import ArgumentParser

/// Every exit code of sagstal, BSD sysexits(3) where one fits (README "Exit codes",
/// docs/outputs-and-exit-codes.md, and the top-level --help).
enum SagstalExit: Int32, CaseIterable {
    /// Everything was written.
    case success = 0
    /// EX_USAGE: a bad command-line option or argument. ArgumentParser's own code for
    /// validation errors (`ValidationError`, an unknown or malformed option).
    case usage = 64
    /// EX_DATAERR: the scenario file (or an override) does not validate.
    case invalidScenario = 65
    /// EX_NOINPUT: a scenario file given on the command line does not exist or cannot be read.
    case missingInput = 66
    /// EX_SOFTWARE: an unexpected internal error (one line on stderr).
    case internalError = 70
    /// EX_CANTCREAT: the output folder cannot be created or replaced, or it holds a different run
    /// and `--force` was not given (checked before simulating).
    case cannotCreateOutput = 73
    /// EX_IOERR: writing the outputs failed (disk full, …); the output folder is left as it was.
    case ioError = 74
    /// 128 + SIGINT: interrupted with Ctrl-C; the output folder is left as it was.
    case interrupted = 130
    /// 128 + SIGTERM: terminated; the output folder is left as it was.
    case terminated = 143

    var exitCode: ExitCode { ExitCode(rawValue) }

    var meaning: String {
        switch self {
        case .success: return "success"
        case .usage: return "bad command-line usage (unknown option, bad option value)"
        case .invalidScenario: return "the scenario does not validate (every problem is listed), warnings with --strict, a run too large without --force, or simulated time that stops advancing"
        case .missingInput: return "a scenario file does not exist or cannot be read"
        case .internalError: return "internal error (please report it)"
        case .cannotCreateOutput: return "the output folder cannot be created or replaced, or holds a different run (without --force; nothing was simulated)"
        case .ioError: return "writing the outputs failed; the output folder is left as it was"
        case .interrupted: return "interrupted (SIGINT, Ctrl-C); the output folder is left as it was"
        case .terminated: return "terminated (SIGTERM); the output folder is left as it was"
        }
    }

    /// The table of the top-level --help.
    static var helpTable: String {
        allCases.map { "  \(String($0.rawValue).padding(toLength: 5, withPad: " ", startingAt: 0))\($0.meaning)" }
            .joined(separator: "\n")
    }
}
