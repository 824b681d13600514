import JinaWire

/// Block-style YAML of a JSON value, for files people read and edit (compose files, manifests,
/// executor configs): strings are quoted only when YAML would read them as something else.
enum YAMLEmitter {
    static func document(_ value: JSONValue, comment: String? = nil) -> String {
        var out = comment.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map { "# \($0)\n" }.joined() } ?? ""
        write(value, indent: 0, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let object) where !object.isEmpty:
            for (key, item) in object {
                out += pad + scalar(.string(key)) + ":"
                writeNested(item, indent: indent, into: &out)
            }
        case .array(let items) where !items.isEmpty:
            for item in items {
                out += pad + "-"
                if case .object(let object) = item, !object.isEmpty {
                    // The first key on the dash's line, the rest below it.
                    var first = true
                    for (key, nested) in object {
                        out += (first ? " " : pad + "  ") + scalar(.string(key)) + ":"
                        writeNested(nested, indent: indent + 2, into: &out)
                        first = false
                    }
                } else {
                    writeNested(item, indent: indent, into: &out)
                }
            }
        default:
            out += pad + scalar(value) + "\n"
        }
    }

    private static func writeNested(_ value: JSONValue, indent: Int, into out: inout String) {
        switch value {
        case .object(let object) where !object.isEmpty:
            out += "\n"
            write(value, indent: indent + 2, into: &out)
        case .array(let items) where !items.isEmpty:
            out += "\n"
            write(value, indent: indent + 2, into: &out)
        default:
            out += " " + scalar(value) + "\n"
        }
    }

    static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return number.text
        case .array: return "[]"
        case .object: return "{}"
        case .string(let text): return needsQuotes(text) ? JSONValue.string(text).jsonString : text
        }
    }

    /// Plain scalars YAML would read as another type or syntax get JSON's double quotes.
    private static func needsQuotes(_ text: String) -> Bool {
        if text.isEmpty { return true }
        let lower = text.lowercased()
        if ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"].contains(lower) { return true }
        if Double(text) != nil || Int(text) != nil { return true }
        // YAML 1.1 reads 12345:8080 as a base-60 number (docker-compose's ports).
        if text.allSatisfy({ $0.isNumber || $0 == ":" || $0 == "." || $0 == "_" }) { return true }
        if let first = text.first, "-?:,[]{}#&*!|>'\"%@`= ".contains(first) { return true }
        if text.last == " " || text.contains(": ") || text.contains(" #") || text.contains("\n") { return true }
        return text.contains { $0 == "\t" || $0 == "\\" }
    }
}
