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
    /// Key lists were checked against Jina's own argument parsers (github.com/jina-ai/jina, read from the
    /// mirror hirakjyoti08/jina): v1.3.0 (last 1.x tag), v2.0.0, v2.1.13, 2.6.4 (commit 56af142ad7, last 2.x),
    /// 3.0.0 (commit 0765a24c04) and 3.2.9 (commit 437943dd2d). Every option (`--a-b` → `a_b`, and its `dest=`)
    /// of `set_flow_parser` (jina/parsers/flow.py), `set_gateway_parser` and `set_client_cli_parser`
    /// (jina/parsers/__init__.py, with jina/parsers/client.py and the mixins in jina/parsers/peapods/base.py,
    /// peapods/pea.py, peapods/runtimes/{zmq,zed,remote}.py up to 2.x; jina/parsers/orchestrate/base.py,
    /// orchestrate/pod.py, orchestrate/runtimes/{worker,remote,head}.py in 3.x) is known here; v1.3.0's was read
    /// from the same files' `add_argument` calls. Keys of `executorEntry` are accepted here too (Jina passes a
    /// Flow's other `with:` keys to every executor).
    static let flowSettings = KeyTable(
        supported: ["protocol", "port", "host", "cors", "title", "description", "max_body_size", "name", "workspace", "env",
                    "ssl_certfile", "ssl_keyfile"],
        renamed: ["port_expose": "port", "envs": "env", "restful": "protocol", "rest_api": "protocol"],
        ignored: ["proxy", "default_swagger_ui", "no_debug_endpoints", "no_crud_endpoints", "expose_endpoints", "prefetch",
                  "prefetch_on_recv", "compress", "compress_min_bytes", "compress_min_ratio", "log_config", "quiet", "quiet_error",
                  "inspect", "uses", "asyncio", "return_results", "uvicorn_kwargs", "expose_graphql_endpoint",
                  "grpc_server_kwargs", "timeout_send", "https", "args", "kwargs", "identity", "workspace_id",
                  "infrastructure", "monitoring", "port_monitoring", "tracing", "metrics", "graph_description",
                  "deployments_addresses", "no_graphql_endpoint",
                  // From the parsers (see above), not listed before:
                  "continue_on_error", "dump_interval", "dump_path", "dynamic_routing_in", "dynamic_routing_out",
                  "graph_conditions", "grpc_data_requests", "k8s_connection_pool", "k8s_custom_resource_dir",
                  "k8s_disable_connection_pool", "k8s_init_container_command", "k8s_mount_path", "k8s_namespace",
                  "k8s_uses_init", "load_interval", "max_message_size", "mime_type", "mode", "noblock_on_start",
                  "pea_id", "read_only", "replica_id", "request_size", "return_responses", "routing_table",
                  "shard_id", "top_k"])

    /// An item of `executors:` (Jina's `Flow.add` arguments, 1.x to 3.x). Checked against the same releases as
    /// `flowSettings`: every option of `set_pod_parser` (jina/parsers/__init__.py with jina/parsers/peapods/base.py,
    /// peapods/pea.py, peapods/pod.py, peapods/runtimes/*.py; 1.x and 2.x) and of `set_deployment_parser`
    /// (jina/parsers/orchestrate/base.py, orchestrate/pod.py, orchestrate/deployment.py, orchestrate/runtimes/*.py,
    /// jina/parsers/hubble/pull.py; 3.x).
    static let executorEntry = KeyTable(
        supported: ["name", "needs", "method", "uses", "uses_before", "uses_after", "shards", "replicas", "polling", "uses_with",
                    "uses_metas", "uses_requests", "py_modules", "env", "timeout_ready", "host", "port", "workspace", "framing", "retries",
                    "external"],
        renamed: ["parallel": "shards", "envs": "env", "override_with": "uses_with", "override_metas": "uses_metas",
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
                  "description", "cors", "protocol",
                  // From the parsers (see above), not listed before:
                  "compress", "compress_min_bytes", "compress_min_ratio", "deployment_role", "disable_remote",
                  "dump_interval", "dump_path", "dynamic_routing_in", "dynamic_routing_out", "force",
                  "grpc_data_requests", "k8s_connection_pool", "k8s_custom_resource_dir",
                  "k8s_disable_connection_pool", "k8s_init_container_command", "k8s_mount_path", "k8s_namespace",
                  "k8s_uses_init", "load_interval", "max_message_size", "no_dynamic_routing", "noblock_on_start",
                  "pea_id", "prefetch", "prefetch_on_recv", "proxy", "read_only", "replica_id", "rest_api", "restful",
                  "routing_table", "shard_id", "uses_internal", "workspace_id"],
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
