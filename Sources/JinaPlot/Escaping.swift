/// Escaping of label text for the markup languages we write.
enum Escape {
    /// Text content and attribute values in XML (SVG).
    static func xml(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // Control characters are not allowed in XML 1.0; a label never needs them.
            case _ where ch.unicodeScalars.allSatisfy({ $0.value < 0x20 }): out += " "
            default: out.append(ch)
            }
        }
        return out
    }

    /// A DOT double-quoted string (without the quotes); `\n` in `text` becomes a centred line break.
    static func dot(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r", "\t": out += " "
            default: out.append(ch)
            }
        }
        return out
    }

    /// Text inside a quoted Mermaid label: Mermaid's `#name;` entity codes for the characters
    /// that would end the label or be read as HTML.
    static func mermaid(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "#": out += "#35;"
            case "\"": out += "#quot;"
            case "&": out += "#amp;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "\n", "\r", "\t": out += " "
            default: out.append(ch)
            }
        }
        return out
    }
}
