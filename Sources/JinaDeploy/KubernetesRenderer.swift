import JinaConfig
import JinaWire

/// The plan as Kubernetes manifests: per executor a Deployment (`replicas`) and a headless
/// Service, whose DNS name resolves to every pod so the gateway balances over them; the gateway's
/// Deployment and Service; ConfigMaps holding the generated files and the Flow's files the
/// executors read; a PersistentVolumeClaim per workspace.
public enum KubernetesRenderer {
    public struct Manifest: Sendable {
        public var file: String
        public var yaml: String
    }

    /// - Parameter flowContents: each of `plan.flowFiles` with its text.
    public static func render(_ plan: DeploymentPlan, image: String, namespace: String, flowContents: [String: String]) -> [Manifest] {
        var manifests: [Manifest] = []
        func add(_ file: String, _ objects: [JSONValue]) {
            manifests.append(Manifest(file: file, yaml: objects.map { YAMLEmitter.document($0) }.joined(separator: "---\n")))
        }
        add("namespace.yml", [object("v1", "Namespace", namespace, namespace: nil, [:])])
        add("config.yml", [
            object("v1", "ConfigMap", "jina-deploy", namespace: namespace, ["data": .object(JSONObject(plan.files.map { ($0.name, .string($0.contents)) }))]),
            object("v1", "ConfigMap", "jina-flow-files", namespace: namespace,
                   ["data": .object(JSONObject(plan.flowFiles.map { (key($0), .string(flowContents[$0] ?? "")) }))]),
        ])
        for service in plan.executors {
            var objects: [JSONValue] = []
            if service.needsWorkspace {
                objects.append(object("v1", "PersistentVolumeClaim", "\(service.name)-workspace", namespace: namespace, ["spec": [
                    "accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]],
                ]]))
            }
            let probe: JSONValue = ["exec": ["command": ComposeRenderer.strings(["jina", "ping", "executor", "127.0.0.1:\(DeploymentPlan.executorPort)"])],
                                    "periodSeconds": 2, "failureThreshold": 30]
            objects.append(deployment(service.name, replicas: service.replicas, image: image, command: service.command,
                                      ports: [("executor", DeploymentPlan.executorPort)], environment: service.environment,
                                      readiness: probe, liveness: ["tcpSocket": ["port": .number(JSONNumber(DeploymentPlan.executorPort))],
                                                                   "periodSeconds": 10],
                                      workspace: service.needsWorkspace ? "\(service.name)-workspace" : nil, plan: plan, namespace: namespace))
            // Headless: the name resolves to every ready pod, one replica each for the gateway.
            objects.append(object("v1", "Service", service.name, namespace: namespace, ["spec": [
                "clusterIP": "None", "selector": ["app": .string(service.name)],
                "ports": [["name": "executor", "port": .number(JSONNumber(DeploymentPlan.executorPort))]],
            ]]))
            add("\(service.name).yml", objects)
        }
        let first = plan.gatewayPorts.first
        let readiness: JSONValue = first?.protocol == .grpc
            ? ["grpc": ["port": .number(JSONNumber(first!.container))], "periodSeconds": 2]
            : ["httpGet": ["path": "/ready", "port": .number(JSONNumber(first?.container ?? DeploymentPlan.gatewayPort))], "periodSeconds": 2]
        let ports = plan.gatewayPorts.map { ($0.protocol.rawValue, $0.container) }
        add("gateway.yml", [
            deployment("gateway", replicas: 1, image: image, command: plan.gatewayCommand, ports: ports, environment: [],
                       readiness: readiness, liveness: ["tcpSocket": ["port": .number(JSONNumber(first?.container ?? DeploymentPlan.gatewayPort))],
                                                        "periodSeconds": 10],
                       workspace: nil, plan: plan, namespace: namespace),
            object("v1", "Service", "gateway", namespace: namespace, ["spec": [
                "selector": ["app": "gateway"],
                "ports": .array(plan.gatewayPorts.map { .object(JSONObject([("name", .string($0.protocol.rawValue)),
                                                                           ("port", .number(JSONNumber($0.published))),
                                                                           ("targetPort", .number(JSONNumber($0.container)))])) }),
            ]]),
        ])
        return manifests
    }

    /// A ConfigMap key for a path (keys may not hold '/'); the volume's `items` put it back.
    static func key(_ path: String) -> String {
        String(path.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" ? $0 : "_" })
    }

    private static func object(_ apiVersion: String, _ kind: String, _ name: String, namespace: String?, _ body: JSONObject) -> JSONValue {
        var metadata = JSONObject([("name", .string(name))])
        if let namespace { metadata["namespace"] = .string(namespace) }
        var object = JSONObject([("apiVersion", .string(apiVersion)), ("kind", .string(kind)), ("metadata", .object(metadata))])
        for (key, value) in body { object[key] = value }
        return .object(object)
    }

    private static func deployment(_ name: String, replicas: Int, image: String, command: [String], ports: [(String, Int)],
                                   environment: [(key: String, value: String)], readiness: JSONValue, liveness: JSONValue,
                                   workspace: String?, plan: DeploymentPlan, namespace: String) -> JSONValue {
        var mounts: [JSONValue] = [["name": "flow", "mountPath": "/flow", "readOnly": true], ["name": "deploy", "mountPath": "/deploy", "readOnly": true]]
        var volumes: [JSONValue] = [
            ["name": "flow", "configMap": ["name": "jina-flow-files",
                                           "items": .array(plan.flowFiles.map { ["key": .string(key($0)), "path": .string($0)] })]],
            ["name": "deploy", "configMap": ["name": "jina-deploy"]],
        ]
        if let workspace {
            mounts.append(["name": "workspace", "mountPath": "/workspace"])
            volumes.append(["name": "workspace", "persistentVolumeClaim": ["claimName": .string(workspace)]])
        }
        var container = JSONObject([
            ("name", .string(name)), ("image", .string(image)), ("command", ComposeRenderer.strings(command)),
            ("ports", .array(ports.map { ["name": .string($0.0), "containerPort": .number(JSONNumber($0.1))] })),
        ])
        if !environment.isEmpty {
            container["env"] = .array(environment.map { ["name": .string($0.key), "value": .string($0.value)] })
        }
        container["readinessProbe"] = readiness
        container["livenessProbe"] = liveness
        // Requests and limits are the user's to set (GPUs, memory of a model).
        container["resources"] = .object(JSONObject())
        container["volumeMounts"] = .array(mounts)
        return object("apps/v1", "Deployment", name, namespace: namespace, ["spec": [
            "replicas": .number(JSONNumber(replicas)),
            "selector": ["matchLabels": ["app": .string(name)]],
            "template": [
                "metadata": ["labels": ["app": .string(name)]],
                "spec": [
                    // SIGTERM drains the requests in flight (up to 30 s), then the pod goes.
                    "terminationGracePeriodSeconds": 35,
                    "containers": [.object(container)],
                    "volumes": .array(volumes),
                ],
            ],
        ]])
    }
}
