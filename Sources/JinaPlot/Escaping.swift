/// Escaping of label text for the markup languages we write: one walk, a table per language.
enum Escape {
    /// Text content and attribute values in XML (SVG). Control characters are not allowed in
    /// XML 1.0 and a label never needs them.
    static func xml(_ text: String) -> String {
        replacing(text, ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;"])
    }

    /// A DOT double-quoted string (without the quotes); `\n` in `text` becomes a centred line break.
    static func dot(_ text: String) -> String {
        replacing(text, ["\\": "\\\\", "\"": "\\\"", "\n": "\\n"])
    }

    /// Text inside a quoted Mermaid label: Mermaid's `#name;` entity codes for the characters
    /// that would end the label or be read as HTML.
    static func mermaid(_ text: String) -> String {
        replacing(text, ["#": "#35;", "\"": "#quot;", "&": "#amp;", "<": "#lt;", ">": "#gt;"])
    }

    /// Replaces the characters in `table`; other control characters become a space.
    private static func replacing(_ text: String, _ table: [Character: String]) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            if let replacement = table[ch] {
                out += replacement
            } else if ch.unicodeScalars.allSatisfy({ $0.value < 0x20 }) {
                out += " "
            } else {
                out.append(ch)
            }
        }
        return out
    }
}
