/// Bodies of the executor protocol: a JSON array of documents.
public enum DocumentArray {
    public struct DecodeError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The documents of a body; an empty body is no documents. A plain string becomes a
    /// document with that text (SPEC §6).
    public static func decode(_ body: [UInt8]) throws(DecodeError) -> [Document] {
        if isBlank(body) { return [] }
        let value: JSONValue
        do { value = try JSONParser.parse(body) } catch { throw DecodeError(message: "documents are not valid JSON: \(error)") }
        guard case .array(let items) = value else { throw DecodeError(message: "documents must be a JSON list") }
        var docs: [Document] = []
        docs.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            switch item {
            case .object(let fields): docs.append(Document(fields))
            case .string(let text): docs.append(Document(text: text))
            default: throw DecodeError(message: "document \(i) is not a JSON object")
            }
        }
        return docs
    }

    public static func encode(_ docs: [Document]) -> [UInt8] {
        JSONValue.array(docs.map { .object($0.fields) }).jsonBytes
    }

    /// Joins bodies (each a JSON array) into one array without decoding the documents.
    public static func concatenate(_ bodies: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        var first = true
        for body in bodies {
            guard let open = body.firstIndex(of: UInt8(ascii: "[")), let close = body.lastIndex(of: UInt8(ascii: "]")), open < close else { continue }
            let inner = body[(open + 1)..<close]
            guard inner.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: inner)
            first = false
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// How many documents a body holds, checking that it is a JSON array.
    public static func count(_ body: [UInt8]) throws(DecodeError) -> Int {
        if isBlank(body) { return 0 }
        do {
            return try body.withUnsafeBytes { raw throws(JSONParseError) in try JSONParser.arrayElementRanges(raw).count }
        } catch {
            throw DecodeError(message: "documents are not a valid JSON list: \(error)")
        }
    }

    /// The documents of a body as separate JSON texts (for JSON Lines output), without decoding them.
    public static func split(_ body: [UInt8]) throws(DecodeError) -> [ArraySlice<UInt8>] {
        if isBlank(body) { return [] }
        do {
            let ranges = try body.withUnsafeBytes { raw throws(JSONParseError) in try JSONParser.arrayElementRanges(raw) }
            return ranges.map { body[$0] }
        } catch {
            throw DecodeError(message: "documents are not a valid JSON list: \(error)")
        }
    }

    /// An empty body, or whitespace only: no documents.
    static func isBlank(_ body: [UInt8]) -> Bool {
        body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }
}
