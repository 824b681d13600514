/// The keys a section of a config may hold: those we act on, old names of them, and Jina keys we
/// recognise but do not act on (a warning, so a Jina 2 file still loads).
struct KeyTable: Sendable {
    /// Keys acted on.
    let supported: Set<String>
    /// Old name → current name (`parallel` → `shards`).
    let renamed: [String: String]
    /// Known Jina keys with no effect here.
    let ignored: Set<String>
    /// Keys that belong elsewhere, with the key meant (`with` on a Flow entry is `uses_with`).
    var misplaced: [String: String] = [:]

    enum Kind: Equatable {
        case supported(String)
        case renamed(from: String, to: String)
        case ignored(String)
        case unknown(String, suggestion: String?)
    }

    func classify(_ key: String) -> Kind {
        if supported.contains(key) { return .supported(key) }
        if let current = renamed[key] { return .renamed(from: key, to: current) }
        if ignored.contains(key) { return .ignored(key) }
        return .unknown(key, suggestion: misplaced[key] ?? Suggestion.closest(to: key, in: supported.union(renamed.keys).sorted()))
    }

    /// Top level of a Flow YAML.
    static let flowDocument = KeyTable(supported: ["jtype", "version", "with", "executors"], renamed: ["pods": "executors"], ignored: [])

    /// A Flow's `with:` keys that configure the Flow and its gateway.
    static let flowSettings = KeyTable(
        supported: ["protocol", "port", "host", "cors", "title", "description", "max_body_size", "name", "workspace", "env"],
        renamed: ["port_expose": "port", "restful": "protocol", "rest_api": "protocol"],
        ignored: ["proxy", "default_swagger_ui", "no_debug_endpoints", "no_crud_endpoints", "expose_endpoints", "prefetch",
                  "prefetch_on_recv", "compress", "compress_min_bytes", "compress_min_ratio", "log_config", "quiet", "quiet_error",
                  "inspect", "uses", "asyncio", "return_results", "uvicorn_kwargs", "expose_graphql_endpoint", "ssl_certfile",
                  "ssl_keyfile", "grpc_server_kwargs", "timeout_send", "https", "args", "kwargs", "identity", "workspace_id",
                  "infrastructure", "monitoring", "port_monitoring", "tracing", "metrics", "graph_description",
                  "deployments_addresses", "no_graphql_endpoint"])

    /// An item of `executors:` (Jina's `Flow.add` arguments, 2.0 to 3.x).
    static let executorEntry = KeyTable(
        supported: ["name", "needs", "method", "uses", "uses_before", "uses_after", "shards", "replicas", "polling", "uses_with",
                    "uses_metas", "uses_requests", "py_modules", "env", "timeout_ready", "host", "port", "workspace", "framing", "retries",
                    "external"],
        renamed: ["parallel": "shards", "override_with": "uses_with", "override_metas": "uses_metas",
                  "override_requests": "uses_requests", "port_in": "port", "port_expose": "port"],
        ignored: ["port_out", "port_ctrl", "host_in", "host_out", "socket_in", "socket_out", "hosts_in_connect", "timeout_ctrl",
                  "runtime_backend", "runtime", "runtime_cls", "daemon", "expose_public", "memory_hwm", "on_error_strategy",
                  "peas_hosts", "upload_files", "quiet", "quiet_error", "quiet_remote_logs", "log_config", "entrypoint",
                  "docker_kwargs", "pull_latest", "volumes", "ssh_server", "ssh_keyfile", "ssh_password", "zmq_identity",
                  "ctrl_with_ipc", "gpus", "install_requirements", "force_update", "native", "reduce", "disable_reduce",
                  "port_jinad", "connect_to_predecessor", "static_routing_table", "runs_in_docker", "compression",
                  "connection_list", "output_array_type", "uses_after_address", "uses_before_address", "when", "scheduling",
                  "grpc_metadata", "extra_search_paths", "dynamic_routing", "num_part", "pea_role", "pod_role", "identity",
                  "floating", "tls", "monitoring", "port_monitoring", "exit_on_exceptions", "no_reduce",
                  "grpc_server_options", "stateful", "peer_ports", "raft_configuration", "allow_concurrent", "title",
                  "description", "cors", "protocol"],
        misplaced: ["with": "uses_with", "metas": "uses_metas", "requests": "uses_requests", "jtype": "uses"])

    /// Top level of an executor YAML (SPEC §2.2).
    static let executorDocument = KeyTable(supported: ["jtype", "with", "metas", "requests"], renamed: [:], ignored: ["version"])

    /// `metas:` of an executor (Jina 2 has exactly four; older ones are recognised).
    static let metas = KeyTable(
        supported: ["name", "description", "workspace", "py_modules"], renamed: [:],
        ignored: ["read_only", "on_gpu", "warn_unnamed", "max_snapshot", "replica_id", "pea_id", "separated_workspace",
                  "root_workspace", "root_name", "is_updated", "batch_size", "is_trained", "compress_level", "parallel",
                  "shard_id", "workspace_id"])
}
