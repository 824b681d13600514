/// A JSON number kept as its text, so round-trips are exact: `0.1` stays `0.1`, `1.0` stays `1.0`,
/// `12345678901234567890` and `1e400` stay as written. Equality and hashing compare the text.
///
/// JSON has no NaN or infinity: `init(_: Double)` and `init(_: Float)` stop the program on a
/// non-finite value (a programming error, like integer overflow); `init?(finite:)` returns nil instead.
public struct JSONNumber: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The number's JSON text (always valid RFC 8259 number syntax).
    public let text: String

    /// Text the caller has checked against the JSON number grammar.
    init(validatedText: String) {
        text = validatedText
    }

    public init(_ value: Int) {
        text = String(value)
    }

    /// The shortest text that reads back as the same `Double` (`0.1`, `1.0`, `1e-05`, `-0.0`).
    public init(_ value: Double) {
        precondition(value.isFinite, "JSON has no NaN or infinity (got \(value)); use JSONNumber(finite:)")
        text = value.description
    }

    /// The shortest text that reads back as the same `Float` (`Float(0.1)` writes `0.1`, not
    /// `0.10000000149011612`): what embeddings want.
    public init(_ value: Float) {
        precondition(value.isFinite, "JSON has no NaN or infinity (got \(value)); use JSONNumber(finite:)")
        text = value.description
    }

    /// nil for NaN and ±infinity.
    public init?(finite value: Double) {
        guard value.isFinite else { return nil }
        self.init(value)
    }

    /// nil unless `text` is exactly a JSON number (no surrounding whitespace).
    public init?(text: String) {
        var copy = text
        let valid = copy.withUTF8 { utf8 in
            guard let end = try? JSONParser.numberEnd(in: utf8, from: 0) else { return false }
            return end == utf8.count
        }
        guard valid else { return nil }
        self.text = text
    }

    /// The value when it is a whole number that fits in `Int`, whatever its form: `3`, `3.0`,
    /// `3e0`, `300e-2` and `-0.0` are integers (Jina 3.x clients send `1` as `1.0`); `3.5`, `1e19`
    /// and `12345678901234567890` are not. Exact: decided on the decimal digits, not via `Double`.
    public var int: Int? {
        var copy = text
        return copy.withUTF8(Self.exactInt)
    }

    /// The nearest `Double` (correctly rounded); ±infinity when out of range, as `1e400` is.
    public var double: Double {
        Double(text) ?? .nan  // never nil for valid number text
    }

    public var description: String { text }

    /// The value of valid number text when it is a whole number within `Int`'s range.
    private static func exactInt(_ t: UnsafeBufferPointer<UInt8>) -> Int? {
        func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
        let negative = t[0] == UInt8(ascii: "-")
        var i = negative ? 1 : 0

        // Fast path: a plain integer of up to 18 digits cannot overflow.
        let integerStart = i
        while i < t.count, isDigit(t[i]) { i += 1 }
        let integerEnd = i
        if i == t.count, integerEnd - integerStart <= 18 {
            var value = 0
            for k in integerStart..<integerEnd { value = value * 10 + Int(t[k] &- UInt8(ascii: "0")) }
            return negative ? -value : value
        }

        var fractionStart = i, fractionEnd = i
        if i < t.count, t[i] == UInt8(ascii: ".") {
            i += 1
            fractionStart = i
            while i < t.count, isDigit(t[i]) { i += 1 }
            fractionEnd = i
        }
        var exponent = 0
        if i < t.count {  // 'e' or 'E'
            i += 1
            let negativeExponent = t[i] == UInt8(ascii: "-")
            if t[i] == UInt8(ascii: "-") || t[i] == UInt8(ascii: "+") { i += 1 }
            while i < t.count {
                exponent = min(exponent * 10 + Int(t[i] &- UInt8(ascii: "0")), 1 << 40)  // saturate; far past Int's range
                i += 1
            }
            if negativeExponent { exponent = -exponent }
        }

        // value = digits × 10^scale, where digits are the integer then the fraction digits.
        let integerCount = integerEnd - integerStart
        func digit(_ k: Int) -> UInt8 {
            k < integerCount ? t[integerStart + k] : t[fractionStart + k - integerCount]
        }
        var first = 0, last = integerCount + (fractionEnd - fractionStart)
        var scale = exponent - (fractionEnd - fractionStart)
        while first < last, digit(first) == UInt8(ascii: "0") { first += 1 }
        while last > first, digit(last - 1) == UInt8(ascii: "0") { last -= 1; scale += 1 }
        if first == last { return 0 }
        // No trailing zeros left, so a negative scale means a fraction; 20+ digits exceed Int.
        guard scale >= 0, (last - first) + scale <= 19 else { return nil }
        var magnitude: UInt64 = 0
        for k in first..<last { magnitude = magnitude * 10 + UInt64(digit(k) &- UInt8(ascii: "0")) }
        for _ in 0..<scale { magnitude *= 10 }  // at most 19 digits: below UInt64.max
        if negative {
            return magnitude <= UInt64(Int.max) + 1 ? Int(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= UInt64(Int.max) ? Int(magnitude) : nil
    }
}

extension JSONNumber: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
    public init(floatLiteral value: Double) { self.init(value) }
}
