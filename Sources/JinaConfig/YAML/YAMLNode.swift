/// A position in a source file, 1-based as editors show it.
public struct SourceMark: Sendable, Hashable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourceMark, b: SourceMark) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// How a scalar was written; only plain scalars get implicit types (`3` is an int, `"3"` a string).
public enum ScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// One node of a parsed YAML document, with the position it was written at.
///
/// Aliases are resolved while parsing (the node is shared, not copied) and merge keys (`<<`) are
/// applied, so consumers see a plain tree.
public struct YAMLNode: Sendable {
    public indirect enum Content: Sendable {
        case scalar(String, ScalarStyle)
        case mapping([(key: YAMLNode, value: YAMLNode)])
        case sequence([YAMLNode])
    }

    public var content: Content
    /// The tag as written (`!Flow`), or nil for an untagged node.
    public var tag: String?
    public var mark: SourceMark
    /// The file this node came from (for diagnostics).
    public var file: String

    public init(_ content: Content, tag: String? = nil, mark: SourceMark, file: String) {
        self.content = content
        self.tag = tag
        self.mark = mark
        self.file = file
    }

    public var scalar: String? {
        if case .scalar(let s, _) = content { return s }
        return nil
    }

    public var mapping: [(key: YAMLNode, value: YAMLNode)]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The value for a string key of a mapping.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first(where: { $0.key.scalar == key })?.value
    }

    /// The tag without its leading `!`, when it is a local tag such as `!Flow` (libyaml reports
    /// standard tags as `tag:yaml.org,2002:…`).
    public var localTagName: String? {
        guard let tag, tag.hasPrefix("!"), !tag.hasPrefix("!!") else { return nil }
        return String(tag.dropFirst())
    }

    /// A word for the kind of node, for messages such as "expected a mapping, found a sequence".
    public var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s, let style):
            switch ImplicitScalar.resolve(s, style: style) {
            case .null: return "null"
            case .bool: return "a boolean"
            case .int: return "an integer"
            case .double: return "a number"
            case .string: return "a string"
            }
        }
    }

    /// The file and position of this node, for diagnostics.
    public var location: SourceLocation {
        SourceLocation(file: file, mark: mark)
    }
}

/// The implicit type of a plain scalar under YAML 1.1 as Jina reads it: `on`/`off` are *not*
/// booleans (Jina's resolver drops them), `yes`/`no`/`true`/`false` are.
public enum ImplicitScalar: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)

    public static func resolve(_ text: String, style: ScalarStyle) -> ImplicitScalar {
        guard style == .plain else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "yes", "Yes", "YES": return .bool(true)
        case "false", "False", "FALSE", "no", "No", "NO": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        if let i = yamlInt(text) { return .int(i) }
        if let d = yamlFloat(text) { return .double(d) }
        return .string(text)
    }

    /// YAML 1.1 integers as PyYAML (Jina's loader) reads them: `0b101`, `017` (octal), `0x1F`,
    /// `1_000`. Sexagesimal (`1:30`) stays a string.
    static func yamlInt(_ text: String) -> Int? {
        var body = Substring(text)
        var sign = 1
        if let first = body.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            body = body.dropFirst()
        }
        guard let first = body.first, first.isASCII, first.isNumber else { return nil }
        let digits = body.replacingOccurrences(of: "_", with: "")
        let value: Int?
        if digits.hasPrefix("0b") {
            value = Int(digits.dropFirst(2), radix: 2)
        } else if digits.hasPrefix("0x") {
            value = Int(digits.dropFirst(2), radix: 16)
        } else if digits.count > 1, digits.hasPrefix("0") {
            value = Int(digits.dropFirst(), radix: 8)
        } else {
            value = digits.allSatisfy(\.isASCII) ? Int(digits) : nil
        }
        return value.map { sign * $0 }
    }

    /// YAML 1.1 floats need a dot (`1.5`, `.5`, `1.0e+3`); `1e3` is a string, as in PyYAML.
    static func yamlFloat(_ text: String) -> Double? {
        var body = Substring(text)
        if let first = body.first, first == "-" || first == "+" { body = body.dropFirst() }
        guard let dot = body.firstIndex(of: "."), body.contains(where: \.isNumber) else { return nil }
        let whole = body[..<dot], rest = body[body.index(after: dot)...]
        guard whole.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }), whole.first != "_" else { return nil }
        var fraction = rest, exponent: Substring = ""
        if let e = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            fraction = rest[..<e]
            exponent = rest[rest.index(after: e)...]
            guard let sign = exponent.first, sign == "+" || sign == "-", exponent.count > 1,
                  exponent.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        }
        guard fraction.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }) else { return nil }
        return Double(text.replacingOccurrences(of: "_", with: ""))
    }

    static func parseInt(_ text: String) -> Int? {
        var body = Substring(text)
        var sign = 1
        if body.first == "-" || body.first == "+" {
            if body.first == "-" { sign = -1 }
            body = body.dropFirst()
        }
        guard let first = body.first, first.isASCII, first.isNumber else { return nil }
        let digits = body.replacingOccurrences(of: "_", with: "")
        if digits.hasPrefix("0x"), let v = Int(digits.dropFirst(2), radix: 16) { return sign * v }
        if digits.hasPrefix("0o"), let v = Int(digits.dropFirst(2), radix: 8) { return sign * v }
        guard let v = Int(digits) else { return nil }
        return sign * v
    }

}
