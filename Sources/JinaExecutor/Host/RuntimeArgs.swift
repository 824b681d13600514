import JinaConfig
import JinaWire

/// Jina's `runtime_args`: where in the Flow one executor process runs. The Flow hands them to
/// the child: built-ins and Python classes in the `runtime` section of `--spec`, `exec://`
/// programs as `JINA_*` environment variables (docs/protocol.md).
public struct RuntimeArgs: Sendable, Equatable {
    /// The Flow entry's name (without `/shard-N` or `/rep-N`).
    public var name: String
    /// The shard's index, 0-based (Jina 2's `pea_id`).
    public var shardId: Int
    /// The number of shards (Jina 2's `parallel`).
    public var shards: Int
    /// The replica's index within its shard, 0-based.
    public var replicaId: Int
    public var replicas: Int
    /// The entry's polling as Jina writes it: `"ANY"`, `"ALL"`, `"ALL_ASYNC"`, or per endpoint
    /// `{"/search": "ALL", "*": "ANY"}`.
    public var polling: JSONValue
    /// The entry's `workspace`, else the Flow's (not `metas.workspace`, as in Jina).
    public var workspace: String?
    public var pyModules: [String]

    public init(name: String, shardId: Int = 0, shards: Int = 1, replicaId: Int = 0, replicas: Int = 1,
                polling: JSONValue = .string(Polling.any.rawValue), workspace: String? = nil, pyModules: [String] = []) {
        self.name = name
        self.shardId = shardId
        self.shards = shards
        self.replicaId = replicaId
        self.replicas = replicas
        self.polling = polling
        self.workspace = workspace
        self.pyModules = pyModules
    }

    /// The arguments of one process of a Flow entry (a head or tail is shard 0 of 1).
    public init(entry: ExecutorEntry, config: ExecutorConfig, flow: FlowConfig, shardId: Int = 0, shards: Int = 1, replicaId: Int) {
        let polling: JSONValue = entry.polling.byEndpoint.isEmpty
            ? .string(entry.polling.fallback.rawValue)
            : .object(JSONObject(entry.polling.byEndpoint.map { ($0.endpoint, JSONValue.string($0.polling.rawValue)) }
                    + [("*", .string(entry.polling.fallback.rawValue))]))
        self.init(name: entry.name, shardId: shardId, shards: shards, replicaId: replicaId, replicas: entry.replicas,
                  polling: polling, workspace: entry.workspace ?? flow.settings.workspace, pyModules: config.metas.pyModules)
    }

    /// With Jina 2's names too: `pea_id` (= `shard_id`) and `parallel` (= `shards`).
    public var json: JSONValue {
        var object = JSONObject([
            ("name", .string(name)),
            ("shard_id", .number(JSONNumber(shardId))), ("pea_id", .number(JSONNumber(shardId))),
            ("shards", .number(JSONNumber(shards))), ("parallel", .number(JSONNumber(shards))),
            ("replica_id", .number(JSONNumber(replicaId))), ("replicas", .number(JSONNumber(replicas))),
            ("polling", polling),
        ])
        object["workspace"] = workspace.map(JSONValue.string) ?? .null
        object["py_modules"] = .array(pyModules.map(JSONValue.string))
        return .object(object)
    }

    public init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue else { return nil }
        self.init(name: name, shardId: json["shard_id"]?.intValue ?? json["pea_id"]?.intValue ?? 0,
                  shards: json["shards"]?.intValue ?? json["parallel"]?.intValue ?? 1,
                  replicaId: json["replica_id"]?.intValue ?? 0, replicas: json["replicas"]?.intValue ?? 1,
                  polling: json["polling"] ?? .string(Polling.any.rawValue), workspace: json["workspace"]?.stringValue,
                  pyModules: json["py_modules"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    /// For `exec://` programs (every child gets them): `JINA_SHARD_ID`, `JINA_SHARDS`,
    /// `JINA_REPLICA_ID`, `JINA_REPLICAS`, `JINA_POLLING` (a per-endpoint polling as JSON) and,
    /// when one is set, `JINA_WORKSPACE`.
    public var environment: [String: String] {
        var environment = [
            "JINA_SHARD_ID": String(shardId), "JINA_SHARDS": String(shards),
            "JINA_REPLICA_ID": String(replicaId), "JINA_REPLICAS": String(replicas),
            "JINA_POLLING": polling.stringValue ?? polling.jsonString,
        ]
        if let workspace { environment["JINA_WORKSPACE"] = workspace }
        return environment
    }
}
