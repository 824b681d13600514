import JinaConfig
import JinaWire

/// What an executor host needs to build one Swift executor: the class, its `with:`, its name,
/// workspace, endpoint bindings and, in a Flow, its `runtime` arguments. Passed from the Flow to the child as JSON (`--spec`), or
/// read from an executor YAML by `jina executor --uses`.
public struct ExecutorSpec: Sendable, Equatable {
    public var jtype: String
    public var with: JSONObject
    public var name: String
    public var workspace: String?
    /// `requests:`: endpoint → method name, laid over the class's default bindings.
    public var requests: [(endpoint: String, method: String)]
    /// Jina's `runtime_args` (shard, replica, polling, ...); nil when served outside a Flow.
    public var runtime: RuntimeArgs?

    public init(jtype: String, with: JSONObject = JSONObject(), name: String, workspace: String? = nil,
                requests: [(endpoint: String, method: String)] = [], runtime: RuntimeArgs? = nil) {
        self.jtype = jtype
        self.with = with
        self.name = name
        self.workspace = workspace
        self.requests = requests
        self.runtime = runtime
    }

    public init(_ config: ExecutorConfig) {
        self.init(jtype: config.jtype, with: JSONValue(config.with).objectValue ?? JSONObject(), name: config.parameterScope,
                  workspace: config.metas.workspace, requests: config.requests)
    }

    public var json: JSONValue {
        var object = JSONObject([("jtype", .string(jtype)), ("with", .object(with)), ("name", .string(name))])
        if let workspace { object["workspace"] = .string(workspace) }
        object["requests"] = .object(JSONObject(requests.map { ($0.endpoint, JSONValue.string($0.method)) }))
        if let runtime { object["runtime"] = runtime.json }
        return .object(object)
    }

    public init?(json: JSONValue) {
        guard let jtype = json["jtype"]?.stringValue, let name = json["name"]?.stringValue else { return nil }
        self.init(jtype: jtype, with: json["with"]?.objectValue ?? JSONObject(), name: name, workspace: json["workspace"]?.stringValue,
                  requests: (json["requests"]?.objectValue ?? JSONObject()).compactMap { key, value in value.stringValue.map { (key, $0) } },
                  runtime: json["runtime"].flatMap(RuntimeArgs.init(json:)))
    }

    public static func == (a: ExecutorSpec, b: ExecutorSpec) -> Bool {
        a.json == b.json
    }
}
