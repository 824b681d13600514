import JinaConfig
import JinaWire

/// A Flow split into what a container engine runs: one service per executor entry (its
/// `replicas` as the service's replicas), each `jina executor --port 8081 --host 0.0.0.0` with
/// a generated executor config, and a gateway service running a Flow whose entries point at
/// those services by DNS name. Inside every container the Flow's folder is `/flow` and the
/// generated files are `/deploy`.
public struct DeploymentPlan: Sendable {
    public struct Service: Sendable {
        /// DNS-safe: the compose service, Deployment and Service name.
        public var name: String
        /// The Flow entry it runs.
        public var entry: String
        public var replicas: Int
        public var command: [String]
        public var environment: [(key: String, value: String)]
        /// Its workspace survives restarts: a named volume or a PersistentVolumeClaim at /workspace.
        public var needsWorkspace: Bool
    }

    public var executors: [Service]
    /// The gateway's container ports, in the Flow's protocol order, and the host ports to publish.
    public var gatewayPorts: [(protocol: GatewayProtocol, container: Int, published: Int)]
    /// Files under /deploy: `gateway.yml` and one executor config per service.
    public var files: [(name: String, contents: String)]
    /// The Flow's folder on this machine and the files of it the executors read (relative paths).
    public var flowDirectory: String
    public var flowFiles: [String]

    public static let executorPort = 8081
    public static let gatewayPort = 8080

    public var gatewayCommand: [String] { ["jina", "flow", "--uses", "/deploy/gateway.yml"] }
}

/// Builds the plan; refuses, naming the entry and the fix, what containers cannot run as written.
public enum DeploymentPlanner {
    public static func plan(_ flow: FlowConfig) throws(DeployError) -> DeploymentPlan {
        if let location = flow.settings.sslLocation {
            // Refused rather than exported as a plaintext gateway: the certificate and key would have
            // to become a Secret, and the probes speak plaintext (Kubernetes' gRPC probe has no TLS).
            throw DeployError(location, "with.ssl_certfile: a gateway served over TLS is not exported (its key would need a Secret and "
                              + "its probes TLS); remove ssl_certfile/ssl_keyfile and terminate TLS at the ingress or load balancer")
        }
        var services: [DeploymentPlan.Service] = []
        var files: [(name: String, contents: String)] = []
        var flowFiles: [String] = []
        var gatewayEntries: [JSONValue] = []
        var names: [String: String] = [:]
        for entry in flow.executors {
            var gatewayEntry = JSONObject([("name", .string(entry.name))])
            if !entry.needs.isEmpty { gatewayEntry["needs"] = .array(entry.needs.map(JSONValue.string)) }
            if !entry.remotes.isEmpty {
                // Already elsewhere: the gateway reaches it as the Flow does.
                gatewayEntry["host"] = .array(entry.remotes.map { .string($0.description) })
                gatewayEntries.append(.object(gatewayEntry))
                continue
            }
            let base = dnsName(entry.name)
            let serviceNames = entry.shards > 1 ? (0..<entry.shards).map { "\(base)-shard-\($0)" } : [base]
            for name in serviceNames + [base + "-head", base + "-tail"] {
                if let other = names[name] {
                    throw DeployError(entry.location, "executors '\(other)' and '\(entry.name)' would both be the service '\(name)'; rename one")
                }
                names[name] = entry.name
            }
            let config = entry.executor
            let workspace = config.metas.workspace ?? entry.workspace ?? flow.settings.workspace
            let needsWorkspace = workspace != nil || ["VectorIndexer", "TextIndexer"].contains(config.jtype)
            for name in serviceNames {
                files.append(("\(name).yml", try executorFile(config, entry: entry, flow: flow, workspace: needsWorkspace, flowFiles: &flowFiles)))
                let command = ["jina", "executor", "--uses", "/deploy/\(name).yml", "--port", String(DeploymentPlan.executorPort), "--host", "0.0.0.0"]
                services.append(DeploymentPlan.Service(name: name, entry: entry.name, replicas: entry.replicas, command: command,
                                                       environment: flow.settings.env + entry.env, needsWorkspace: needsWorkspace))
            }
            gatewayEntry["host"] = serviceNames.count > 1 ? .array(serviceNames.map(JSONValue.string)) : .string(base)
            gatewayEntry["port"] = .number(JSONNumber(DeploymentPlan.executorPort))
            if entry.shards > 1 {
                gatewayEntry["shards"] = .number(JSONNumber(entry.shards))
                gatewayEntry["polling"] = polling(entry.polling)
            }
            // uses_before and uses_after run in the gateway's container, as children of its Flow.
            for (key, suffix, extra) in [("uses_before", "head", entry.usesBefore), ("uses_after", "tail", entry.usesAfter)] {
                guard let extra else { continue }
                files.append(("\(base)-\(suffix).yml", try executorFile(extra, entry: entry, flow: flow, workspace: false, flowFiles: &flowFiles)))
                gatewayEntry[key] = .string("/deploy/\(base)-\(suffix).yml")
            }
            if entry.timeoutReady != ExecutorEntry.defaultTimeoutReady { gatewayEntry["timeout_ready"] = .number(JSONNumber(entry.timeoutReady)) }
            gatewayEntries.append(.object(gatewayEntry))
        }
        let protocols = flow.settings.protocols
        let gatewayPorts = protocols.enumerated().map { i, p in
            (protocol: p, container: DeploymentPlan.gatewayPort + i,
             published: i < flow.settings.ports.count && flow.settings.ports[i] > 0 ? flow.settings.ports[i] : DeploymentPlan.gatewayPort + i)
        }
        var settings = JSONObject([
            ("protocol", .array(protocols.map { .string($0.rawValue) })),
            ("port", .array(gatewayPorts.map { .number(JSONNumber($0.container)) })),
            ("host", "0.0.0.0"),
        ])
        if let title = flow.settings.title { settings["title"] = .string(title) }
        if flow.settings.cors { settings["cors"] = true }
        let gateway = JSONObject([("jtype", "Flow"), ("with", .object(settings)), ("executors", .array(gatewayEntries))])
        files.insert(("gateway.yml", YAMLEmitter.document(.object(gateway),
                                                          comment: "The gateway of \(flow.file): every executor is a service of its own.")), at: 0)
        var seen = Set<String>()
        return DeploymentPlan(executors: services, gatewayPorts: gatewayPorts, files: files, flowDirectory: flow.directory,
                              flowFiles: flowFiles.filter { seen.insert($0).inserted })
    }

