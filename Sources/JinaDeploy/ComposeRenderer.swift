import JinaConfig
import JinaWire

/// The plan as a docker-compose file (format 2.4: `scale`, and `depends_on` conditions, which
/// docker-compose 1.29 and podman's API both take). Paths are relative to the compose file.
public enum ComposeRenderer {
    /// - Parameters:
    ///   - flowFolder: the Flow's folder relative to the compose file (mounted at /flow).
    ///   - deployFolder: where the plan's files are written, relative to the compose file (/deploy).
    public static func render(_ plan: DeploymentPlan, image: String, flowFolder: String, deployFolder: String) -> String {
        let mounts: [JSONValue] = [.string("\(flowFolder):/flow:ro"), .string("\(deployFolder):/deploy:ro")]
        var services = JSONObject()
        var volumes = JSONObject()
        for service in plan.executors {
            var spec = JSONObject([("image", .string(image)), ("command", strings(service.command))])
            if service.replicas > 1 { spec["scale"] = .number(JSONNumber(service.replicas)) }
            var serviceMounts = mounts
            if service.needsWorkspace {
                serviceMounts.append(.string("\(service.name)-workspace:/workspace"))
                volumes["\(service.name)-workspace"] = .object(JSONObject())
            }
            spec["volumes"] = .array(serviceMounts)
            if !service.environment.isEmpty {
                spec["environment"] = .object(JSONObject(service.environment.map { ($0.key, JSONValue.string($0.value)) }))
            }
            spec["healthcheck"] = healthcheck(["jina", "ping", "executor", "127.0.0.1:\(DeploymentPlan.executorPort)"])
            spec["stop_grace_period"] = "30s"
            services[service.name] = .object(spec)
        }
        var gateway = JSONObject([("image", .string(image)), ("command", strings(plan.gatewayCommand))])
        gateway["ports"] = .array(plan.gatewayPorts.map { .string("\($0.published):\($0.container)") })
        gateway["volumes"] = .array(mounts)
        // Started, not healthy: podman runs healthchecks only under systemd; the gateway's Flow waits
        // for each executor to listen (up to timeout_ready) by itself.
        if !plan.executors.isEmpty { gateway["depends_on"] = .array(plan.executors.map { .string($0.name) }) }
        let probe = plan.gatewayPorts.first.map { port -> [String] in
            let scheme = port.protocol == .grpc ? "grpc://" : ""
            return ["jina", "ping", "flow", "\(scheme)127.0.0.1:\(port.container)"]
        } ?? []
        gateway["healthcheck"] = healthcheck(probe)
        gateway["stop_grace_period"] = "30s"
        services["gateway"] = .object(gateway)
        var file = JSONObject([("version", "2.4"), ("services", .object(services))])
        if !volumes.isEmpty { file["volumes"] = .object(volumes) }
        return YAMLEmitter.document(.object(file), comment: """
            Made by `jina export docker-compose`. Bring it up with `docker-compose up -d`; the gateway
            publishes \(plan.gatewayPorts.map { "\($0.protocol.rawValue) on \($0.published)" }.joined(separator: ", ")).
            Resources (cpus, mem_limit) are yours to add per service.
            """)
    }

    static func strings(_ items: [String]) -> JSONValue { .array(items.map(JSONValue.string)) }

    private static func healthcheck(_ test: [String]) -> JSONValue {
        .object(JSONObject([("test", strings(["CMD"] + test)), ("interval", "2s"), ("timeout", "3s"), ("retries", 30)]))
    }
}
