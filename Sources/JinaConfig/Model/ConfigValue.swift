import JinaWire

/// A JSON-like value read from YAML: what `with:`, `uses_with:` and `metas:` hold.
public indirect enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([ConfigValue])
    /// Keys in the order they were written.
    case object([ConfigField])

    public subscript(key: String) -> ConfigValue? {
        if case .object(let fields) = self { return fields.first { $0.key == key }?.value }
        return nil
    }

    /// Compact JSON text, keys in written order.
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? String(d) : "null"
        case .string(let s): return Self.quote(s)
        case .array(let items): return "[" + items.map(\.description).joined(separator: ",") + "]"
        case .object(let fields): return "{" + fields.map { Self.quote($0.key) + ":" + $0.value.description }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The value as YAML scalars and collections read it (plain scalars typed, quoted ones strings).
    public init(_ node: YAMLNode) {
        switch node.content {
        case .scalar(let text, let style):
            switch ImplicitScalar.resolve(text, style: style) {
            case .null: self = .null
            case .bool(let b): self = .bool(b)
            case .int(let i): self = .int(i)
            case .double(let d): self = .double(d)
            case .string(let s): self = .string(s)
            }
        case .sequence(let items): self = .array(items.map(ConfigValue.init))
        case .mapping(let pairs):
            self = .object(pairs.map { ConfigField(key: $0.key.scalar ?? ConfigValue($0.key).description, value: ConfigValue($0.value)) })
        }
    }

    /// Fields of `overlay` replace those of `self` key by key (how `uses_with` overrides `with`).
    public func merging(_ overlay: ConfigValue) -> ConfigValue {
        guard case .object(var fields) = self, case .object(let over) = overlay else { return overlay }
        for field in over {
            if let i = fields.firstIndex(where: { $0.key == field.key }) { fields[i].value = field.value } else { fields.append(field) }
        }
        return .object(fields)
    }
}

public struct ConfigField: Sendable, Equatable {
    public var key: String
    public var value: ConfigValue

    public init(key: String, value: ConfigValue) {
        self.key = key
        self.value = value
    }
}

import Foundation

extension JSONValue {
    /// A config value read from YAML as JSON.
    public init(_ value: ConfigValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(JSONNumber(i))
        case .double(let d): self = d.isFinite ? .number(JSONNumber(d)) : .null
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items.map(JSONValue.init))
        case .object(let fields): self = .object(JSONObject(fields.map { ($0.key, JSONValue($0.value)) }))
        }
    }
}
