import Foundation
import Hummingbird
import JinaWire

/// The GET routes: liveness, readiness, status, dry run, metrics, the OpenAPI document and the
/// API page.
struct InfoRoutes: Sendable {
    static let paths = ["/", "/ping", "/ready", "/status", "/dry_run", "/metrics", "/openapi.json", "/docs", "/redoc"]

    let flow: any FlowService
    let configuration: GatewayConfiguration
    let metrics: GatewayMetrics
    let flowStarted: LockedBool
    let startDate: Date

    func respond(to path: String, routes: DataRoutes) async -> Response {
        switch path {
        case "/ready": return ready()
        case "/status": return .json(status())
        case "/dry_run": return .json(await dryRun())
        case "/metrics":
            let text = metrics.render(executors: flow.executors, retries: flow.retryCount, uptime: uptime)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        case "/openapi.json": return .json(OpenAPIDocument.json(routes: routes, configuration: configuration))
        case "/docs":
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: DocsPage.html)))
        case "/redoc": return Response(status: .found, headers: [.location: "/docs"])
        default: return .json(.object(JSONObject()))  // "/" and "/ping": alive
        }
    }

    /// 200 when every executor is ready; else 503. Both list each executor's state.
    private func ready() -> Response {
        let ready = flowStarted.value && flow.isReady
        let states = JSONObject(flow.executors.map { ($0.name, JSONValue.string($0.state.description)) })
        return .json(.object(JSONObject([("ready", .bool(ready)), ("executors", .object(states))])),
                     status: ready ? .ok : .serviceUnavailable)
    }

    private func status() -> JSONValue {
        let executors = JSONObject(flow.executors.map { executor in
            (executor.name, JSONValue.object(JSONObject([("state", .string(executor.state.description)),
                                                         ("restarts", .number(JSONNumber(executor.restarts)))])))
        })
        return .object(JSONObject([
            ("jina", .object(JSONObject([("version", .string(configuration.version))]))),
            ("version", .string(configuration.version)),
            ("ready", .bool(flowStarted.value && flow.isReady)),
            ("uptime_seconds", .number(JSONNumber(finite: uptime) ?? 0)),
            ("requests_in_flight", .number(JSONNumber(metrics.requestsInFlight))),
            ("executors", .object(executors)),
            ("endpoints", .array(flow.boundEndpoints.map(JSONValue.string))),
        ]))
    }

    /// An empty request through every executor. The Jina 3 client's `is_flow_ready()` wants
    /// the integer `code: 0`; anything else carries the exception.
    private func dryRun() async -> JSONValue {
        guard let failure = await Self.dryRunFailure(flow: flow, flowStarted: flowStarted) else {
            return .object(JSONObject([("code", .number(0)), ("description", .string("")), ("exception", .null)]))
        }
        let status = ResponseEnvelope.status(failure)
        return .object(JSONObject([("code", .number(1)), ("description", status["description"] ?? .string("")),
                                   ("exception", status["exception"] ?? .null)]))
    }

    /// Sends an empty request through every executor: nil when all answered, else the error
    /// status (every gateway's dry run).
    static func dryRunFailure(flow: any FlowService, flowStarted: LockedBool) async -> JSONObject? {
        guard flowStarted.value else {
            return RequestFailure.status(name: "Unavailable", message: "the Flow is still starting; see GET /ready", executor: "")
        }
        return await flow.post(FlowRequest(endpoint: "/dry_run", body: Array("[]".utf8), count: 0)).failure?.status
    }

    private var uptime: Double { Date().timeIntervalSince(startDate) }
}
