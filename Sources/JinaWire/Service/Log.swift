#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The one log of a `jina` process, on stderr (stdout carries results): text for people, or one
/// JSON object per line for tools (`--log-format json`): `ts` (RFC 3339, UTC), `level`, `msg`,
/// and `executor` / `request_id` where there is one. The Flow's events, the lines executors write
/// to their stderr, the gateway's swift-log records and the command's own messages all come here.
public enum Log {
    public enum Format: String, Sendable, CaseIterable { case text, json }
    public enum Level: String, Sendable, Comparable {
        case debug, info, warning, error
        var rank: Int { switch self { case .debug: 0; case .info: 1; case .warning: 2; case .error: 3 } }
        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
    }

    nonisolated(unsafe) public static var format: Format = .text
    /// Errors only (and what executors write, which is theirs to say).
    nonisolated(unsafe) public static var quiet = false
    /// Debug lines too.
    nonisolated(unsafe) public static var verbose = false
    private static let lock = Mutex(())

    public static func info(_ message: String) { emit(.info, message) }
    public static func warning(_ message: String) { emit(.warning, message) }
    public static func error(_ message: String) { emit(.error, message) }
    public static func debug(_ message: String) { emit(.debug, message) }

    /// A line an executor wrote to its stderr: `label | line` as text, `executor` in JSON.
    public static func executor(_ label: String, _ line: String) {
        write(format == .json ? json(.info, line, executor: label, requestID: nil) : "\(label) | \(line)")
    }

    /// A line written as is in text (a diagnostic `file:line:col: error: …`, a hint, a summary),
    /// or as one JSON object at `level`; with `quiet`, errors only either way.
    public static func line(_ level: Level, _ text: String) {
        if quiet && level < .error { return }
        write(format == .json ? json(level, text, executor: nil, requestID: nil) : text)
    }

    public static func emit(_ level: Level, _ message: String, executor: String? = nil, requestID: String? = nil) {
        if level == .debug && !verbose { return }
        if quiet && level < .error { return }
        switch format {
        case .text: write(level == .info ? message : "\(level.rawValue): \(message)")
        case .json: write(json(level, message, executor: executor, requestID: requestID))
        }
    }

    static func json(_ level: Level, _ message: String, executor: String?, requestID: String?) -> String {
        var fields: [(String, JSONValue)] = [("ts", .string(timestamp())), ("level", .string(level.rawValue)), ("msg", .string(message))]
        if let executor { fields.append(("executor", .string(executor))) }
        if let requestID { fields.append(("request_id", .string(requestID))) }
        return JSONValue.object(JSONObject(fields)).jsonString
    }

    /// Now as RFC 3339 in UTC with milliseconds: `2026-12-06T20:48:02.123Z`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        let ms = now.tv_nsec / 1_000_000
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let millis = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(millis)Z"
    }

    private static func write(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        lock.withLock { _ in _ = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) } }
    }
}
