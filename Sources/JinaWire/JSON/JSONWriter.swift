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
            number.withUTF8 { buffer.append(contentsOf: $0) }
        case .string(let string):
            writeString(string, into: &buffer)
        case .array(let elements):
            // Indexing a `let` array lends each element; `for element in` would copy it (retain/release).
            buffer.append(Byte.openBracket)
            for i in elements.indices {
                if i > 0 { buffer.append(Byte.comma) }
                write(elements[i], into: &buffer)
            }
            buffer.append(Byte.closeBracket)
        case .object(let object):
            buffer.append(Byte.openBrace)
            let entries = object.entries
            for i in entries.indices {
                if i > 0 { buffer.append(Byte.comma) }
                writeString(entries[i].key, into: &buffer)
                buffer.append(Byte.colon)
                write(entries[i].value, into: &buffer)
            }
            buffer.append(Byte.closeBrace)
        }
    }

    /// A JSON string literal: copies runs that need no escape in one piece.
    static func writeString(_ string: String, into buffer: inout [UInt8]) {
        buffer.append(Byte.quote)
        withUTF8(of: string) { utf8 in
            guard let base = UnsafeRawPointer(utf8.baseAddress) else { return }
            var runStart = 0, i = 0
            while i < utf8.count {
                if i + 8 <= utf8.count, !needsEscape(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
                    i += 8
                    continue
                }
                let byte = utf8[i]
                if byte < 0x20 || byte == Byte.quote || byte == Byte.backslash {
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                    appendEscape(of: byte, to: &buffer)
                    runStart = i + 1
                }
                i += 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        buffer.append(Byte.quote)
    }

    /// The string's UTF-8 without copying the string (which would cost a retain and release).
    @inline(__always)
    private static func withUTF8(of string: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if string.utf8.withContiguousStorageIfAvailable(body) == nil {
            var copy = string
            copy.withUTF8(body)
        }
    }

    /// Whether any of the 8 bytes is `"`, `\` or below 0x20 (SWAR bit tricks, exact).
    @inline(__always)
    private static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quotes = word ^ (ones &* UInt64(Byte.quote))
        let backslashes = word ^ (ones &* UInt64(Byte.backslash))
        let zeroInQuotes = (quotes &- ones) & ~quotes
        let zeroInBackslashes = (backslashes &- ones) & ~backslashes
        let belowSpace = (word &- ones &* 0x20) & ~word
        return (zeroInQuotes | zeroInBackslashes | belowSpace) & (ones &* 0x80) != 0
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
