import JinaWire

/// How a search executor writes a match.
enum MatchFields {
    /// `match` with `name: {value, op_name}` as its first score and the scores it had after it:
    /// MatchMerger, RankFusion and readers rank by the first.
    static func scoredFirst(_ match: JSONObject, _ name: String, _ value: Double, by opName: String) -> JSONObject {
        var match = match
        var scores = JSONObject([(name, .object(JSONObject([("value", .number(JSONNumber(value))), ("op_name", .string(opName))])))])
        for (key, old) in match["scores"]?.objectValue ?? JSONObject() where key != name { scores[key] = old }
        match["scores"] = .object(scores)
        return match
    }

    /// A stored document found for `query`: one level further from it (`adjacency`), scored.
    static func match(_ stored: JSONObject, for query: Document, _ name: String, _ value: Double, by opName: String) -> JSONValue {
        var fields = stored
        fields["adjacency"] = .number(JSONNumber((query.fields["adjacency"]?.intValue ?? 0) + 1))
        return .object(scoredFirst(fields, name, value, by: opName))
    }
}
