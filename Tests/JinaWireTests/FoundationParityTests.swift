import Foundation
import Testing
@testable import JinaWire

/// JinaWire and Foundation's JSONSerialization accept and reject the same texts, with the same
/// values, except where JinaWire is deliberately stricter or more exact (listed below).
@Suite struct FoundationParityTests {
    static let accepted: [String] = [
        "null", "true", "false", "0", "-0", "1", "-1", "1.5", "-0.0", "1e5", "1E-5", "2.5e+3", "0.1",
        "9223372036854775807", "-9223372036854775808", "12345678901234567890", "1e-400",
        #""""#, #""abc""#, #""\"\\\/\b\f\n\r\t""#, #""\u0041\u00e9\uD83D\uDE00""#, #""\u0000""#, "\"\u{7F}é日😀\"",
        "[]", "{}", "[1,[2,[3]]]", #"{"a":{"b":[null,true]}}"#, " \t\n\r[ 1 , 2 ]\n", #"{"a":1,"a":2}"#,
        #"{"id":"doc-00000000-A1C79036","text":"hello world 123","tags":{"a":1}}"#,
        String(repeating: "[", count: 512) + String(repeating: "]", count: 512),
    ]

    static let rejected: [String] = [
        "", " ", "[", "]", "{", "[1", "[1 2]", "{\"a\"}", "{\"a\":}", "{1:2}", "{\"a\":1 \"b\":2}", "01", "-01", "-",
        "1.", ".5", "+1", "1e", "1e+", "NaN", "Infinity", "-Infinity", "tru", "nul", "True", "'a'", "\"abc", "\"a\nb\"",
        "\"\t\"", #""\x""#, #""\u12G4""#, #""\uD800""#, #""\uDC00""#, #""\uD800\u0041""#, "1 2", "[] x", "[1]]",
        "/* c */ 1", String(repeating: "[", count: 513) + String(repeating: "]", count: 513),
    ]

    static let rejectedBytes: [[UInt8]] = [
        [0x22, 0xFF, 0x22], [0x22, 0xC0, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
        [0x22, 0x61, 0xC3, 0x28, 0x22], [0x22, 0x61, 0x00, 0x22],
    ]

    func foundation(_ bytes: [UInt8]) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)
    }

    @Test(arguments: accepted)
    func bothAcceptWithTheSameValue(text: String) throws {
        let ours = try JSONParser.parse(text)
        let theirs = try #require(foundation(Array(text.utf8)))
        #expect(Self.same(ours, theirs), "\(text)")
    }

    @Test(arguments: rejected.map { Array($0.utf8) } + rejectedBytes)
    func bothReject(bytes: [UInt8]) {
        #expect(parseError(bytes) != nil)
        #expect(foundation(bytes) == nil)
    }

    /// Where we differ on purpose: RFC 8259 forbids trailing commas, and a byte-order mark is not
    /// JSON; Foundation cannot hold 1e400 (we keep its text); and Swift's dictionaries merge keys
    /// that are canonically equivalent, which are different keys in JSON.
    @Test func deliberateDifferences() throws {
        #expect(foundation(Array("[1,]".utf8)) != nil)
        #expect(parseError("[1,]") != nil)
        #expect(foundation([0xEF, 0xBB, 0xBF, 0x31]) != nil)
        #expect(parseError([0xEF, 0xBB, 0xBF, 0x31]) != nil)
        #expect(foundation(Array("1e400".utf8)) == nil)
        #expect(try JSONParser.parse("1e400") == .number(JSONNumber(text: "1e400")!))
        let keys = "{\"\u{E9}\":1,\"e\u{301}\":2}"
        #expect((foundation(Array(keys.utf8)) as? [String: Any])?.count == 1)
        #expect(try JSONParser.parse(keys).objectValue?.count == 2)
    }

    /// Our value against Foundation's, guided by our type (Foundation's numbers and booleans are
    /// NSNumbers, its objects unordered dictionaries).
    static func same(_ ours: JSONValue, _ theirs: Any) -> Bool {
        switch ours {
        case .null: return theirs is NSNull
        case .bool(let b):
            guard let n = theirs as? NSNumber, String(cString: n.objCType) == "c" || theirs is Bool else { return false }
            return n.boolValue == b
        case .number(let number):
            guard let n = theirs as? NSNumber, !(theirs is Bool) || String(cString: n.objCType) != "c" else { return false }
            return n.doubleValue == number.double
        case .string(let s): return (theirs as? String) == s
        case .array(let elements):
            guard let array = theirs as? [Any], array.count == elements.count else { return false }
            return zip(elements, array).allSatisfy { same($0, $1) }
        case .object(let object):
            guard let dictionary = theirs as? [String: Any], dictionary.count == object.count else { return false }
            return object.allSatisfy { key, value in dictionary[key].map { same(value, $0) } ?? false }
        }
    }
}
