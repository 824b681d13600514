import Foundation
import JinaWire

/// Facts about where output goes: colour only on a terminal, and never with NO_COLOR.
enum Terminal {
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    static func useColour(on fd: Int32) -> Bool {
        let env = ProcessInfo.processInfo.environment
        return isTerminal(fd) && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
    }

    /// Writes a message to stderr (logs and summaries; stdout is for results): as is, or as a
    /// JSON log line with `--log-format json`; with `--quiet`, errors only.
    static func printError(_ text: String) {
        Log.message(text)
    }
}
