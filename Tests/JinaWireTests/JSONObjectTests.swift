import Testing
@testable import JinaWire

@Suite struct JSONObjectTests {
    @Test func keepsWrittenOrder() throws {
        let value = try JSONParser.parse(#"{"z":1,"a":2,"m":{"y":1,"b":2},"_":3}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m", "_"])
        #expect(value["m"]?.objectValue?.keys == ["y", "b"])
        #expect(value.jsonString == #"{"z":1,"a":2,"m":{"y":1,"b":2},"_":3}"#)
    }

    @Test func subscriptSemantics() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        object["b"] = "two"                  // an existing key keeps its place
        #expect(object.keys == ["a", "b", "c"])
        #expect(object["b"] == "two")
        object["d"] = 4                      // a new key goes to the end
        #expect(object.keys == ["a", "b", "c", "d"])
        object["a"] = nil                    // nil removes
        #expect(object.keys == ["b", "c", "d"])
        #expect(object["a"] == nil)
        object["a"] = .null                  // a JSON null is a value
        #expect(object.keys == ["b", "c", "d", "a"])
        #expect(object["a"] == .null)
        #expect(object["missing"] == nil)
        #expect(object.count == 4)
        #expect(!object.isEmpty)
        #expect(JSONObject().isEmpty)
    }

    @Test func removeValue() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        #expect(object.removeValue(forKey: "b") == 2)
        #expect(object.keys == ["a", "c"])
        #expect(object.removeValue(forKey: "b") == nil)
        #expect(object.values == [1, 3])
    }

    @Test func pairsAndLiteralsKeepOrderAndMergeRepeats() {
        let pairs = JSONObject([("x", 1), ("y", 2), ("x", 3)])
        #expect(pairs.keys == ["x", "y"])
        #expect(pairs["x"] == 3)
        let literal: JSONValue = ["q": 1, "b": 2, "a": 3]
        #expect(literal.objectValue?.keys == ["q", "b", "a"])
    }

    @Test func iteratesMembersInOrder() {
        let object: JSONObject = ["a": 1, "b": "x"]
        var seen: [String] = []
        for (key, value) in object { seen.append("\(key)=\(value.jsonString)") }
        #expect(seen == ["a=1", #"b="x""#])
        #expect(object.map(\.key) == ["a", "b"])
    }

    /// Past 32 members a hash index takes over; the semantics stay the same.
    @Test func largeObjects() {
        var object = JSONObject()
        for i in 0..<1000 { object["k\(i)"] = .number(JSONNumber(i)) }
        #expect(object.count == 1000)
        #expect(object["k999"] == 999)
        object["k10"] = "ten"
        #expect(object.keys[10] == "k10")
        #expect(object.removeValue(forKey: "k5") == 5)
        #expect(object.keys[5] == "k6")
        #expect(object["k6"] == 6)
        #expect(object["k10"] == "ten")
        object["k5"] = 5
        #expect(object.keys.last == "k5")
        for i in 0..<995 { object["k\(i)"] = nil }
        #expect(object.keys == ["k995", "k996", "k997", "k998", "k999"])
        #expect(object["k997"] == 997)
    }

    @Test func keysCompareByBytes() {
        var object = JSONObject()
        object["\u{E9}"] = 1
        object["e\u{301}"] = 2  // canonically equivalent in Swift, a different key in JSON
        #expect(object.count == 2)
        #expect(object["\u{E9}"] == 1)
        #expect(object["e\u{301}"] == 2)
        for i in 0..<40 { object["k\(i)"] = 0 }  // the same with the hash index
        #expect(object["\u{E9}"] == 1)
        #expect(object["e\u{301}"] == 2)
    }

    @Test func equalityIsOrderedAndExact() {
        let ab: JSONObject = ["a": 1, "b": 2]
        let ba: JSONObject = ["b": 2, "a": 1]
        #expect(ab != ba)
        #expect(ab == JSONObject([("a", 1), ("b", 2)]))
        #expect(JSONValue.string("\u{E9}") != .string("e\u{301}"))
        let values: Set<JSONValue> = [.object(ab), .object(ab), .object(ba), "x", "x", 1, 1.0]
        #expect(values.count == 5)
    }
}

@Suite struct JSONValueAccessorTests {
    let document: JSONValue = ["id": "doc-1", "n": 1.0, "f": 2.5, "ok": true, "list": [1, "two"], "tags": ["a": 1], "none": nil]

    @Test func typedAccessors() {
        #expect(document["id"]?.stringValue == "doc-1")
        #expect(document["n"]?.intValue == 1)  // the Jina 3.x client sends 1 as 1.0
        #expect(document["f"]?.intValue == nil)
        #expect(document["f"]?.doubleValue == 2.5)
        #expect(document["ok"]?.boolValue == true)
        #expect(document["list"]?.arrayValue?.count == 2)
        #expect(document["tags"]?.objectValue?.keys == ["a"])
        #expect(document["none"]?.isNull == true)
        #expect(document["id"]?.intValue == nil)
        #expect(document["missing"] == nil)
        #expect(document["id"]?["x"] == nil)
    }

    @Test func indexSubscript() {
        #expect(document["list"]?[0] == 1)
        #expect(document["list"]?[1] == "two")
        #expect(document["list"]?[2] == nil)
        #expect(document["list"]?[-1] == nil)
        #expect(document[0] == nil)
    }

    @Test func settingMembersInPlace() {
        var value = document
        value["tags"]?["b"] = 2
        value["id"] = "doc-2"
        value["n"] = nil
        #expect(value.objectValue?.keys == ["id", "f", "ok", "list", "tags", "none"])
        #expect(value["tags"] == ["a": 1, "b": 2])
        #expect(value["id"] == "doc-2")
        var notAnObject: JSONValue = [1]
        notAnObject["x"] = 1  // does nothing
        #expect(notAnObject == [1])
        #expect(document["id"] == "doc-1")  // value semantics
    }

    @Test func literals() {
        let value: JSONValue = [nil, true, 1, 1.5, "s", [], [:]]
        #expect(value.jsonString == #"[null,true,1,1.5,"s",[],{}]"#)
    }
}
