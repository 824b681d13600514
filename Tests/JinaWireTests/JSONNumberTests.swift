import Testing
@testable import JinaWire
import SeededRandom

@Suite struct JSONNumberTests {
    @Test func fromInt() {
        #expect(JSONNumber(0).text == "0")
        #expect(JSONNumber(-5).text == "-5")
        #expect(JSONNumber(Int.max).text == "9223372036854775807")
        #expect(JSONNumber(Int.min).text == "-9223372036854775808")
        #expect(JSONNumber(Int.min).int == Int.min)
    }

    @Test(arguments: [
        (0.1, "0.1"), (1.0, "1.0"), (-0.0, "-0.0"), (1e-5, "1e-05"), (1e21, "1e+21"), (100.0, "100.0"),
        (0.30000000000000004, "0.30000000000000004"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (Double.leastNonzeroMagnitude, "5e-324"),
    ] as [(Double, String)])
    func fromDoubleIsShortestRoundTripText(value: Double, text: String) {
        let number = JSONNumber(value)
        #expect(number.text == text)
        #expect(JSONNumber(text: number.text) != nil)  // valid JSON syntax
        #expect(number.double.bitPattern == value.bitPattern)
    }

    @Test func fromFloatIsShortForFloats() {
        #expect(JSONNumber(Float(0.1)).text == "0.1")
        #expect(JSONNumber(Float(16_777_216)).text == "16777216.0")
        #expect(Float(JSONNumber(Float(0.1)).double) == Float(0.1))
    }

    @Test func nonFiniteHasNoJSONForm() {
        #expect(JSONNumber(finite: .nan) == nil)
        #expect(JSONNumber(finite: .infinity) == nil)
        #expect(JSONNumber(finite: -.infinity) == nil)
        #expect(JSONNumber(finite: 2.5)?.text == "2.5")
    }

    @Test(arguments: ["0", "-0", "1", "-1", "10", "0.5", "-0.0", "1e5", "1E5", "1e+5", "1e-5", "1.25E-05",
                      "123456789012345678901234567890", "1e400", "0e0"])
    func validText(text: String) {
        #expect(JSONNumber(text: text)?.text == text)
    }

    @Test(arguments: ["", " 1", "1 ", "01", "-", "+1", "1.", ".5", "1e", "1e+", "0x1", "NaN", "Infinity",
                      "1.5.5", "1e5e5", "--1", "١", "1_000"])
    func invalidText(text: String) {
        #expect(JSONNumber(text: text) == nil)
    }

    @Test(arguments: [
        ("3", 3), ("-3", -3), ("3.0", 3), ("3e0", 3), ("300e-2", 3), ("-0", 0), ("-0.0", 0), ("0.000", 0),
        ("1e2", 100), ("1E+2", 100), ("0.5e1", 5), ("100e-2", 1), ("0e999999999999999999999", 0),
        ("123456789012345678", 123_456_789_012_345_678), ("9223372036854775807", Int.max),
        ("9223372036854775807.000", Int.max), ("92233720368547758.07e2", Int.max),
        ("-9223372036854775808", Int.min), ("-922337203685477580.8e1", Int.min), ("1e18", 1_000_000_000_000_000_000),
        ("9007199254740993.0", 9_007_199_254_740_993),  // exact, not rounded through Double
    ] as [(String, Int)])
    func intOfWholeNumbers(text: String, value: Int) {
        #expect(JSONNumber(text: text)!.int == value)
    }

    @Test(arguments: ["0.5", "1.5", "-2.25", "1e-1", "15e-1", "9223372036854775808", "-9223372036854775809",
                      "12345678901234567890", "1e19", "1e400", "1e-999999999999", "0.1e1000000000000000000000"])
    func intOfOtherNumbersIsNil(text: String) {
        #expect(JSONNumber(text: text)!.int == nil)
    }

    @Test func double() {
        #expect(JSONNumber(text: "0.1")!.double == 0.1)
        #expect(JSONNumber(text: "1e400")!.double == .infinity)
        #expect(JSONNumber(text: "-1e400")!.double == -.infinity)
        #expect(JSONNumber(text: "1e-400")!.double == 0)
        #expect(JSONNumber(text: "12345678901234567890")!.double == 12_345_678_901_234_567_890.0)
        #expect(JSONNumber(text: "-0")!.double.sign == .minus)
    }

    /// `double` takes a fast path for short texts; it must agree bit for bit with the standard parser.
    @Test func doubleMatchesTheStandardLibrary() {
        var generator = SplitMix64(seed: 5)
        var texts = ["0", "-0", "0.0", "-0.0", "1", "1.5", "123456789012345", "1234567890123456", "0.000000000000001234",
                     "9007199254740993", "1e22", "1e23", "123e-22", "123e-23", "0e500", "-0e-500", "1e-400", "1e400",
                     "0.000000000000000000001", "0.10000000000000000555", "4.9406564584124654e-324", "179769313486231570e291"]
        for _ in 0..<3000 {
            let bits = generator.next()
            switch bits % 4 {
            case 0: texts.append(Float(bitPattern: UInt32(truncatingIfNeeded: bits >> 8) & 0x7F7F_FFFF).description)
            case 1: texts.append(Double(bitPattern: bits >> 2).description)
            case 2: texts.append(Double(Float.random(in: -1...1, using: &generator)).description)
            default:
                let digits = String(bits % 10_000_000_000_000_000)
                texts.append("\(digits.prefix(1)).\(digits.dropFirst())e\(Int(bits >> 58) - 32)")
            }
        }
        for text in texts {
            guard let number = JSONNumber(text: text) else {
                Issue.record("not a JSON number: \(text)")
                continue
            }
            #expect(number.double.bitPattern == Double(text)!.bitPattern, "\(text)")
        }
    }

    /// `float` skips the standard parser for up to 19 digits; it must give `Float(double)` bit for
    /// bit, also next to a tie between two floats, where it must not guess.
    @Test func floatMatchesFloatOfDouble() {
        var generator = SplitMix64(seed: 17)
        var texts = ["0", "-0", "0.0", "1", "-1.5", "0.1", "1e-45", "1e-46", "3.4028235e38", "3.4028236e38", "1e39",
                     "1.17549435e-38", "1.1754942e-38", "0.30000001192092896", "0.30000001192092895",
                     "16777217", "16777217.000000001", "16777216.999999999", "-0.009129825816118098",
                     "1234567890123456789", "12345678901234567890", "0.1000000000000000000000001"]
        for _ in 0..<20_000 {
            let bits = generator.next()
            switch bits % 4 {
            case 0: texts.append(Double.random(in: -1...1, using: &generator).description)  // what Python writes
            case 1: texts.append(Double(bitPattern: bits >> 2).description)
            case 2:
                // Exactly halfway between two floats, and a few doubles either side of it.
                let float = Float(bitPattern: UInt32(truncatingIfNeeded: bits >> 8) & 0x7EFF_FFFF | 0x0080_0000)  // finite, and so is nextUp
                let tie = (Double(float) + Double(float.nextUp)) / 2
                let step = Int(bits >> 60) - 8
                let near = Double(bitPattern: UInt64(Int64(tie.bitPattern) + Int64(step)))
                texts.append(near.description)
            default:
                let digits = String(bits % 10_000_000_000_000_000_000)
                texts.append("\(digits.prefix(1)).\(digits.dropFirst())e\(Int(bits >> 59) - 16)")
            }
        }
        var fast = 0
        for text in texts {
            guard let number = JSONNumber(text: text) else {
                Issue.record("not a JSON number: \(text)")
                continue
            }
            #expect(number.float.bitPattern == Float(Double(text)!).bitPattern, "\(text)")
            if text.filter(\.isNumber).count > 15 { fast += 1 }
        }
        #expect(fast > 10_000)  // most texts take the 16–19 digit path
    }

    /// Read in one pass from a longer text, a number is checked as `numberEnd` checks it: refused
    /// exactly when that throws, and otherwise ending where it ends, with `Float(Double(text))`.
    @Test(arguments: ["0", "-0", "7", "01", "-01", "00", "1.", "1.e5", "1e", "1e+", "1E-", "-", "-a", ".5", "0.5e-3", "1.5x",
                      "12345678,1", "0.12345678]", "0.00000000000000000001234", "123456789012345678901234", "1e999999",
                      "9.87654321e-7", "12345678.87654321", "-0.30000001192092896", "1.0000000000000000000000001"])
    func floatReadInOnePassIsCheckedAsTheGrammarSays(text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            var end = 0
            let value = JSONNumber.float(in: buffer, from: 0, end: &end)
            let grammarEnd = try? JSONParser.numberEnd(in: buffer, from: 0)
            #expect((value == nil) == (grammarEnd == nil), "\(text)")
            guard let value, let grammarEnd else { return }
            #expect(end == grammarEnd, "\(text)")
            #expect(value.bitPattern == Float(Double(String(decoding: bytes[..<end], as: UTF8.self))!).bitPattern, "\(text)")
        }
    }

