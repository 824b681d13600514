import Foundation
import JinaWire

/// `VectorIndexer`: stores documents with their embeddings in SQLite in its workspace
/// (`/index`, `/update`, `/delete`), answers `/search` with the `top_k` closest as `matches`
/// scored under the metric's name, and `/count` with one document holding the count.
final class VectorIndexerExecutor: SwiftExecutor {
    private let store: VectorStore
    private let topK: Int
    private let metric: VectorSearch.Metric
    /// Its name in the Flow, which a query's error names.
    private let name: String

    init(with parameters: JSONObject, context: ExecutorContext) throws {
        topK = parameters.int("top_k", or: 10)
        name = context.entryName
        let metricName = parameters.string("metric", or: "cosine")
        guard let metric = VectorSearch.Metric(rawValue: metricName) else {
            throw ExecutorError("ValueError", "metric must be cosine, euclidean or dot, not '\(metricName)'")
        }
        self.metric = metric
        do {
            store = try VectorStore(path: context.storePath("index.sqlite"))
        } catch {
            throw ExecutorError("IndexUnavailable", "\(error)")
        }
    }

    static let defaultBindings = IndexerEndpoints.bindings
    /// Indexing takes each document's id and embedding from its JSON and stores the rest as it
    /// came: building 100 documents of 256 numbers each was most of an `/index` request's time.
    static let methodsReadingEmbeddings: Set<String> = ["index", "update"]
    /// Request N+1 is parsed while SQLite stores request N.
    static let readsAhead = true

    func run(method: String, _ call: inout ExecutorCall) throws {
        do { try store.refreshIfChanged() } catch { throw ExecutorError("IndexUnavailable", "\(error)") }
        switch method {
        case "index", "update":
            try index(call.embedded)
            call.documentsUnchanged = true
        case "delete":
            _ = try store.delete(call.docs.compactMap(\.id))
            call.documentsUnchanged = true
        case "search": try search(&call)
        default:
            var doc = Document(JSONObject([("id", .string("count"))]))
            doc.tags = JSONObject([("count", .number(JSONNumber(store.count))),
                                   ("dim", store.dimension.map { .number(JSONNumber($0)) } ?? .null)])
            call.docs = [doc]
        }
    }

    private func index(_ docs: [EmbeddedDocument]) throws {
        var items: [(id: String, json: [UInt8], embedding: [Float])] = []
        var dimension = store.dimension
        for doc in docs {
            guard let id = doc.id else { throw ExecutorError("ValueError", "a document without an id cannot be indexed") }
            guard let embedding = doc.embedding, !embedding.isEmpty else {
                throw ExecutorError("ValueError", "document \(id) has no embedding; put an encoder before the indexer")
            }
            if let dimension, dimension != embedding.count {
                throw ExecutorError("ValueError", "document \(id) has an embedding of dimension \(embedding.count), but the index holds dimension \(dimension)")
            }
            dimension = embedding.count
            items.append((id, doc.jsonWithoutEmbedding, embedding))
        }
        try store.upsert(items)
    }

    private func search(_ call: inout ExecutorCall) throws {
        let k = call.parameters.int("top_k", or: topK)
        var metric = self.metric
        if let name = call.parameters["metric"]?.stringValue {
            guard let chosen = VectorSearch.Metric(rawValue: name) else {
                throw ExecutorError("ValueError", "metric must be cosine, euclidean or dot, not '\(name)'")
            }
            metric = chosen
        }
        for i in call.docs.indices {
            let id = call.docs[i].id ?? "#\(i)"
            guard let query = call.docs[i].embedding, !query.isEmpty else {
                // This query's own error: the others in the request are still searched.
                let why = call.docs[i].text == nil ? "has neither text nor an embedding" : "has text but no embedding; put an encoder before the indexer"
                call.docs[i].error = DocumentError(executor: name, message: "query \(id) \(why)")
                call.docs[i].fields["matches"] = .array([])
                continue
            }
            guard let dimension = store.dimension else {
                call.docs[i].fields["matches"] = .array([])
                continue
            }
            guard query.count == dimension else {
                throw ExecutorError("ValueError", "query \(id) has an embedding of dimension \(query.count), but the index holds dimension \(dimension)")
            }
            let hits = VectorSearch.topK(k, query: query, in: store.vectors, norms: store.norms, quantized: store.quantized, dimension: dimension, metric: metric)
            let stored = try store.documents(hits.map { store.ids[$0.row] })
            var matches: [JSONValue] = []
            for hit in hits {
                let matchID = store.ids[hit.row]
                guard let json = stored[matchID], case .object(let fields) = try JSONParser.parse(json) else { continue }
                matches.append(MatchFields.match(fields, for: call.docs[i], metric.rawValue, Double(hit.score), by: "VectorIndexer"))
            }
            call.docs[i].fields["matches"] = .array(matches)
        }
    }
}
