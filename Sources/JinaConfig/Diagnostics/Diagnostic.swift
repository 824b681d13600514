/// Where a diagnostic points: a file and a position in it.
public struct SourceLocation: Sendable, Hashable {
    public var file: String
    public var mark: SourceMark

    public init(file: String, mark: SourceMark) {
        self.file = file
        self.mark = mark
    }

    public init(file: String, line: Int = 1, column: Int = 1) {
        self.init(file: file, mark: SourceMark(line: line, column: column))
    }
}

/// One problem found in a configuration, printed as `file:line:col: error: path: message`.
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error, warning, note

        private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public var severity: Severity
    public var location: SourceLocation
    /// The key path inside the document, e.g. `executors[2].needs`; empty for the document itself.
    public var path: String
    public var message: String
    /// A likely fix, e.g. "did you mean 'encoder'?".
    public var hint: String?

    public init(_ severity: Severity, at location: SourceLocation, path: String = "", _ message: String, hint: String? = nil) {
        self.severity = severity
        self.location = location
        self.path = path
        self.message = message
        self.hint = hint
    }

    /// The one-line form editors and compilers use.
    public var formatted: String {
        var text = "\(location.file):\(location.mark.line):\(location.mark.column): \(severity.rawValue): "
        if !path.isEmpty { text += "\(path): " }
        text += message
        if let hint { text += " (\(hint))" }
        return text
    }
}

/// Collects the diagnostics of a load so that every problem is reported, not just the first.
public struct DiagnosticBag: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public var hasErrors: Bool { all.contains { $0.severity == .error } }
    public var errors: [Diagnostic] { all.filter { $0.severity == .error } }

    public mutating func append(_ diagnostic: Diagnostic) {
        if !all.contains(diagnostic) { all.append(diagnostic) }
    }

    public mutating func append(contentsOf other: [Diagnostic]) {
        for d in other { append(d) }
    }

    public mutating func error(_ node: YAMLNode, _ path: String, _ message: String, hint: String? = nil) {
        append(Diagnostic(.error, at: node.location, path: path, message, hint: hint))
    }

    public mutating func warning(_ node: YAMLNode, _ path: String, _ message: String, hint: String? = nil) {
        append(Diagnostic(.warning, at: node.location, path: path, message, hint: hint))
    }

    /// Sorted by file (in first-seen order), then position, so output reads top to bottom.
    public var sorted: [Diagnostic] {
        var fileOrder: [String: Int] = [:]
        for d in all where fileOrder[d.location.file] == nil { fileOrder[d.location.file] = fileOrder.count }
        return all.enumerated().sorted { a, b in
            let fa = fileOrder[a.element.location.file]!, fb = fileOrder[b.element.location.file]!
            if fa != fb { return fa < fb }
            if a.element.location.mark != b.element.location.mark { return a.element.location.mark < b.element.location.mark }
            return a.offset < b.offset
        }.map(\.element)
    }
}

/// An error that carries diagnostics, thrown where loading cannot go on.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.formatted).joined(separator: "\n") }
}
