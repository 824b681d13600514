/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// - One value, with optional whitespace (space, tab, LF, CR) around it; anything else after it is
///   an error. No comments, trailing commas, leading zeros, NaN, single quotes or byte-order mark.
/// - Strings: every escape, `\uXXXX` with surrogate pairs; an unpaired surrogate is an error (so
///   every string is exactly representable and writes back the same); invalid UTF-8 and unescaped
///   control characters are errors at their byte offset.
/// - Numbers keep their text (`JSONNumber`), however long.
/// - A key that appears twice keeps its first position and its last value.
/// - Containers nest at most `maxDepth` deep. Parsing uses an explicit stack, never the call
///   stack, so any input is safe; but Swift destroys, compares and writes values recursively, so
///   keep `maxDepth` in the thousands at most.
public enum JSONParser {
    /// An object's members: each key with the byte range of its value.
    public typealias MemberRanges = [(key: String, value: Range<Int>)]
    /// An array's elements: each one's byte range, with its members when it is an object.
    public typealias ElementMembers = [(range: Range<Int>, members: MemberRanges?)]

    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        var reader = JSONReader(bytes, maxDepth: maxDepth)
        let value = try reader.readValue(building: true)
        try reader.expectEnd()
        return value
    }

    public static func parse(_ bytes: [UInt8], maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        // withUnsafeBytes rethrows untyped errors; Result carries the typed one through.
        try bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) in try parse(raw, maxDepth: maxDepth) }
        }.get()
    }

    public static func parse(_ text: String, maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(JSONParseError) in try parse(UnsafeRawBufferPointer(utf8), maxDepth: maxDepth) }
        }
        return try result.get()
    }

    /// Byte ranges of the elements of a top-level JSON array, without building values (validates the
    /// structure; used to count and split document arrays cheaply). Ranges exclude whitespace.
    public static func arrayElementRanges(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 512) throws(JSONParseError) -> [Range<Int>] {
        var reader = JSONReader(bytes, maxDepth: maxDepth)
        let ranges = try reader.readArrayElementRanges()
        try reader.expectEnd()
        return ranges
    }

    /// The members of a top-level JSON object as keys and byte ranges of their values, without
    /// building the values (the whole input is checked); nil when the value is not an object.
    /// Lets a reader look at an object's keys and pass its bytes on unbuilt.
    public static func objectMemberRanges(_ bytes: UnsafeRawBufferPointer,
                                          maxDepth: Int = 512) throws(JSONParseError) -> MemberRanges? {
        var reader = JSONReader(bytes, maxDepth: maxDepth)
        let members = try reader.readMembersOrValue(depth: 0)
        try reader.expectEnd()
        return members
    }

    public static func objectMemberRanges(_ bytes: [UInt8], maxDepth: Int = 512) throws(JSONParseError) -> MemberRanges? {
        // withUnsafeBytes rethrows untyped errors; Result carries the typed one through.
        try bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) in try objectMemberRanges(raw, maxDepth: maxDepth) }
        }.get()
    }

    /// A top-level JSON object's members as keys and value ranges (as `objectMemberRanges`) and, when
    /// its member `arrayKey` is an array, that array's elements with their members (as
    /// `arrayElementMembers`): one checking scan of a request whose documents are passed on
    /// unbuilt. nil when the value is not an object.
    public static func objectMemberRanges(
        _ bytes: UnsafeRawBufferPointer, elementsOf arrayKey: String, maxDepth: Int = 512
    ) throws(JSONParseError) -> (members: MemberRanges, elements: ElementMembers?)? {
        var reader = JSONReader(bytes, maxDepth: maxDepth)
        var floats: [Float]?
        var elements: ElementMembers?
        let members = try reader.readObjectMemberRanges(depth: 0, floatsOf: nil, floats: &floats,
                                                        elementsOf: arrayKey, elements: &elements)
        guard let members else { return nil }
        try reader.expectEnd()
        return (members, elements)
    }

    /// The elements of a top-level JSON array as byte ranges, each with its members (keys and value
    /// ranges, as `objectMemberRanges` gives) when it is an object: one checking scan that lets a
    /// reader take the fields it needs from many documents and pass the rest on unbuilt. The
    /// member named `floatsOf` (an embedding), when it is a list of numbers, is also read as
    /// floats in the same pass (`JSONNumber.float` of each).
    public static func arrayElementMembers(
        _ bytes: UnsafeRawBufferPointer, floatsOf floatsKey: String? = nil, maxDepth: Int = 512
    ) throws(JSONParseError) -> [(range: Range<Int>, members: MemberRanges?, floats: [Float]?)] {
        var reader = JSONReader(bytes, maxDepth: maxDepth)
        let elements = try reader.readArrayElementMembers(floatsOf: floatsKey)
        try reader.expectEnd()
        return elements
    }

    /// Where the JSON number starting at `start` ends; throws if it is not one.
    static func numberEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) throws(JSONParseError) -> Int {
        let end = bytes.count
        func isDigit(_ k: Int) -> Bool { k < end && bytes[k] &- Byte.zero < 10 }
        func failure(_ message: String, at offset: Int) -> JSONParseError {
            JSONParseError(offset: offset, message: offset >= end ? "unexpected end of input: \(message)" : message)
        }
        /// Past the digits from `k` on, eight at a time while all eight are digits (SWAR).
        func digitsEnd(from k: Int) -> Int {
            var k = k
            if let base = UnsafeRawPointer(bytes.baseAddress) {
                while k + 8 <= end {
                    let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: k, as: UInt64.self))
                    guard Byte.areEightDigits(word) else { break }
                    k += 8
                }
            }
            while isDigit(k) { k += 1 }
            return k
        }
        var i = start
        if i < end, bytes[i] == Byte.minus { i += 1 }
        if i < end, bytes[i] == Byte.zero {
            i += 1
            if isDigit(i) { throw failure("leading zeros are not allowed in a number", at: i - 1) }
        } else if isDigit(i) {
            i = digitsEnd(from: i)
        } else {
            throw failure("expected a digit in a number", at: i)
        }
        if i < end, bytes[i] == Byte.dot {
            i += 1
            guard isDigit(i) else { throw failure("expected a digit after '.' in a number", at: i) }
            i = digitsEnd(from: i)
        }
        if i < end, bytes[i] | 0x20 == Byte.e {
            i += 1
            if i < end, bytes[i] == Byte.plus || bytes[i] == Byte.minus { i += 1 }
            guard isDigit(i) else { throw failure("expected a digit in the exponent of a number", at: i) }
            repeat { i += 1 } while isDigit(i)
        }
        return i
    }
}

