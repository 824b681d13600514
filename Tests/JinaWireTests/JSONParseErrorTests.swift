import Testing
@testable import JinaWire

/// Every class of error, at its exact byte offset.
@Suite struct JSONParseErrorTests {
    @Test(arguments: [
        // Input ends early: the offset is the input's length.
        ("", 0, "unexpected end of input: expected a value"),
        ("   ", 3, "unexpected end of input: expected a value"),
        ("[", 1, "unexpected end of input: expected a value"),
        ("[1", 2, "unexpected end of input: expected ',' or ']' after an array element"),
        ("[1,", 3, "unexpected end of input: expected a value"),
        ("{", 1, "unexpected end of input: expected '\"' to begin an object key"),
        (#"{"a""#, 4, "unexpected end of input: expected ':' after an object key"),
        (#"{"a":"#, 5, "unexpected end of input: expected a value"),
        (#"{"a":1"#, 6, "unexpected end of input: expected ',' or '}' after an object member"),
        // Structure.
        ("[1,]", 3, "expected a value, found ']'"),
        (#"{"a":1,}"#, 7, "expected '\"' to begin an object key"),
        ("{,}", 1, "expected '\"' to begin an object key"),
        ("{1:2}", 1, "expected '\"' to begin an object key"),
        (#"{"a" 1}"#, 5, "expected ':' after an object key"),
        (#"{"a":1 "b":2}"#, 7, "expected ',' or '}' after an object member"),
        (#"{"id":"doc-1","x":1 "y":2}"#, 20, "expected ',' or '}' after an object member"),
        ("[1 2]", 3, "expected ',' or ']' after an array element"),
        ("[1}", 2, "expected ',' or ']' after an array element"),
        (#"{"a":1]"#, 6, "expected ',' or '}' after an object member"),
        ("]", 0, "expected a value, found ']'"),
        ("1 2", 2, "unexpected '2' after the JSON value"),
        ("[] x", 3, "unexpected 'x' after the JSON value"),
        ("{}}", 2, "unexpected '}' after the JSON value"),
        ("'a'", 0, "expected a value, found '''"),
        ("[1 /* c */]", 3, "expected ',' or ']' after an array element"),
        ("// c\n1", 0, "expected a value, found '/'"),
        // Numbers.
        ("01", 0, "leading zeros are not allowed in a number"),
        ("-01", 1, "leading zeros are not allowed in a number"),
        ("[00]", 1, "leading zeros are not allowed in a number"),
        ("-", 1, "unexpected end of input: expected a digit in a number"),
        ("-a", 1, "expected a digit in a number"),
        ("1.", 2, "unexpected end of input: expected a digit after '.' in a number"),
        ("1.e5", 2, "expected a digit after '.' in a number"),
        ("1e", 2, "unexpected end of input: expected a digit in the exponent of a number"),
        ("1e+", 3, "unexpected end of input: expected a digit in the exponent of a number"),
        ("[1ex]", 3, "expected a digit in the exponent of a number"),
        (".5", 0, "expected a value, found '.'"),
        ("+1", 0, "expected a value, found '+'"),
        ("NaN", 0, "expected a value, found 'N'"),
        ("-Infinity", 1, "expected a digit in a number"),
        ("0x10", 1, "unexpected 'x' after the JSON value"),
        // Literals.
        ("tru", 3, "unexpected end of input: invalid literal, expected 'true'"),
        ("trUe", 2, "invalid literal, expected 'true'"),
        ("[nul]", 4, "invalid literal, expected 'null'"),
        ("fals", 4, "unexpected end of input: invalid literal, expected 'false'"),
        ("True", 0, "expected a value, found 'T'"),
        ("nan", 1, "invalid literal, expected 'null'"),
        // Strings.
        (#""abc"#, 4, "unexpected end of input: unterminated string"),
        (#"["abcdefghijklmnop"#, 18, "unexpected end of input: unterminated string"),
        ("\"a\nb\"", 2, "control character byte 0x0A must be escaped in a string"),
        ("\"\t\"", 1, "control character byte 0x09 must be escaped in a string"),
        ("\"0123456789\u{1F}\"", 11, "control character byte 0x1F must be escaped in a string"),
        (#""\x""#, 1, "invalid escape sequence in a string: backslash followed by 'x'"),
        (#""ab\'""#, 3, "invalid escape sequence in a string: backslash followed by '''"),
        ("\"\\\n\"", 1, "invalid escape sequence in a string: backslash followed by byte 0x0A"),
        (#""\u12G4""#, 1, #"invalid \u escape, expected 4 hex digits"#),
        (#""\u12"#, 5, "unexpected end of input: unterminated string"),
        (#""\"#, 2, "unexpected end of input: unterminated string"),
        (#""\uD800""#, 1, #"unpaired UTF-16 surrogate \uD800 in a string"#),
        (#""\uDC00""#, 1, #"unpaired UTF-16 surrogate \uDC00 in a string"#),
        (#""\uD800\u0041""#, 1, #"unpaired UTF-16 surrogate \uD800 in a string"#),
        (#""ab\udbff\udbff""#, 3, #"unpaired UTF-16 surrogate \uDBFF in a string"#),
        (#""\uD800\u00""#, 7, #"invalid \u escape, expected 4 hex digits"#),
        (#"{"k\uDE00":1}"#, 3, #"unpaired UTF-16 surrogate \uDE00 in a string"#),
    ] as [(String, Int, String)])
    func reportsError(text: String, offset: Int, message: String) {
        #expect(parseError(text) == JSONParseError(offset: offset, message: message), "\(text)")
    }

    @Test(arguments: [
        ([0x22, 0xFF, 0x22], 1),                    // never valid in UTF-8
        ([0x22, 0x80, 0x22], 1),                    // a continuation byte with no lead
        ([0x22, 0x61, 0xC3, 0x28, 0x22], 2),        // a lead byte without its continuation
        ([0x22, 0xC0, 0x80, 0x22], 1),              // overlong NUL
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], 1),        // overlong '/'
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),        // an encoded surrogate
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // above U+10FFFF
        ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], 1),
        ([0x22, 0xE2, 0x82], 1),                    // cut off by the end of input
        ([0x22, 0xE2, 0x82, 0x22], 1),              // cut off by the closing quote
        (Array(#"{"name":"caf"#.utf8) + [0xE9] + Array(#""}"#.utf8), 12),  // Latin-1 é
    ] as [([UInt8], Int)])
    func reportsInvalidUTF8(bytes: [UInt8], offset: Int) {
        #expect(parseError(bytes) == JSONParseError(offset: offset, message: "invalid UTF-8 in a string"))
    }

    @Test func nonASCIIOutsideStrings() {
        #expect(parseError([0xC3, 0xA9]) == JSONParseError(offset: 0, message: "expected a value, found byte 0xC3"))
        #expect(parseError([0xEF, 0xBB, 0xBF, 0x31])?.offset == 0)  // a byte-order mark is not JSON
        #expect(parseError([0x5B, 0x31, 0xC2, 0xA0, 0x5D])?.offset == 2)  // no-break space is not whitespace
    }

    @Test func description() {
        let error = parseError(#"{"id":"doc-1","x":1 "y":2}"#)!
        #expect(error.description == "invalid JSON at byte 20: expected ',' or '}' after an object member")
        #expect("\(error)" == error.description)
    }
}
