import JinaWire
import SwiftProtobuf

/// `google.protobuf.Struct` (Jina's `parameters`) to and from JSON objects. Struct numbers are
/// doubles: whole ones are written as integers, so that `top_k: 3` reaches an executor as 3,
/// which Python can slice with, not 3.0.
public enum StructCoding {
    public static func json(_ value: Google_Protobuf_Struct) -> JSONObject {
        JSONObject(value.fields.keys.sorted().map { ($0, json(value.fields[$0]!)) })
    }

    static func json(_ value: Google_Protobuf_Value) -> JSONValue {
        switch value.kind {
        case nil, .nullValue?: return .null
        case .numberValue(let number)?:
            if number.rounded() == number, abs(number) < 9.007_199_254_740_992e15 { return .number(JSONNumber(Int(number))) }
            return JSONNumber(finite: number).map(JSONValue.number) ?? .null
        case .stringValue(let text)?: return .string(text)
        case .boolValue(let flag)?: return .bool(flag)
        case .structValue(let object)?: return .object(json(object))
        case .listValue(let list)?: return .array(list.values.map(json))
        }
    }

    public static func proto(_ object: JSONObject) -> Google_Protobuf_Struct {
        var result = Google_Protobuf_Struct()
        for (key, value) in object { result.fields[key] = proto(value) }
        return result
    }

    static func proto(_ value: JSONValue) -> Google_Protobuf_Value {
        var result = Google_Protobuf_Value()
        switch value {
        case .null: result.nullValue = .nullValue
        case .bool(let flag): result.boolValue = flag
        case .number(let number): result.numberValue = number.double
        case .string(let text): result.stringValue = text
        case .array(let items): result.listValue = Google_Protobuf_ListValue(values: items.map(proto))
        case .object(let object): result.structValue = proto(object)
        }
        return result
    }
}
