import Foundation

/// The Flow's log on stderr: one line per event, text or JSON (`--log-format`).
public enum Log {
    public enum Format: String, Sendable, CaseIterable { case text, json }

    nonisolated(unsafe) public static var format: Format = .text
    nonisolated(unsafe) public static var quiet = false
    nonisolated(unsafe) public static var verbose = false
    private static let lock = NSLock()

    public static func info(_ message: String) { write("info", "flow", message) }
    public static func warning(_ message: String) { write("warning", "flow", message) }
    public static func error(_ message: String) { write("error", "flow", message) }
    public static func debug(_ message: String) { if verbose { write("debug", "flow", message) } }

    /// A line an executor wrote to its stderr, prefixed with its name.
    public static func executor(_ label: String, _ line: String) { write("executor", label, line) }

    static func write(_ level: String, _ source: String, _ message: String) {
        if quiet && level != "error" && level != "executor" { return }
        let line: String
        switch format {
        case .text:
            line = level == "executor" ? "\(source) | \(message)\n" : (level == "info" ? "\(message)\n" : "\(level): \(message)\n")
        case .json:
            let escaped = { (s: String) in s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") }
            line = "{\"level\":\"\(level)\",\"source\":\"\(escaped(source))\",\"message\":\"\(escaped(message))\"}\n"
        }
        lock.withLock { FileHandle.standardError.write(Data(line.utf8)) }
    }
}
