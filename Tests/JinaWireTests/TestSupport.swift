@testable import JinaWire
import SeededRandom

/// The error parsing `text` throws, or nil when it parses.
func parseError(_ text: String, maxDepth: Int = 512) -> JSONParseError? {
    parseError(Array(text.utf8), maxDepth: maxDepth)
}

func parseError(_ bytes: [UInt8], maxDepth: Int = 512) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(bytes, maxDepth: maxDepth)
        return nil
    } catch {
        return error
    }
}

func rangesError(_ bytes: [UInt8], maxDepth: Int = 512) -> JSONParseError? {
    do {
        _ = try elementRanges(bytes, maxDepth: maxDepth)
        return nil
    } catch {
        return error
    }
}

func elementRanges(_ bytes: [UInt8], maxDepth: Int = 512) throws(JSONParseError) -> [Range<Int>] {
    try bytes.withUnsafeBytes { raw in
        Result { () throws(JSONParseError) in try JSONParser.arrayElementRanges(raw, maxDepth: maxDepth) }
    }.get()
}

func elementMembers(_ bytes: [UInt8], floatsOf key: String? = nil, maxDepth: Int = 512)
    throws(JSONParseError) -> [(range: Range<Int>, members: [(key: String, value: Range<Int>)]?, floats: [Float]?)] {
    try bytes.withUnsafeBytes { raw in
        Result { () throws(JSONParseError) in try JSONParser.arrayElementMembers(raw, floatsOf: key, maxDepth: maxDepth) }
    }.get()
}

/// Random JSON values of every kind, with strings full of characters that need care.
struct RandomJSON {
    var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func value(depth: Int = 0) -> JSONValue {
        let kinds = depth >= 5 ? 4 : 6
        switch Int.random(in: 0..<kinds, using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .number(number())
        case 3: return .string(string())
        case 4:
            return .array((0..<Int.random(in: 0...5, using: &generator)).map { _ in value(depth: depth + 1) })
        default:
            var object = JSONObject()
            let count = Int.random(in: 0...(Bool.random(using: &generator) ? 5 : 30), using: &generator)
            for _ in 0..<count { object[string(maxLength: 4)] = value(depth: depth + 1) }
            return .object(object)
        }
    }

    mutating func number() -> JSONNumber {
        switch Int.random(in: 0..<5, using: &generator) {
        case 0: return JSONNumber(Int.random(in: Int.min...Int.max, using: &generator))
        case 1: return JSONNumber(Int.random(in: -1000...1000, using: &generator))
        case 2: return JSONNumber(Double(bitPattern: generator.next() & ~(0x7FF << 52) | (UInt64.random(in: 900...1150, using: &generator) << 52)))
        case 3: return JSONNumber(Float(Double.random(in: -1...1, using: &generator)))
        default:
            // Text no machine type holds exactly.
            let digits = (0..<Int.random(in: 1...40, using: &generator)).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            let integer = digits.first == "0" ? "0" : digits
            let exponent = Bool.random(using: &generator) ? "" : "e\(Int.random(in: -999...999, using: &generator))"
            return JSONNumber(text: "-" + integer + ".5" + exponent)!
        }
    }

    mutating func string(maxLength: Int = 24) -> String {
        let pool: [Unicode.Scalar] = ["a", "b", "z", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é",
                                      "e", "\u{301}", "ß", "日", "本", "\u{2028}", "\u{FEFF}", "😀", "\u{10FFFF}", "{", "]", ","]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maxLength, using: &generator) {
            scalars.append(pool.randomElement(using: &generator)!)
        }
        return String(scalars)
    }
}
