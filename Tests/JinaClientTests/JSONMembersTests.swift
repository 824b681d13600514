@testable import JinaClient
import Testing

/// The outline of a top-level object, found without building values: each member's key and
/// where its value lies.
@Suite struct JSONMembersTests {
    private func members(_ json: String) throws -> [String] {
        let bytes = Array(json.utf8)
        return try JSONMembers.ranges(bytes).map { "\($0.key)=" + String(decoding: bytes[$0.value], as: UTF8.self) }
    }

    @Test func findsEveryMemberAndItsValue() throws {
        let json = #" { "a" : 1.5e3 , "b":{"x":"}","y":[{}]}, "c\"q":[1,"]",[]], "d":null,"e":"s\\"} "#
        #expect(try members(json) == ["a=1.5e3", #"b={"x":"}","y":[{}]}"#, #"c"q=[1,"]",[]]"#, "d=null", #"e="s\\""#])
    }

    @Test func emptyObjectHasNoMembers() throws {
        #expect(try members(" {\n} ").isEmpty)
    }

    @Test(arguments: ["", "[1]", "{", #"{"a" 1}"#, #"{"a":1,}"#, #"{"a":1} x"#, #"{"a":"open}"#, #"{"a":[1}"#, #"{a:1}"#, #"{"a":}"#])
    func malformedOutlinesThrow(json: String) {
        #expect(throws: JSONMembers.Malformed.self) { try members(json) }
    }
}
