import Testing
@testable import JinaWire
import SeededRandom

@Suite struct JSONFuzzTests {
    /// Random trees → write → parse → the same tree, and writing again gives the same bytes.
    @Test func randomTreesRoundTrip() throws {
        var random = RandomJSON(seed: 2024)
        for _ in 0..<1000 {
            let value = random.value()
            let bytes = value.jsonBytes
            let parsed = try JSONParser.parse(bytes)
            #expect(parsed == value)
            #expect(parsed.jsonBytes == bytes)
            #expect(parsed.hashValue == value.hashValue)
        }
    }

    static let seeds: [String] = [
        #"{"id":"doc-00000000-A1C79036","text":"hello world 123","tags":{"a":1}}"#,
        #"[{"id":"a","embedding":[0.1,-0.25,3.0e-5,1E+2],"blob":{"dense":{"buffer":"AAAA","shape":[1],"dtype":"<f4"}}}]"#,
        #"{"data":[{"text":"héllo \"world\" \\ \u00e9 \ud83d\ude00 日本"}],"parameters":{"top_k":1.0,"x":[true,false,null]}}"#,
        #"[[[[]]],{"":{"":[{}]}},-0,0.5e-10,"\u0000\n\t"]"#,
        #"[{"embedding":[[1,-2.5e-3],[],[0.30000001192092896]],"id":"x"},{"embedding":[1,"a"]},{"embedding":[ 7 , 8 ]}]"#,
    ]

    /// Mutated valid JSON: the parser returns a value or throws an error inside the input, and
    /// never crashes. For arrays, `arrayElementRanges` and `arrayElementMembers` agree with the
    /// parser exactly.
    @Test func mutatedInputsNeverCrash() {
        var generator = SplitMix64(seed: 99)
        let specials = Array(#"{}[],:"\/ubfnrt0123456789-+.eE "#.utf8) + [0x00, 0x0A, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xFF]
        var accepted = 0, rejected = 0
        for round in 0..<5000 {
            var bytes = Array(Self.seeds[round % Self.seeds.count].utf8)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let i = Int.random(in: 0..<max(1, bytes.count), using: &generator)
                switch Int.random(in: 0..<6, using: &generator) {
                case 0 where !bytes.isEmpty: bytes[i] = specials.randomElement(using: &generator)!
                case 1: bytes.insert(specials.randomElement(using: &generator)!, at: min(i, bytes.count))
                case 2 where !bytes.isEmpty: bytes.remove(at: i)
                case 3: bytes = Array(bytes.prefix(i))
                case 4 where !bytes.isEmpty: bytes[i] = UInt8.random(in: 0...255, using: &generator)
                default:
                    let j = Int.random(in: i...max(i, bytes.count), using: &generator)
                    bytes.insert(contentsOf: bytes[min(i, bytes.count)..<min(j, bytes.count)], at: min(j, bytes.count))
                }
            }
            do {
                let value = try JSONParser.parse(bytes)
                accepted += 1
                #expect(try JSONParser.parse(value.jsonBytes) == value, "\(bytes)")
                if case .array(let elements) = value {
                    #expect((try? elementRanges(bytes).count) == elements.count)
                    // Each element's range as arrayElementRanges gives it; an object's members as
                    // objectMemberRanges finds them in the element alone (offsets in the whole input).
                    // The embedding's floats, read in the same scan, are the parsed value's.
                    let withMembers = try elementMembers(bytes, floatsOf: "embedding")
                    #expect(withMembers.map(\.range) == (try? elementRanges(bytes)), "\(bytes)")
                    for (element, parsed) in zip(withMembers, elements) {
                        let alone = try JSONParser.objectMemberRanges(Array(bytes[element.range]))
                        #expect(alone?.map(\.key) == element.members?.map(\.key), "\(bytes)")
                        #expect(alone?.map(\.value) == element.members?.map { $0.value.lowerBound - element.range.lowerBound..<$0.value.upperBound - element.range.lowerBound }, "\(bytes)")
                        let embedding = parsed["embedding"]
                        #expect(element.floats == (embedding?.arrayValue != nil ? embedding.flatMap(NDArray.floats(from:)) : nil), "\(bytes)")
                    }
                }
                // objectMemberRanges finds every member, and the last of a key parses to its value;
                // on valid JSON that is not an object it returns nil, without an error.
                let members = try JSONParser.objectMemberRanges(bytes)
                if case .object(let object) = value, let members {
                    #expect(Set(members.map(\.key)) == Set(object.keys), "\(bytes)")
                    for (key, range) in members where members.last(where: { $0.key == key })?.value == range {
                        #expect((try? JSONParser.parse(Array(bytes[range]))) == object[key], "\(bytes)")
                    }
                } else {
                    #expect(value.objectValue == nil && members == nil, "\(bytes)")
                }
            } catch {
                rejected += 1
                #expect(error.offset >= 0 && error.offset <= bytes.count, "\(bytes): \(error)")
                if bytes.first == UInt8(ascii: "[") {
                    #expect(rangesError(bytes) == error, "\(bytes)")
                    do {
                        _ = try elementMembers(bytes, floatsOf: "embedding")
                        Issue.record("arrayElementMembers accepted what the parser refused: \(bytes)")
                    } catch let membersError {
                        #expect(membersError == error, "\(bytes)")
                    }
                }
                do {
                    _ = try JSONParser.objectMemberRanges(bytes)
                    Issue.record("objectMemberRanges accepted what the parser refused: \(bytes)")
                } catch let membersError {
                    #expect(membersError == error, "\(bytes)")
                }
            }
        }
        #expect(accepted > 100 && rejected > 1000)  // the mutations exercise both paths
    }
}