    @Test func equalityIsTextual() {
        #expect(JSONNumber(text: "1") != JSONNumber(text: "1.0"))
        #expect(JSONNumber(text: "1e2") != JSONNumber(text: "100"))
        #expect(JSONNumber(1) == JSONNumber(text: "1"))
        #expect(JSONNumber(1.5).description == "1.5")
    }

    /// Texts up to 32 characters are stored packed, longer ones as strings: the same behaviour.
    @Test func textOfEveryLengthAndSymbol() throws {
        for length in 2...40 {
            let digits = String((0..<length).map { Character(String($0 % 10)) }).dropFirst()
            for text in ["1" + digits, "-1" + digits, "1." + digits + "e+5", "-0." + digits + "E-12"] where text.count <= 42 {
                let number = try #require(JSONNumber(text: text))
                #expect(number.text == text)
                #expect(number.description == text)
                #expect(number == JSONNumber(text: text))
                #expect(try JSONParser.parse(text) == .number(number))
                #expect(try JSONParser.parse("[" + text + "]").jsonString == "[" + text + "]")
                #expect(number.double == Double(text))
            }
        }
        #expect(JSONNumber(text: "1" + String(repeating: "0", count: 31)) != JSONNumber(text: "1" + String(repeating: "0", count: 32)))
        #expect(JSONNumber(text: String(repeating: "9", count: 40))!.int == nil)
        #expect(JSONNumber(text: "1" + String(repeating: "0", count: 40) + "e-40")!.int == 1)
    }

    @Test func textSurvivesParseAndWrite() throws {
        let text = "[0.1,1.0,1e400,-0,1E+2,12345678901234567890123,0.30000000000000004,5e-324]"
        #expect(try JSONParser.parse(text).jsonString == text)
        let value = try JSONParser.parse(text)
        #expect(value[3]?.intValue == 0)
        #expect(value[4]?.intValue == 100)
        #expect(value[1]?.intValue == 1)
        #expect(value[0]?.intValue == nil)
    }
}