/// The bytes the grammar names.
enum Byte {
    static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), slash = UInt8(ascii: "/")
    static let comma = UInt8(ascii: ","), colon = UInt8(ascii: ":"), minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+"), dot = UInt8(ascii: "."), zero = UInt8(ascii: "0")
    static let e = UInt8(ascii: "e"), u = UInt8(ascii: "u")
    static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")

    /// Whether the eight bytes of `word` are all ASCII digits (SWAR: a byte below '0' or above
    /// '9' sets its top bit in one of the two sums).
    @inline(__always)
    static func areEightDigits(_ word: UInt64) -> Bool {
        ((word &+ 0x4646_4646_4646_4646) | (word &- 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080 == 0
    }
}

/// A cursor over the input with the grammar's rules.
struct JSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var position = 0
    private var end: Int { bytes.count }

    init(_ raw: UnsafeRawBufferPointer, maxDepth: Int) {
        // Reading memory of any type as bytes is what a JSON parser does; UInt8 views are the norm.
        bytes = UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count)
        self.maxDepth = maxDepth
    }

    // MARK: Values and containers

    /// Reads one value at the cursor. With `building` false it only checks the syntax and
    /// returns `.null`. `depth` is how many containers are already open around it.
    mutating func readValue(building: Bool, depth: Int = 0) throws(JSONParseError) -> JSONValue {
        // Finished elements and keys of all open containers; a closing bracket moves its own out.
        var values = MoveOutStack<JSONValue>()
        var keys = MoveOutStack<String>()
        var open: [OpenContainer] = []

        nextValue: while true {
            skipWhitespace()
            guard position < end else { throw failure("expected a value") }
            var value: JSONValue
            let byte = bytes[position]
            if byte == Byte.openBracket || byte == Byte.openBrace {
                let isObject = byte == Byte.openBrace
                guard depth + open.count < maxDepth else { throw failure("nesting deeper than \(maxDepth) levels") }
                position += 1
                skipWhitespace()
                if position < end, bytes[position] == (isObject ? Byte.closeBrace : Byte.closeBracket) {
                    position += 1
                    value = !building ? .null : isObject ? .object(JSONObject()) : .array([])
                } else {
                    open.append(OpenContainer(isObject: isObject, firstValue: values.count, firstKey: keys.count))
                    if isObject { try readKey(into: &keys, building: building) }
                    continue nextValue
                }
            } else {
                value = try readScalar(building: building)
                if !building, open.last?.isObject == false { try skipNumberRun() }
            }

            // Put the value into its container; close every container that ends here.
            while let container = open.last {
                if building { values.push(consume value) }
                skipWhitespace()
                let closing = container.isObject ? Byte.closeBrace : Byte.closeBracket
                guard position < end, bytes[position] == Byte.comma || bytes[position] == closing else {
                    throw failure(container.isObject
                        ? "expected ',' or '}' after an object member" : "expected ',' or ']' after an array element")
                }
                position += 1
                if bytes[position - 1] == Byte.comma {
                    if container.isObject {
                        skipWhitespace()
                        try readKey(into: &keys, building: building)
                    }
                    continue nextValue
                }
                open.removeLast()
                if !building {
                    value = .null
                } else if container.isObject {
                    value = .object(JSONObject(parsedEntries: Self.moveEntries(
                        keys: &keys, from: container.firstKey, values: &values, from: container.firstValue)))
                } else {
                    value = .array(values.popArray(from: container.firstValue))
                }
            }
            return value
        }
    }

    /// Checks the numbers that follow the one just read in an array (an embedding's hundreds)
    /// without a round trip each through the value loop; stops before the first comma that is not
    /// followed by a number, or at whatever else comes.
    private mutating func skipNumberRun() throws(JSONParseError) {
        while true {
            skipWhitespace()
            guard position < end, bytes[position] == Byte.comma else { return }
            let comma = position
            position += 1
            skipWhitespace()
            guard position < end, bytes[position] == Byte.minus || bytes[position] &- Byte.zero < 10 else {
                position = comma
                return
            }
            position = try JSONParser.numberEnd(in: bytes, from: position)
        }
    }

    /// The elements of a top-level array as byte ranges, each checked but not built.
    mutating func readArrayElementRanges() throws(JSONParseError) -> [Range<Int>] {
        try readArrayElements(depth: 0) { reader throws(JSONParseError) in
            _ = try reader.readValue(building: false, depth: 1)
        }.map(\.range)
    }

    /// The elements of a top-level array as byte ranges, each with its members when it is an
    /// object, and the floats of its member `floatsKey` when that is a list of numbers.
    mutating func readArrayElementMembers(
        floatsOf floatsKey: String?
    ) throws(JSONParseError) -> [(range: Range<Int>, members: JSONParser.MemberRanges?, floats: [Float]?)] {
        try readArrayElements(depth: 0) { reader throws(JSONParseError) in
            var floats: [Float]?
            var elements: JSONParser.ElementMembers?
            let members = try reader.readObjectMemberRanges(depth: 1, floatsOf: floatsKey, floats: &floats, elementsOf: nil, elements: &elements)
            if members == nil { _ = try reader.readValue(building: false, depth: 1) }
            return (members, floats)
        }.map { ($0.range, $0.read.0, $0.read.1) }
    }

    /// Reads an array, each element with `readElement` from its first byte; `depth` is how many
    /// containers are already open around the array.
    private mutating func readArrayElements<Read>(
        depth: Int, _ readElement: (inout JSONReader) throws(JSONParseError) -> Read
    ) throws(JSONParseError) -> [(range: Range<Int>, read: Read)] {
        skipWhitespace()
        guard position < end, bytes[position] == Byte.openBracket else { throw failure("expected '[' to begin an array") }
        guard depth < maxDepth else { throw failure("nesting deeper than \(maxDepth) levels") }
        position += 1
        skipWhitespace()
        var elements: [(range: Range<Int>, read: Read)] = []
        if position < end, bytes[position] == Byte.closeBracket {
            position += 1
            return elements
        }
        while true {
            skipWhitespace()
            let start = position
            let read = try readElement(&self)
            elements.append((start..<position, read))
            skipWhitespace()
            guard position < end, bytes[position] == Byte.comma || bytes[position] == Byte.closeBracket else {
                throw failure("expected ',' or ']' after an array element")
            }
            position += 1
            if bytes[position - 1] == Byte.closeBracket { return elements }
        }
    }

    /// The members of the object at the cursor as keys and value ranges, each value checked but not
    /// built; nil (the cursor unmoved) when the value there is not an object. `depth` is how many
    /// containers are already open around it.
    mutating func readObjectMemberRanges(depth: Int = 0) throws(JSONParseError) -> JSONParser.MemberRanges? {
        var floats: [Float]?
        var elements: JSONParser.ElementMembers?
        return try readObjectMemberRanges(depth: depth, floatsOf: nil, floats: &floats, elementsOf: nil, elements: &elements)
    }

    /// The members of the object at the cursor; nil, the value checked, when it is another value.
    mutating func readMembersOrValue(depth: Int) throws(JSONParseError) -> JSONParser.MemberRanges? {
        let members = try readObjectMemberRanges(depth: depth)
        if members == nil { _ = try readValue(building: false, depth: depth) }
        return members
    }

    /// The same, also reading the last member named `floatsKey` into `floats` when its value is a
    /// list of numbers (nil otherwise), and the elements of the last member named `elementsKey`
    /// with their members into `elements` when its value is an array.
    mutating func readObjectMemberRanges(
        depth: Int, floatsOf floatsKey: String?, floats: inout [Float]?,
        elementsOf elementsKey: String?, elements: inout JSONParser.ElementMembers?
    ) throws(JSONParseError) -> JSONParser.MemberRanges? {
        skipWhitespace()
        guard position < end, bytes[position] == Byte.openBrace else { return nil }
        guard depth < maxDepth else { throw failure("nesting deeper than \(maxDepth) levels") }
        position += 1
        skipWhitespace()
        var members: JSONParser.MemberRanges = []
        if position < end, bytes[position] == Byte.closeBrace {
            position += 1
            return members
        }
        while true {
            skipWhitespace()
            let key = try readKey(building: true)!
            skipWhitespace()
            let start = position
            if let floatsKey, key == floatsKey {
                var read: [Float] = []
                floats = try readFloats(depth: depth + 1, into: &read) ? read : nil
            }
            if let elementsKey, key == elementsKey, position < end, bytes[position] == Byte.openBracket {
                elements = try readArrayElements(depth: depth + 1) { reader throws(JSONParseError) in
                    try reader.readMembersOrValue(depth: depth + 2)
                }.map { ($0.range, $0.read) }
            }
            if position == start { _ = try readValue(building: false, depth: depth + 1) }
            members.append((key, start..<position))
            skipWhitespace()
            guard position < end, bytes[position] == Byte.comma || bytes[position] == Byte.closeBrace else {
                throw failure("expected ',' or '}' after an object member")
            }
            position += 1
            if bytes[position - 1] == Byte.closeBrace { return members }
        }
    }

    /// Reads the value at the cursor into `floats` when it is a list of numbers, nested or not,
    /// checking it as `readValue` does. Anything else (another value, or a mistake `readValue`
    /// words) leaves the cursor where it was and returns false, for `readValue` to read.
    private mutating func readFloats(depth: Int, into floats: inout [Float]) throws(JSONParseError) -> Bool {
        let start = position
        var open = 0
        reading: while true {
            // A value: an opening bracket, or a number.
            skipWhitespace()
            guard position < end else { break reading }
            if bytes[position] == Byte.openBracket {
                guard depth + open < maxDepth else { break reading }
                open += 1
                position += 1
                skipWhitespace()
                guard position < end, bytes[position] == Byte.closeBracket else { continue reading }
                position += 1
                open -= 1
            } else if open > 0, bytes[position] == Byte.minus || bytes[position] &- Byte.zero < 10 {
                var numberEnd = position
                guard let value = JSONNumber.float(in: bytes, from: position, end: &numberEnd) else {
                    position = try JSONParser.numberEnd(in: bytes, from: position)  // throws the grammar's error
                    break reading
                }
                floats.append(value)
                position = numberEnd
            } else {
                break reading
            }
            // After it: a comma and the next value, or closing brackets.
            while open > 0 {
                skipWhitespace()
                guard position < end else { break reading }
                if bytes[position] == Byte.comma {
                    position += 1
                    continue reading
                }
                guard bytes[position] == Byte.closeBracket else { break reading }
                position += 1
                open -= 1
            }
            return true
        }
        position = start
        floats.removeAll()
        return false
    }

    /// Only whitespace may follow the value.
    mutating func expectEnd() throws(JSONParseError) {
        skipWhitespace()
        if position < end { throw failure("unexpected \(Self.describe(bytes[position])) after the JSON value") }
    }

    private struct OpenContainer {
        var isObject: Bool
        var firstValue: Int
        var firstKey: Int
    }

    /// `"key":` of an object member, the cursor at its opening quote.
    private mutating func readKey(into keys: inout MoveOutStack<String>, building: Bool) throws(JSONParseError) {
        if let key = try readKey(building: building) { keys.push(key) }
    }

    /// Reads `"key":`, returning the key when `building`.
    private mutating func readKey(building: Bool) throws(JSONParseError) -> String? {
        guard position < end, bytes[position] == Byte.quote else { throw failure("expected '\"' to begin an object key") }
        var key: String?
        if building { key = try readString() } else { _ = try skipString() }
        skipWhitespace()
        guard position < end, bytes[position] == Byte.colon else { throw failure("expected ':' after an object key") }
        position += 1
        return key
    }

    private static func moveEntries(keys: inout MoveOutStack<String>, from firstKey: Int,
                                    values: inout MoveOutStack<JSONValue>, from firstValue: Int) -> [JSONObject.Entry] {
        let count = values.count - firstValue
        let keySource = keys.removeTop(from: firstKey)
        let valueSource = values.removeTop(from: firstValue)
        var entries: [JSONObject.Entry] = []
        entries.reserveCapacity(count)
        for i in 0..<count {
            entries.append(JSONObject.Entry(key: (keySource + i).move(), value: (valueSource + i).move()))
        }
        return entries
    }

    // MARK: Scalars

    private mutating func readScalar(building: Bool) throws(JSONParseError) -> JSONValue {
        switch bytes[position] {
        case Byte.quote:
            if building { return .string(try readString()) }
            _ = try skipString()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return building ? .bool(true) : .null
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return building ? .bool(false) : .null
        case UInt8(ascii: "n"):
            try expectLiteral("null")
        case Byte.minus, Byte.zero...UInt8(ascii: "9"):
            let start = position
            position = try JSONParser.numberEnd(in: bytes, from: start)
            if building { return .number(JSONNumber(validatedUTF8: UnsafeBufferPointer(rebasing: bytes[start..<position]))) }
        default:
            throw failure("expected a value, found \(Self.describe(bytes[position]))")
        }
        return .null
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        for k in 0..<literal.utf8CodeUnitCount {
            guard position + k < end, bytes[position + k] == literal.utf8Start[k] else {
                throw failure("invalid literal, expected '\(literal)'", at: position + k)
            }
        }
        position += literal.utf8CodeUnitCount
    }

    /// The string at the cursor (its opening quote), decoded.
    private mutating func readString() throws(JSONParseError) -> String {
        let contentStart = position + 1
        let hasEscapes = try skipString()
        let content = UnsafeBufferPointer(rebasing: bytes[contentStart..<(position - 1)])
        return hasEscapes ? Self.unescape(content) : String(decoding: content, as: UTF8.self)
    }

    /// Checks the string at the cursor and moves past its closing quote; true if it has escapes.
    private mutating func skipString() throws(JSONParseError) -> Bool {
        var i = position + 1
        var hasEscapes = false
        while true {
            i = plainASCIIEnd(from: i)
            guard i < end else { throw failure("unterminated string", at: end) }
            let byte = bytes[i]
            if byte == Byte.quote {
                position = i + 1
                return hasEscapes
            } else if byte == Byte.backslash {
                i += try escapeLength(at: i)
                hasEscapes = true
            } else if byte >= 0x80 {
                i += try utf8SequenceLength(at: i)
            } else {
                throw failure("control character \(Self.describe(byte)) must be escaped in a string", at: i)
            }
        }
    }

    /// The first byte from `start` on that is a quote, a backslash, a control character or non-ASCII.
    @inline(__always)
    private func plainASCIIEnd(from start: Int) -> Int {
        var i = start
        if let base = UnsafeRawPointer(bytes.baseAddress) {
            while i + 8 <= end, !Self.hasSpecialByte(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
                i += 8
            }
        }
        while i < end {
            let byte = bytes[i]
            if byte == Byte.quote || byte == Byte.backslash || byte < 0x20 || byte >= 0x80 { break }
            i += 1
        }
        return i
    }

    /// Whether any of the 8 bytes is `"`, `\`, below 0x20 or above 0x7F (SWAR bit tricks).
    @inline(__always)
    private static func hasSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quotes = word ^ (ones &* UInt64(Byte.quote))
        let backslashes = word ^ (ones &* UInt64(Byte.backslash))
        let zeroInQuotes = (quotes &- ones) & ~quotes
        let zeroInBackslashes = (backslashes &- ones) & ~backslashes
        let belowSpace = word &- ones &* 0x20
        return (zeroInQuotes | zeroInBackslashes | belowSpace | word) & (ones &* 0x80) != 0
    }

    /// The length of the valid escape at `i` (its backslash).
    private func escapeLength(at i: Int) throws(JSONParseError) -> Int {
        guard i + 1 < end else { throw failure("unterminated string", at: end) }
        switch bytes[i + 1] {
        case Byte.quote, Byte.backslash, Byte.slash, UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return 2
        case Byte.u:
            let unit = try hex4(at: i + 2, escapeAt: i)
            if unit & 0xFC00 == 0xD800, i + 7 < end, bytes[i + 6] == Byte.backslash, bytes[i + 7] == Byte.u,
               try hex4(at: i + 8, escapeAt: i + 6) & 0xFC00 == 0xDC00 {
                return 12
            }
            if unit & 0xF800 == 0xD800 {
                throw failure("unpaired UTF-16 surrogate \\u\(Self.hex(unit, digits: 4)) in a string", at: i)
            }
            return 6
        default:
            throw failure("invalid escape sequence in a string: backslash followed by \(Self.describe(bytes[i + 1]))", at: i)
        }
    }

    /// The four hex digits at `j` of the `\u` escape at `escape`.
    private func hex4(at j: Int, escapeAt escape: Int) throws(JSONParseError) -> UInt32 {
        var unit: UInt32 = 0
        for k in j..<(j + 4) {
            guard k < end else { throw failure("unterminated string", at: end) }
            guard let digit = Self.hexValue(bytes[k]) else {
                throw failure("invalid \\u escape, expected 4 hex digits", at: escape)
            }
            unit = unit << 4 | digit
        }
        return unit
    }

    /// The length of the well-formed UTF-8 sequence at `i` (Unicode's table 3-7: no overlong
    /// forms, no surrogates, nothing above U+10FFFF).
    private func utf8SequenceLength(at i: Int) throws(JSONParseError) -> Int {
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch bytes[i] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: length = 0
        }
        guard length > 0, i + length <= end, secondRange.contains(bytes[i + 1]),
              (i + 2..<(i + length)).allSatisfy({ bytes[$0] & 0xC0 == 0x80 }) else {
            throw failure("invalid UTF-8 in a string", at: i)
        }
        return length
    }

    /// Decodes the escapes of checked string content. The result is never longer than the input.
    private static func unescape(_ content: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: content.count) { out in
            var i = 0, n = 0
            while i < content.count {
                let byte = content[i]
                guard byte == Byte.backslash else {
                    out[n] = byte
                    n += 1
                    i += 1
                    continue
                }
                let kind = content[i + 1]
                i += 2
                switch kind {
                case UInt8(ascii: "b"): out[n] = 0x08
                case UInt8(ascii: "f"): out[n] = 0x0C
                case UInt8(ascii: "n"): out[n] = 0x0A
                case UInt8(ascii: "r"): out[n] = 0x0D
                case UInt8(ascii: "t"): out[n] = 0x09
                case Byte.u:
                    var scalar = hexValue(content, at: i)
                    i += 4
                    if scalar & 0xFC00 == 0xD800 {  // checked: a low surrogate escape follows
                        scalar = 0x10000 + (scalar - 0xD800) << 10 + (hexValue(content, at: i + 2) - 0xDC00)
                        i += 6
                    }
                    for unit in Unicode.Scalar(scalar)!.utf8 {
                        out[n] = unit
                        n += 1
                    }
                    continue
                default: out[n] = kind  // '"', '\' or '/'
                }
                n += 1
            }
            return n
        }
    }

    private static func hexValue(_ content: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt32 {
        (i..<(i + 4)).reduce(0) { $0 << 4 | hexValue(content[$1])! }
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    // MARK: Whitespace and errors

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < end {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    /// An error at `offset` (the cursor by default), saying so when the input ran out there.
    private func failure(_ message: String, at offset: Int? = nil) -> JSONParseError {
        let offset = offset ?? position
        return JSONParseError(offset: offset, message: offset >= end ? "unexpected end of input: \(message)" : message)
    }

    /// `'x'` for printable ASCII, else `byte 0x0A`.
    private static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(hex(UInt32(byte), digits: 2))"
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}

/// A growable stack whose top elements leave by being moved (no copies, no reference counting):
/// each container's elements are gathered here and moved into one exactly-sized array at its end.
struct MoveOutStack<Element>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>?
    private var capacity = 0
    private(set) var count = 0

    init() {}

    deinit {
        guard let base else { return }
        base.deinitialize(count: count)
        base.deallocate()
    }

    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (base! + count).initialize(to: element)
        count += 1
    }

    /// Removes the elements from `start` to the top, which the caller must then move out.
    mutating func removeTop(from start: Int) -> UnsafeMutablePointer<Element> {
        count = start
        return base! + start
    }

    /// The elements from `start` to the top, moved into an array of their own.
    mutating func popArray(from start: Int) -> [Element] {
        let n = count - start
        let source = removeTop(from: start)
        // reserveCapacity + append, not Array(unsafeUninitializedCapacity:): on Linux the latter
        // looks up the array's generic metadata at run time on every call (~20 ns per container).
        var array: [Element] = []
        array.reserveCapacity(n)
        for i in 0..<n { array.append((source + i).move()) }
        return array
    }

    private mutating func grow() {
        let newCapacity = max(32, capacity * 2)
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if let base {
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = newBase
        capacity = newCapacity
    }
}
