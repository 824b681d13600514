import Testing
import JinaWire
import SeededRandom
@testable import JinaGateway

/// Documents a request's checks would not change go on as written; any other request gets
/// what `DocumentInput` makes of it, so a client cannot tell which way its request went.
@Suite struct DocumentPassThroughTests {
    func passed(_ body: String, unknownKeys: Bool = true) -> (body: [UInt8], count: Int)? {
        DocumentPassThrough(Array(body.utf8))?.body(unknownKeys: unknownKeys)
    }

    @Test func documentsWithIDsGoOnByteForByte() throws {
        let data = #"[{"id": "a", "text": "x y", "embedding": [1, 2.5e3]}, {"text":"\u00e9\n","id":"b","tags":{"k":[1]}}]"#
        let passed = try #require(self.passed(#"{"exec_endpoint": "/", "data": "# + data + #", "parameters": {}}"#))
        #expect(passed.count == 2)
        #expect(String(decoding: passed.body, as: UTF8.self) == #"[{"id": "a", "text": "x y", "embedding": [1, 2.5e3]},{"text":"\u00e9\n","id":"b","tags":{"k":[1]}}]"#)
    }

    @Test func aDocumentWithoutAnIDGetsOneFirst() throws {
        let passed = try #require(self.passed(#"{"data": [{"text": "a"}, {}, {"text": "b"}]}"#))
        let docs = try JSONParser.parse(passed.body).arrayValue ?? []
        #expect(docs.map { $0.objectValue?.keys ?? [] } == [["id", "text"], ["id"], ["id", "text"]])
        let ids = docs.compactMap { $0["id"]?.stringValue }
        #expect(ids.count == 3 && Set(ids).count == 3 && ids.allSatisfy { $0.count == 32 })
    }

    @Test(arguments: [
        #"{"data": [{"id": null, "text": "a"}]}"#,  // the id is replaced where it stands
        #"{"data": [{"id": 5}]}"#,  // an error names the field
        #"{"data": [{"text": 5}]}"#,
        #"{"data": [{"embedding": "x"}]}"#,
        #"{"data": [{"tags": true}]}"#,
        #"{"data": [{"chunks": [{"text": "c"}]}]}"#,  // nested documents get ids of their own
        #"{"data": [{"id": "a", "text": "x", "text": "y"}]}"#,  // a key twice keeps its last value
        "{\"data\": [{\"id\": \"a\",\n\"text\": \"x\"}]}",  // would split a framed line
        "{\"data\": [{\"id\": \"a\",\r\"text\": \"x\"}]}",
        #"{"data": ["a text"]}"#,
        #"{"data": {"docs": [{"id": "a"}]}}"#,
        #"{"data": [{"id": "a"}], "data": []}"#,
        #"{"data": [{"id": "a"}]"#,  // not JSON
        #"[{"id": "a"}]"#,
        #"{"data": [{"id": "\ud800"}]}"#,
    ])
    func leftToDocumentInput(body: String) {
        #expect(passed(body) == nil)
    }

    @Test func unknownKeysPassOnlyWhereTheyStayKeys() {
        let body = #"{"data": [{"id": "a", "zz": 1}]}"#
        #expect(passed(body, unknownKeys: true)?.count == 1)
        #expect(passed(body, unknownKeys: false) == nil)
    }

    @Test func noDocumentsIsAnEmptyList() throws {
        let passed = try #require(self.passed(#"{"data": [], "parameters": {"p": 1}}"#))
        #expect(passed.body == Array("[]".utf8) && passed.count == 0)
        #expect(self.passed(#"{"parameters": {}}"#) == nil)
    }

    /// Random bodies through both ways: whenever the documents pass as written they are what
    /// `DocumentInput` makes of them (generated ids aside), and the common case does pass.
    @Test func sameDocumentsEitherWay() throws {
        var random = SplitMix64(seed: 2026_12_07)
        let values: [String: [String]] = [
            "id": [#""d1""#, #""x\"y""#, "null", "7"],
            "text": [#""hello""#, #""caf\u00e9 ☕""#, "null", "3"],
            "embedding": ["[0.5, -1e-3]", "[[1,2],[3,4]]", #"{"dense": {"buffer": "AA=="}}"#, #""v""#],
            "tags": [#"{"a": [1, {"b": null}]}"#, "{}", "[]"],
            "weight": ["1.5", "-0", #""heavy""#],
            "chunks": ["[]", "null", #"[{"text": "c"}]"#],
            "location": ["[1, 2]", "{}"],
            "zz": ["true", #"{"n": 1}"#],
        ]
        let keys = Array(values.keys).sorted()
        let spaces = ["", " ", "\t", "\n"]
        var passedCount = 0
        for _ in 0..<2_000 {
            var documents: [String] = []
            for _ in 0..<random.next(below: 4) {
                var members: [String] = []
                for _ in 0..<random.next(below: 4) {
                    let key = keys[random.next(below: keys.count)]
                    let choices = values[key]!
                    let space = spaces[random.next(below: spaces.count)]
                    members.append("\"\(key)\":\(space)\(choices[random.next(below: choices.count)])")
                }
                documents.append(random.next(below: 20) == 0 ? #""plain text""# : "{" + members.joined(separator: ", ") + "}")
            }
            let body = #"{"data": ["# + documents.joined(separator: ",") + "]}"
            let unknownKeys = random.next(below: 2) == 0
            guard let passed = passed(body, unknownKeys: unknownKeys) else { continue }
            passedCount += 1
            let input = try DocumentInput.items(of: JSONParser.parse(body)["data"])
            let expected = try DocumentInput.documents(input.items, unknownKeysToTags: !unknownKeys)
            var got = try JSONParser.parse(passed.body).arrayValue ?? []
            #expect(got.count == expected.count && passed.count == expected.count, "\(body)")
            for (index, document) in expected.enumerated() where index < got.count {
                // Generated ids differ; each is a fresh one in the first place.
                if try JSONParser.parse(body)["data"]?[index]?["id"] == nil {
                    #expect(got[index]["id"]?.stringValue?.count == 32 && got[index].objectValue?.keys.first == "id")
                    got[index]["id"] = document["id"]
                }
                #expect(got[index] == document, "\(body)")
            }
        }
        #expect(passedCount > 200)
    }
}
