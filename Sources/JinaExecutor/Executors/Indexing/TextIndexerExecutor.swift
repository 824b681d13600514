import Foundation
import JinaWire

/// `TextIndexer`: stores documents in SQLite's full-text index in its workspace (`/index`,
/// `/update`, `/delete`), answers `/search` with the `top_k` documents whose text best matches
/// each query's text, by BM25, as `matches` scored under `bm25`, and `/count` as VectorIndexer
/// does. Shards and replicas share files as VectorIndexer's do; MatchMerger merges shards.
final class TextIndexerExecutor: SwiftExecutor {
    private let store: TextStore
    private let topK: Int
    /// Its name in the Flow, which a query's error names.
    private let name: String

    init(with parameters: JSONObject, context: ExecutorContext) throws {
        topK = parameters.int("top_k", or: 10)
        name = context.entryName
        do {
            store = try TextStore(path: context.storePath("text.sqlite"))
        } catch {
            throw ExecutorError("IndexUnavailable", "\(error)")
        }
    }

    static let defaultBindings = IndexerEndpoints.bindings

    func run(method: String, _ call: inout ExecutorCall) throws {
        do {
            switch method {
            case "index", "update":
                try store.upsert(try call.docs.map { doc in
                    guard let id = doc.id else { throw ExecutorError("ValueError", "a document without an id cannot be indexed") }
                    guard let text = doc.text, !text.isEmpty else {
                        throw ExecutorError("ValueError", "document \(id) has no text to index")
                    }
                    var stored = doc
                    stored.fields["embedding"] = nil
                    return (id, JSONValue.object(stored.fields).jsonBytes, text)
                })
                call.documentsUnchanged = true
            case "delete":
                try store.delete(call.docs.compactMap(\.id))
                call.documentsUnchanged = true
            case "search":
                try search(&call)
            default:
                var doc = Document(JSONObject([("id", .string("count"))]))
                doc.tags = JSONObject([("count", .number(JSONNumber(store.count)))])
                call.docs = [doc]
            }
        } catch let failure as TextStore.Failure {
            throw ExecutorError("IndexUnavailable", "\(failure)")
        }
    }

    private func search(_ call: inout ExecutorCall) throws {
        let k = call.parameters.int("top_k", or: topK)
        for i in call.docs.indices {
            guard let text = call.docs[i].text, !TextStore.words(text).isEmpty else {
                // This query's own error: the others in the request are still searched.
                let id = call.docs[i].id ?? "#\(i)"
                let why = call.docs[i].embedding == nil && call.docs[i].text == nil
                    ? "has neither text nor an embedding" : "has no text to search for (TextIndexer searches text, not embeddings)"
                call.docs[i].error = DocumentError(executor: name, message: "query \(id) \(why)")
                call.docs[i].fields["matches"] = .array([])
                continue
            }
            var matches: [JSONValue] = []
            for hit in try store.search(text, k: k) {
                guard case .object(let fields) = try JSONParser.parse(hit.json) else { continue }
                matches.append(MatchFields.match(fields, for: call.docs[i], "bm25", hit.score, by: "TextIndexer"))
            }
            call.docs[i].fields["matches"] = .array(matches)
        }
    }
}
