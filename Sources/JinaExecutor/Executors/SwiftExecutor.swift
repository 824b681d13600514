import Foundation
import JinaConfig
import JinaWire

/// One call as a Swift executor method sees it (Jina's `docs`, `parameters`, `docs_matrix`).
public struct ExecutorCall: Sendable {
    public var endpoint: String
    /// The request's parameters, with this executor's own section merged over the top level.
    public var parameters: JSONObject
    public var docs: [Document]
    /// The documents as ids, embeddings and the rest of their JSON as it came, for a method that
    /// takes them so (`SwiftExecutor.methodsReadingEmbeddings`); `docs` is then left empty.
    public var embedded: [EmbeddedDocument] = []
    /// For a join: the documents of each upstream branch, in `needs` order.
    public var docsMatrix: [[Document]]?
    /// Set by an executor that left the documents as they came (an indexer storing them): the
    /// answer then says "unchanged" instead of sending them back, which spares encoding them
    /// (embeddings included) and the Flow decoding them.
    public var documentsUnchanged = false

    public init(endpoint: String, parameters: JSONObject = JSONObject(), docs: [Document] = [], docsMatrix: [[Document]]? = nil) {
        self.endpoint = endpoint
        self.parameters = parameters
        self.docs = docs
        self.docsMatrix = docsMatrix
    }
}

/// An error an executor raises on purpose, shown to the client as `Name: message`.
public struct ExecutorError: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var message: String

    public init(_ name: String, _ message: String) {
        self.name = name
        self.message = message
    }

    public var description: String { "\(name): \(message)" }
}

/// What every executor knows about where it runs.
public struct ExecutorContext: Sendable {
    /// `metas.name`, else the class name.
    public var name: String
    /// Where it runs in the Flow: the executor's name there, with `/shard-N` or `/rep-N` for a
    /// part; nil when served alone.
    public var label: String?
    public var workspace: String?
    /// Jina's `runtime_args`: the shard and replica it is, how many there are, the polling.
    /// Outside a Flow: shard 0 of 1, replica 0 of 1, named `name`.
    public var runtime: RuntimeArgs

    public init(name: String, label: String? = nil, workspace: String? = nil, runtime: RuntimeArgs? = nil) {
        self.name = name
        self.label = label
        self.workspace = workspace
        self.runtime = runtime ?? RuntimeArgs(name: name, workspace: workspace)
    }

    /// Its entry's name in the Flow (the label without `/shard-N` or `/rep-N`), else `name`: how
    /// what it reports names it, as the Flow names a failed request's executor.
    public var entryName: String {
        guard let label else { return name }
        return label.replacingOccurrences(of: #"(/shard-\d+)?(/rep-\d+)?$"#, with: "", options: .regularExpression)
    }

    /// Where a store keeps `file`: in the workspace (else ./workspace), in a folder per shard
    /// that the shard's replicas share.
    public func storePath(_ file: String) -> String {
        let part = (label ?? name).replacingOccurrences(of: #"/rep-\d+$"#, with: "", options: .regularExpression)
        return (workspace ?? FileManager.default.currentDirectoryPath + "/workspace") + "/\(part)/\(file)"
    }
}

/// A built-in executor written in Swift. Methods are looked up by name so that a YAML
/// `requests:` map can bind them to endpoints, as for a Python class.
public protocol SwiftExecutor: AnyObject {
    /// Builds the executor from its `with:` parameters (already checked against the catalog).
    init(with parameters: JSONObject, context: ExecutorContext) throws

    /// The method names this executor has, and the endpoint each binds unless `requests:` says
    /// otherwise (`/default`: every endpoint without its own binding).
    static var defaultBindings: [(endpoint: String, method: String)] { get }

    /// Methods that take the documents as `call.embedded` and not `call.docs`, which is not
    /// decoded for them: an indexer that stores ids and embeddings of large documents.
    static var methodsReadingEmbeddings: Set<String> { get }

    /// Whether its host reads and decodes the next calls while it answers one. Worth it when
    /// answering takes long next to reading (an indexer writing to disk); for a quick executor the
    /// hand-over between threads costs more than it saves (docs/benchmarks.md).
    static var readsAhead: Bool { get }

    /// Runs a method; `call.docs` holds the result afterwards.
    func run(method: String, _ call: inout ExecutorCall) throws
}

extension SwiftExecutor {
    public static var methodsReadingEmbeddings: Set<String> { [] }
    public static var readsAhead: Bool { false }
}

extension JSONObject {
    /// An integer parameter: the request's value, else `with:`'s, else the default.
    func int(_ key: String, or fallback: Int) -> Int {
        self[key]?.intValue ?? (self[key]?.doubleValue).map { Int($0) } ?? fallback
    }

    func double(_ key: String, or fallback: Double) -> Double {
        self[key]?.doubleValue ?? fallback
    }

    func string(_ key: String, or fallback: String) -> String {
        self[key]?.stringValue ?? fallback
    }

    /// `with:` values with the call's parameters laid over them.
    func overlaid(by parameters: JSONObject) -> JSONObject {
        var merged = self
        for (key, value) in parameters { merged[key] = value }
        return merged
    }
}
