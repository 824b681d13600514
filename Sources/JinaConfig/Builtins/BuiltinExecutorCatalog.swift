/// A Swift executor shipped with `jina`, as `lint` and `jina executor list` know it.
public struct BuiltinExecutor: Sendable {
    public struct Parameter: Sendable {
        public var name: String
        public var type: String
        public var defaultValue: String?
        public var summary: String
    }

    public var name: String
    public var summary: String
    public var parameters: [Parameter]
    /// Endpoints it binds; empty means it passes every request through.
    public var endpoints: [String]
}

/// The built-in executor classes a `uses:` or `jtype:` may name.
public enum BuiltinExecutorCatalog {
    public static let all: [BuiltinExecutor] = [
        BuiltinExecutor(name: defaultExecutorClass,
                        summary: "passes every request through unchanged; Jina's default and the usual join executor",
                        parameters: [], endpoints: []),
        BuiltinExecutor(name: "Segmenter", summary: "splits each document's text into chunks (sentences or paragraphs)",
                        parameters: [
                            .init(name: "unit", type: "string", defaultValue: "sentence", summary: "sentence or paragraph"),
                            .init(name: "min_length", type: "int", defaultValue: "1", summary: "drop chunks shorter than this many characters"),
                        ], endpoints: ["/default"]),
        BuiltinExecutor(name: "TextEncoder", summary: "model-free text embedding: hashed word n-grams, L2-normalised",
                        parameters: [
                            .init(name: "dim", type: "int", defaultValue: "256", summary: "embedding size"),
                            .init(name: "ngram", type: "int", defaultValue: "2", summary: "longest word n-gram hashed (1-5)"),
                            .init(name: "traversal", type: "string", defaultValue: "r", summary: "r: the documents, c: their chunks, rc: both"),
                            .init(name: "stopwords", type: "string", defaultValue: "english", summary: "leave out common English words (english) or not (none)"),
                        ], endpoints: ["/default"]),
        BuiltinExecutor(name: "VectorIndexer",
                        summary: "stores documents and embeddings in SQLite in its workspace; /search sets the top_k closest as matches",
                        parameters: [
                            .init(name: "top_k", type: "int", defaultValue: "10", summary: "matches per query; a request's parameters may override it"),
                            .init(name: "metric", type: "string", defaultValue: "cosine", summary: "cosine, euclidean or dot; a request may override it"),
                        ], endpoints: ["/index", "/update", "/delete", "/search", "/count"]),
        BuiltinExecutor(name: "TextIndexer",
                        summary: "stores documents in SQLite's full-text index (FTS5, porter stemming) in its workspace; /search sets the top_k best by BM25 as matches",
                        parameters: [
                            .init(name: "top_k", type: "int", defaultValue: "10", summary: "matches per query; a request's parameters may override it"),
                        ], endpoints: ["/index", "/update", "/delete", "/search", "/count"]),
        BuiltinExecutor(name: "RankFusion",
                        summary: "joins the /search of several indexers (hybrid: TextIndexer beside VectorIndexer) into one ranking per query",
                        parameters: [
                            .init(name: "fusion", type: "string", defaultValue: "rrf", summary: "rrf (reciprocal-rank fusion) or sum (min-max normalised scores added); a request may override it"),
                            .init(name: "k", type: "number", defaultValue: "60", summary: "rrf's constant: 1/(k + rank)"),
                            .init(name: "top_k", type: "int", defaultValue: "10", summary: "matches kept per query"),
                            .init(name: "weights", type: "list", defaultValue: "[1, …]", summary: "one weight per branch, in needs order"),
                        ], endpoints: ["/search", "/default"]),
        BuiltinExecutor(name: "MatchMerger", summary: "uses_after of a sharded indexer: one top_k of matches per query across shards",
                        parameters: [.init(name: "top_k", type: "int", defaultValue: "10", summary: "matches kept per query")],
                        endpoints: ["/default"]),
        BuiltinExecutor(name: "UpperCase", summary: "upper-cases each document's text", parameters: [], endpoints: ["/default"]),
        BuiltinExecutor(name: "Echo", summary: "returns the documents, noting in tags.visited and tags.echo who saw them with which parameters and runtime_args",
                        parameters: [], endpoints: ["/default"]),
        BuiltinExecutor(name: "Sleep", summary: "waits, then passes the documents on (test helper)",
                        parameters: [.init(name: "ms", type: "number", defaultValue: "100", summary: "milliseconds to wait; a request's parameters may override it")],
                        endpoints: ["/default"]),
        BuiltinExecutor(name: "Fail", summary: "raises an error for chosen documents (test helper)",
                        parameters: [
                            .init(name: "on_text", type: "string", defaultValue: nil, summary: "fail when a document's text contains this"),
                            .init(name: "on_ids", type: "list", defaultValue: nil, summary: "fail when a document has one of these ids"),
                            .init(name: "always", type: "bool", defaultValue: "false", summary: "fail every call"),
                            .init(name: "message", type: "string", defaultValue: "failing on purpose", summary: "the error message"),
                        ], endpoints: ["/default"]),
        BuiltinExecutor(name: "Crash", summary: "ends its process on every N-th call it receives (test helper)",
                        parameters: [
                            .init(name: "on_request", type: "int", defaultValue: "1", summary: "crash on every N-th call (counted per process)"),
                            .init(name: "exit_code", type: "int", defaultValue: "3", summary: "the exit status"),
                            .init(name: "signal", type: "string", defaultValue: nil, summary: "die by this signal instead (KILL, SEGV, TERM)"),
                        ], endpoints: ["/default"]),
    ]

    public static func named(_ name: String) -> BuiltinExecutor? {
        all.first { $0.name == name }
    }

    public static var names: [String] { all.map(\.name) }
}
