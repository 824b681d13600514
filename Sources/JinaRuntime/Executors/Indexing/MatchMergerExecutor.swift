import JinaWire

/// `MatchMerger`: the `uses_after` of a sharded indexer. Each shard answers the same queries with
/// its own matches (`docs_matrix`); this keeps each query once with the best `top_k` matches of
/// all shards, ordered by score (higher first, but lower for euclidean distances).
final class MatchMergerExecutor: SwiftExecutor {
    private let topK: Int

    init(with parameters: JSONObject, context: ExecutorContext) {
        topK = parameters.int("top_k", or: 10)
    }

    static let defaultBindings: [(endpoint: String, method: String)] = [("/default", "merge")]

    func run(method: String, _ call: inout ExecutorCall) throws {
        guard let matrix = call.docsMatrix, matrix.count > 1 else { return }
        let k = call.parameters.int("top_k", or: topK)
        var merged: [Document] = []
        var position: [String: Int] = [:]
        for shard in matrix {
            for (i, query) in shard.enumerated() {
                let key = query.id ?? "#\(i)"
                if let at = position[key] {
                    merged[at].fields["matches"] = .array((merged[at].fields["matches"]?.arrayValue ?? []) + (query.fields["matches"]?.arrayValue ?? []))
                } else {
                    position[key] = merged.count
                    merged.append(query)
                }
            }
        }
        for i in merged.indices {
            let matches = merged[i].fields["matches"]?.arrayValue ?? []
            merged[i].fields["matches"] = .array(Array(Self.ranked(matches).prefix(k)))
        }
        call.docs = merged
    }

    /// Matches best first by their first score; the metric's name says which way is better.
    static func ranked(_ matches: [JSONValue]) -> [JSONValue] {
        func score(_ match: JSONValue) -> (value: Double, higherIsCloser: Bool)? {
            guard let scores = match["scores"]?.objectValue, let (name, value) = scores.first(where: { _ in true }),
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
