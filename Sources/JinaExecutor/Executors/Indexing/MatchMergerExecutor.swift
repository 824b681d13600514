import JinaWire

/// `MatchMerger`: the `uses_after` of a sharded indexer. Each shard answers the same queries with
/// its own matches (`docs_matrix`); this keeps each query once with the best `top_k` matches of
/// all shards, ordered by score (higher first, but lower for euclidean distances).
final class MatchMergerExecutor: SwiftExecutor {
    /// nil: keep as many as the most any shard returned for the query (each shard already cut
    /// its matches to the indexer's top_k).
    private let topK: Int?

    init(with parameters: JSONObject, context: ExecutorContext) {
        topK = parameters["top_k"]?.intValue
    }

    static let defaultBindings: [(endpoint: String, method: String)] = [("/default", "merge")]

    func run(method: String, _ call: inout ExecutorCall) throws {
        guard let matrix = call.docsMatrix, matrix.count > 1 else { return }
        if call.endpoint == "/count" {
            call.docs = [Self.total(matrix)]
            return
        }
        let requested = call.parameters["top_k"]?.intValue ?? topK
        var merged: [Document] = []
        var widest: [String: Int] = [:]
        var position: [String: Int] = [:]
        for shard in matrix {
            for (i, query) in shard.enumerated() {
                let key = query.id ?? "#\(i)"
                widest[key] = max(widest[key] ?? 0, query.fields["matches"]?.arrayValue?.count ?? 0)
                if let at = position[key] {
                    merged[at].fields["matches"] = .array((merged[at].fields["matches"]?.arrayValue ?? []) + (query.fields["matches"]?.arrayValue ?? []))
                } else {
                    position[key] = merged.count
                    merged.append(query)
                }
            }
        }
        for (i, query) in merged.enumerated() {
            let matches = query.fields["matches"]?.arrayValue ?? []
            let k = requested ?? widest[query.id ?? "#\(i)"] ?? matches.count
            merged[i].fields["matches"] = .array(Array(Self.ranked(matches).prefix(k)))
        }
        call.docs = merged
    }

    /// `/count` of a sharded indexer: the shards' counts added up.
    static func total(_ matrix: [[Document]]) -> Document {
        var doc = matrix.first?.first ?? Document(JSONObject([("id", .string("count"))]))
        var tags = doc.tags
        tags["count"] = .number(JSONNumber(matrix.reduce(0) { $0 + ($1.first?.tags["count"]?.intValue ?? 0) }))
        doc.tags = tags
        return doc
    }

    /// Matches best first by the indexer's score (op_name VectorIndexer, else the first); the
    /// metric's name says which way is better.
    static func ranked(_ matches: [JSONValue]) -> [JSONValue] {
        func score(_ match: JSONValue) -> (value: Double, higherIsCloser: Bool)? {
            guard let scores = match["scores"]?.objectValue,
                  let (name, value) = scores.first(where: { $0.value["op_name"]?.stringValue == "VectorIndexer" }) ?? scores.first(where: { _ in true }),
                  let number = value["value"]?.doubleValue else { return nil }
            return (number, name != "euclidean")
        }
        return matches.enumerated().sorted { a, b in
            guard let x = score(a.element), let y = score(b.element) else { return a.offset < b.offset }
            if x.value == y.value { return a.offset < b.offset }
            return x.higherIsCloser ? x.value > y.value : x.value < y.value
        }.map(\.element)
    }
}
