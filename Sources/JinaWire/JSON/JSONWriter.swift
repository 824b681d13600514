/// Compact, deterministic JSON: no whitespace, object keys in stored order, numbers as their text.
///
/// Strings escape `"` and `\` as `\"` and `\\`, the control characters as `\b` `\f` `\n` `\r`
/// `\t` or `\u001f` (lowercase hex), and nothing else: `/`, DEL and all other Unicode go out as raw
/// UTF-8. So parsing a compact text written in this form and writing it again gives the same bytes.
public enum JSONWriter {
    public static func write(_ value: JSONValue, into buffer: inout [UInt8]) {
        switch value {
        case .null:
            append("null", to: &buffer)
        case .bool(let b):
            append(b ? "true" : "false", to: &buffer)
        case .number(let number):
            var text = number.text
            text.withUTF8 { buffer.append(contentsOf: $0) }
        case .string(let string):
            writeString(string, into: &buffer)
        case .array(let elements):
            buffer.append(Byte.openBracket)
            for (i, element) in elements.enumerated() {
                if i > 0 { buffer.append(Byte.comma) }
                write(element, into: &buffer)
            }
            buffer.append(Byte.closeBracket)
        case .object(let object):
            buffer.append(Byte.openBrace)
            for (i, member) in object.enumerated() {
                if i > 0 { buffer.append(Byte.comma) }
                writeString(member.key, into: &buffer)
                buffer.append(Byte.colon)
                write(member.value, into: &buffer)
            }
            buffer.append(Byte.closeBrace)
        }
    }

    /// A JSON string literal: copies runs that need no escape in one piece.
    static func writeString(_ string: String, into buffer: inout [UInt8]) {
        buffer.append(Byte.quote)
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            for i in utf8.indices {
                let byte = utf8[i]
                guard byte < 0x20 || byte == Byte.quote || byte == Byte.backslash else { continue }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                appendEscape(of: byte, to: &buffer)
                runStart = i + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        buffer.append(Byte.quote)
    }

    private static func appendEscape(of byte: UInt8, to buffer: inout [UInt8]) {
        let short: UInt8? = switch byte {
        case Byte.quote, Byte.backslash: byte
        case 0x08: UInt8(ascii: "b")
        case 0x0C: UInt8(ascii: "f")
        case 0x0A: UInt8(ascii: "n")
        case 0x0D: UInt8(ascii: "r")
        case 0x09: UInt8(ascii: "t")
        default: nil
        }
        buffer.append(Byte.backslash)
        if let short {
            buffer.append(short)
        } else {
            let hexDigits: StaticString = "0123456789abcdef"
            append("u00", to: &buffer)
            buffer.append(hexDigits.utf8Start[Int(byte >> 4)])
            buffer.append(hexDigits.utf8Start[Int(byte & 0x0F)])
        }
    }

    private static func append(_ literal: StaticString, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}
