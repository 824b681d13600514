import Foundation
import JinaConfig
import JinaWire

/// Where output goes and what the command says there. Colour only on a terminal, never with
/// NO_COLOR, and never in JSON log lines. The command's own messages go to stderr (stdout is for
/// results): a line for people, or one JSON log line with `--log-format json`, at the level the
/// caller gives, never one read from the text; `--quiet` keeps errors only.
enum Terminal {
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    static func useColour(on fd: Int32) -> Bool {
        let env = ProcessInfo.processInfo.environment
        // A JSON log line's `msg` is text for tools, not a terminal's escape codes.
        if fd == STDERR_FILENO && Log.format == .json { return false }
        return isTerminal(fd) && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
    }

    /// `error: message`.
    static func error(_ message: String) { Log.error(message) }

    /// `warning: message`.
    static func warning(_ message: String) { Log.warning(message) }

    /// A line as is: a hint, a summary, what was written where.
    static func say(_ line: String, level: Log.Level = .info) { Log.line(level, line) }

    /// A diagnostic as lint prints it (`file:line:col: error: …`), at its severity.
    static func show(_ diagnostic: Diagnostic, _ printer: DiagnosticPrinter? = nil) {
        let level: Log.Level = switch diagnostic.severity {
        case .error: .error
        case .warning: .warning
        case .note: .info
        }
        Log.line(level, printer?.line(diagnostic) ?? diagnostic.formatted)
    }
}
