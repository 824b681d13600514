import JinaWire

/// The members of a top-level JSON object as byte ranges, found by a string-aware scan that
/// builds no values: a response's `data` stays bytes while its small `header` is parsed.
/// The scan checks only the object's outline; each value is checked when it is parsed.
enum JSONMembers {
    struct Malformed: Error, CustomStringConvertible {
        var description: String { "malformed JSON" }
    }

    static func ranges(_ bytes: [UInt8]) throws -> [(key: String, value: Range<Int>)] {
        try bytes.withUnsafeBufferPointer { try ranges(in: $0) }
    }

    private static func ranges(in b: UnsafeBufferPointer<UInt8>) throws -> [(key: String, value: Range<Int>)] {
        var members: [(key: String, value: Range<Int>)] = []
        var i = skipSpace(b, 0)
        guard i < b.count, b[i] == UInt8(ascii: "{") else { throw Malformed() }
        i = skipSpace(b, i + 1)
        if i < b.count, b[i] == UInt8(ascii: "}") { return try end(b, i + 1, members) }
        while true {
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw Malformed() }
            let keyEnd = try stringEnd(b, i)
            guard let key = try? JSONParser.parse(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: b[i..<keyEnd]))).stringValue else { throw Malformed() }
            i = skipSpace(b, keyEnd)
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw Malformed() }
            let start = skipSpace(b, i + 1)
            let valueEnd = try valueEnd(b, start)
            members.append((key, start..<valueEnd))
            i = skipSpace(b, valueEnd)
            guard i < b.count else { throw Malformed() }
            if b[i] == UInt8(ascii: "}") { return try end(b, i + 1, members) }
            guard b[i] == UInt8(ascii: ",") else { throw Malformed() }
            i = skipSpace(b, i + 1)
        }
    }

    private static func end(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ members: [(key: String, value: Range<Int>)]) throws
        -> [(key: String, value: Range<Int>)] {
        guard skipSpace(b, i) == b.count else { throw Malformed() }
        return members
    }

    private static func skipSpace(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var i = start
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        return i
    }

    /// The index after the closing quote of the string starting at `start`.
    private static func stringEnd(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) throws -> Int {
        var i = start + 1
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "\""): return i + 1
            default: i += 1
            }
        }
        throw Malformed()
    }

    /// The index after the value starting at `start`.
    private static func valueEnd(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) throws -> Int {
        guard start < b.count else { throw Malformed() }
        switch b[start] {
        case UInt8(ascii: "\""):
            return try stringEnd(b, start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var i = start
            while i < b.count {
                switch b[i] {
                case UInt8(ascii: "\""):
                    i = try stringEnd(b, i)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default: break
                }
                i += 1
            }
            throw Malformed()
        default:
            var i = start
            while i < b.count, !",}] \n\r\t".utf8.contains(b[i]) { i += 1 }
            guard i > start else { throw Malformed() }
            return i
        }
    }
}
