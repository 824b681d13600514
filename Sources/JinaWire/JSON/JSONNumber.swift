/// A JSON number kept as its text, so round-trips are exact: `0.1` stays `0.1`, `1.0` stays `1.0`,
/// `12345678901234567890` and `1e400` stay as written. Equality and hashing compare the text.
///
/// JSON has no NaN or infinity: `init(_: Double)` and `init(_: Float)` stop the program on a
/// non-finite value (a programming error, like integer overflow); `init?(finite:)` returns nil instead.
public struct JSONNumber: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Number text uses 15 symbols, so up to 32 characters pack into 16 bytes at 4 bits each: the
    /// 17–20 characters of a float written by Python need no heap allocation, as a String would.
    private enum Storage: Hashable {
        case packed(UInt64, UInt64)  // first character in the top 4 bits; unused nibbles are 0xF
        case long(String)            // more than 32 characters
    }

    private let storage: Storage
    private static let symbols: StaticString = "0123456789.eE-+"

    /// Bytes the caller has checked against the JSON number grammar.
    init(validatedUTF8 text: UnsafeBufferPointer<UInt8>) {
        storage = Self.pack(text) ?? .long(String(decoding: text, as: UTF8.self))
    }

    init(validatedText text: String) {
        var text = text
        self = text.withUTF8 { JSONNumber(validatedUTF8: $0) }
    }

    public init(_ value: Int) {
        self.init(validatedText: String(value))
    }

    /// The shortest text that reads back as the same `Double` (`0.1`, `1.0`, `1e-05`, `-0.0`).
    public init(_ value: Double) {
        precondition(value.isFinite, "JSON has no NaN or infinity (got \(value)); use JSONNumber(finite:)")
        self.init(validatedText: value.description)
    }

    /// The shortest text that reads back as the same `Float` (`Float(0.1)` writes `0.1`, not
    /// `0.10000000149011612`): what embeddings want.
    public init(_ value: Float) {
        precondition(value.isFinite, "JSON has no NaN or infinity (got \(value)); use JSONNumber(finite:)")
        self.init(validatedText: value.description)
    }

    /// nil for NaN and ±infinity.
    public init?(finite value: Double) {
        guard value.isFinite else { return nil }
        self.init(value)
    }

    /// nil unless `text` is exactly a JSON number (no surrounding whitespace).
    public init?(text: String) {
        var text = text
        let number: JSONNumber? = text.withUTF8 { utf8 in
            guard let end = try? JSONParser.numberEnd(in: utf8, from: 0), end == utf8.count else { return nil }
            return JSONNumber(validatedUTF8: utf8)
        }
        guard let number else { return nil }
        self = number
    }

    /// The number's JSON text (always valid RFC 8259 number syntax).
    public var text: String {
        withUTF8 { String(decoding: $0, as: UTF8.self) }
    }

    /// The value when it is a whole number that fits in `Int`, whatever its form: `3`, `3.0`,
    /// `3e0`, `300e-2` and `-0.0` are integers (Jina 3.x clients send `1` as `1.0`); `3.5`, `1e19`
    /// and `12345678901234567890` are not. Exact: decided on the decimal digits, not via `Double`.
    public var int: Int? {
        withUTF8(Self.exactInt)
    }

    /// The nearest `Double` (correctly rounded); ±infinity when out of range, as `1e400` is.
    public var double: Double {
        withUTF8 { text in
            Self.fastDouble(text) ?? Double(String(decoding: text, as: UTF8.self)) ?? .nan  // never nil for valid text
        }
    }

    public var description: String { text }

    /// Calls `body` with the text's UTF-8 bytes, without allocating.
    func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        switch storage {
        case .long(var text):
            return text.withUTF8(body)
        case .packed(let high, let low):
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
                var count = 0
                while count < 32 {
                    let word = count < 16 ? high : low
                    let code = Int(truncatingIfNeeded: word >> UInt64(60 - 4 * (count & 15))) & 0xF
                    if code == 0xF { break }
                    buffer[count] = Self.symbols.utf8Start[code]
                    count += 1
                }
                return body(UnsafeBufferPointer(rebasing: buffer[..<count]))
            }
        }
    }

    private static func pack(_ text: UnsafeBufferPointer<UInt8>) -> Storage? {
        guard text.count <= 32 else { return nil }
        var high: UInt64 = ~0, low: UInt64 = ~0
        for (i, byte) in text.enumerated() {
            let code: UInt64 = switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte &- UInt8(ascii: "0"))
            case UInt8(ascii: "."): 10
            case UInt8(ascii: "e"): 11
            case UInt8(ascii: "E"): 12
            case UInt8(ascii: "-"): 13
            default: 14  // "+"
            }
            let shift = UInt64(60 - 4 * (i & 15))
            if i < 16 {
                high = high & ~(0xF << shift) | code << shift
            } else {
                low = low & ~(0xF << shift) | code << shift
            }
        }
        return .packed(high, low)
    }

    /// Clinger's fast path (~10 ns instead of ~90 for the standard library's parser): with at most
    /// 15 significant digits and a power of ten up to 10^22, both are exact doubles, so one IEEE
    /// multiplication or division rounds correctly. Covers `Float` texts like `0.41723695`; nil otherwise.
    private static func fastDouble(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        let negative = t[0] == UInt8(ascii: "-")
        var i = negative ? 1 : 0
        var mantissa: UInt64 = 0, digits = 0, scale = 0, inFraction = false
        while i < t.count {
            let byte = t[i]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte &- UInt8(ascii: "0") < 10 {
                if mantissa > 0 || byte != UInt8(ascii: "0") { digits += 1 }  // leading zeros are not significant
                guard digits <= 15 else { return nil }
                mantissa = mantissa * 10 + UInt64(byte &- UInt8(ascii: "0"))
                if inFraction { scale -= 1 }
            } else {
                break  // 'e' or 'E'
            }
            i += 1
        }
        if i < t.count {
            i += 1
            let negativeExponent = t[i] == UInt8(ascii: "-")
            if t[i] == UInt8(ascii: "-") || t[i] == UInt8(ascii: "+") { i += 1 }
            var exponent = 0
            while i < t.count {
                exponent = exponent * 10 + Int(t[i] &- UInt8(ascii: "0"))
                guard exponent < 1000 else { return nil }
                i += 1
            }
            scale += negativeExponent ? -exponent : exponent
        }
        var value = Double(mantissa)
        if mantissa != 0 {
            guard (-22...22).contains(scale) else { return nil }
            value = scale < 0 ? value / powersOfTen[-scale] : value * powersOfTen[scale]
        }
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

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
