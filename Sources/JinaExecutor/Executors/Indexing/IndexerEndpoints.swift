/// The endpoints every built-in indexer serves (VectorIndexer, TextIndexer), so that one Flow can
/// put them side by side and a client talks to either the same way.
enum IndexerEndpoints {
    static let bindings: [(endpoint: String, method: String)] = [
        ("/index", "index"), ("/update", "update"), ("/delete", "delete"), ("/search", "search"), ("/count", "count"),
    ]
}
