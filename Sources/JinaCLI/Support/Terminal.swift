import Foundation

/// Facts about where output goes: colour only on a terminal, and never with NO_COLOR.
enum Terminal {
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    static func useColour(on fd: Int32) -> Bool {
        let env = ProcessInfo.processInfo.environment
        return isTerminal(fd) && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
    }

    /// Writes text to stderr as is (logs and summaries; stdout is for results).
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