    /// An executor config for a container: its `jtype`, `with`, `requests` and `metas` with paths under /flow.
    private static func executorFile(_ config: ExecutorConfig, entry: ExecutorEntry, flow: FlowConfig, workspace: Bool,
                                     flowFiles: inout [String]) throws(DeployError) -> String {
        var executorYAML = JSONObject([("jtype", .string(config.jtype))])
        if case .object(let fields) = config.with, !fields.isEmpty { executorYAML["with"] = JSONValue(config.with) }
        var metas = JSONObject([("name", .string(config.parameterScope))])
        if workspace { metas["workspace"] = "/workspace" }
        switch config.kind {
        case .builtin:
            break
        case .python(_, let modules):
            var paths: [JSONValue] = []
            for module in modules {
                let relative = try inside(flow.directory, module, entry: entry, what: "py_modules file")
                flowFiles.append(relative)
                paths.append(.string("/flow/" + relative))
            }
            metas["py_modules"] = .array(paths)
        case .program(let executable, let arguments):
            let relative = try inside(flow.directory, executable, entry: entry, what: "exec:// program",
                                      fix: "put the program in the Flow's folder, or build an image that has it and serve it there with 'jina executor --port'")
            flowFiles.append(relative)
            executorYAML["jtype"] = .string("exec:///flow/" + ([relative] + arguments).joined(separator: " "))
        }
        executorYAML["metas"] = .object(metas)
        if !config.requests.isEmpty {
            executorYAML["requests"] = .object(JSONObject(config.requests.map { ($0.endpoint, JSONValue.string($0.method)) }))
        }
        return YAMLEmitter.document(.object(executorYAML), comment: "executor '\(entry.name)' of \(flow.file)")
    }

    /// `ALL`, or `{/index: ANY, /search: ALL, '*': ANY}`.
    private static func polling(_ spec: PollingSpec) -> JSONValue {
        if spec.byEndpoint.isEmpty { return .string(spec.fallback.rawValue) }
        return .object(JSONObject(spec.byEndpoint.map { ($0.endpoint, JSONValue.string($0.polling.rawValue)) } + [("*", .string(spec.fallback.rawValue))]))
    }

    /// `name` as a DNS label: lower case letters, digits and '-', starting with a letter.
    public static func dnsName(_ name: String) -> String {
        var label = String(name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        while label.hasPrefix("-") { label.removeFirst() }
        if label.first?.isLetter != true { label = "e-" + label }
        while label.hasSuffix("-") { label.removeLast() }
        return String(label.prefix(50))
    }

    /// `path` relative to the Flow's folder, which is all a container sees of this machine.
    private static func inside(_ directory: String, _ path: String, entry: ExecutorEntry, what: String,
                               fix: String = "move it into the Flow's folder") throws(DeployError) -> String {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        guard path.hasPrefix(base) else {
            throw DeployError(entry.location, "executor '\(entry.name)': the \(what) \(path) is outside the Flow's folder \(directory), "
                              + "which is what the containers get; \(fix)")
        }
        return String(path.dropFirst(base.count))
    }
}
