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
            Decimal(text)?.exactDouble ?? Double(String(decoding: text, as: UTF8.self)) ?? .nan  // never nil for valid text
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

    /// The nearest `Float` to `double` (what `Float(double)` gives), for embeddings: without the
    /// standard library's parser for up to 19 significant digits, so the 17 that Python writes for
    /// a float take ~10 ns instead of ~90.
    public var float: Float {
        withUTF8(Self.float(validatedUTF8:))
    }

    /// `float` of bytes the caller has checked against the JSON number grammar.
    static func float(validatedUTF8 text: UnsafeBufferPointer<UInt8>) -> Float {
        var end = 0
        return float(in: text, from: 0, end: &end) ?? .nan  // never nil for valid text
    }

    /// `float` of the number text that starts at `start` in `bytes`, checked against the JSON
    /// grammar as it is read (nil when it breaks it: `JSONParser.numberEnd` says how); `end` is set
    /// to where it ends. One pass over the digits, for a reader going through many numbers.
    static func float(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, end: inout Int) -> Float? {
        let decimal = Decimal(bytes, from: start, end: &end)
        guard decimal.valid else { return nil }
        if decimal.fits {
            if let value = decimal.floatAwayFromTies { return value }
            if let value = decimal.exactDouble { return Float(value) }
        }
        return Float(Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)) ?? .nan)
    }

    /// A number's text as `mantissa × 10^scale`.
    private struct Decimal {
        var negative: Bool
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        /// At most 19 significant digits (so the mantissa holds them all) and an exponent below 1000.
        var fits = true
        /// The text follows the JSON number grammar.
        var valid = true

        init?(_ t: UnsafeBufferPointer<UInt8>) {
            var end = 0
            self.init(t, from: 0, end: &end)
            guard fits else { return nil }
        }

        /// Reads the number text that starts at `start` up to its end, which `end` is set to.
        init(_ t: UnsafeBufferPointer<UInt8>, from start: Int, end: inout Int) {
            negative = start < t.count && t[start] == UInt8(ascii: "-")
            var i = negative ? start + 1 : start
            let integerStart = i
            i = readDigits(t, from: i)
            // One digit, or several not starting with 0.
            valid = i - integerStart == 1 || (i - integerStart > 1 && t[integerStart] != UInt8(ascii: "0"))
            if i < t.count, t[i] == UInt8(ascii: ".") {
                let fractionStart = i + 1
                i = readDigits(t, from: fractionStart)
                scale -= i - fractionStart
                if i == fractionStart { valid = false }
            }
            if i < t.count, t[i] | 0x20 == UInt8(ascii: "e") {
                i += 1
                let negativeExponent = i < t.count && t[i] == UInt8(ascii: "-")
                if i < t.count, t[i] == UInt8(ascii: "-") || t[i] == UInt8(ascii: "+") { i += 1 }
                let exponentStart = i
                var exponent = 0
                while i < t.count, t[i] &- UInt8(ascii: "0") < 10 {
                    if exponent < 1000 { exponent = exponent * 10 + Int(t[i] &- UInt8(ascii: "0")) }
                    i += 1
                }
                if i == exponentStart { valid = false }
                if exponent >= 1000 { fits = false }
                scale += negativeExponent ? -exponent : exponent
            }
            end = i
        }

        /// Adds the digits from `start` on to the mantissa; where they end.
        private mutating func readDigits(_ t: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
            var i = start
            // Eight at a time while all eight are digits: an embedding's numbers are mostly fraction.
            if let base = UnsafeRawPointer(t.baseAddress) {
                while i + 8 <= t.count {
                    let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    guard Byte.areEightDigits(word) else { break }
                    addEightDigits(word &- 0x3030_3030_3030_3030)
                    i += 8
                }
            }
            while i < t.count, t[i] &- UInt8(ascii: "0") < 10 {
                addDigit(t[i])
                i += 1
            }
            return i
        }

        /// Adds eight digits, given as values 0–9 in the bytes of `digits` (the first in the low byte).
        private mutating func addEightDigits(_ eight: UInt64) {
            if mantissa > 0 {
                digits += 8
            } else {
                // Leading zeros are not significant: they are the low bytes that are 0.
                digits += 8 - eight.trailingZeroBitCount / 8
            }
            if digits > 19 { fits = false; return }
            // The value in three multiplications: pairs of digits, then fours, then all eight.
            var value = eight &* 10 &+ (eight >> 8)
            let mask: UInt64 = 0x0000_00FF_0000_00FF
            value = ((value & mask) &* (100 &+ 1_000_000 << 32)) &+ (((value >> 16) & mask) &* (1 &+ 10_000 << 32))
            mantissa = mantissa &* 100_000_000 &+ (value >> 32 & 0xFFFF_FFFF)
        }

        private mutating func addDigit(_ byte: UInt8) {
            if mantissa > 0 || byte != UInt8(ascii: "0") { digits += 1 }  // leading zeros are not significant
            if digits > 19 { fits = false; return }
            mantissa = mantissa &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
        }

        /// Clinger's fast path: with at most 15 significant digits and a power of ten up to 10^22,
        /// both are exact doubles, so one IEEE multiplication or division rounds correctly.
        var exactDouble: Double? {
            guard digits <= 15 else { return nil }
            var value = Double(mantissa)
            if mantissa != 0 {
                guard (-22...22).contains(scale) else { return nil }
                value = scale < 0 ? value / JSONNumber.powersOfTen[-scale] : value * JSONNumber.powersOfTen[scale]
            }
            return negative ? -value : value
        }

        /// The mantissa rounds once to a double, the power of ten (10^-k is not exact) once, and
        /// their product once, so the double is within ~2 ulps of the exact value; a
        /// multiplication, not a division, since this is the path of nearly every embedding
        /// number. Rounded to `Float` it is then the float of the correctly rounded double unless
        /// it lies within a few ulps of a tie between two floats (the 29 bits a float drops are
        /// near 1000…0): nil there, and out of the normal floats.
        var floatAwayFromTies: Float? {
            guard mantissa != 0, (-22...22).contains(scale) else { return nil }
            let value = Double(mantissa) * (scale < 0 ? JSONNumber.negativePowersOfTen[-scale] : JSONNumber.powersOfTen[scale])
            guard value >= Double(Float.leastNormalMagnitude), value < 0x1p127 else { return nil }
            let dropped = Int(value.bitPattern & (1 << 29 - 1))
            guard abs(dropped - 1 << 28) > 16 else { return nil }
            return negative ? -Float(value) : Float(value)
        }
    }

    /// 10^-k, each the double nearest to it.
    private static let negativePowersOfTen: [Double] = [
        1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11,
        1e-12, 1e-13, 1e-14, 1e-15, 1e-16, 1e-17, 1e-18, 1e-19, 1e-20, 1e-21, 1e-22,
    ]

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
