import Foundation
import Hummingbird
import JinaWire

/// Answers a data route: reads the body (up to `max_body_size`), parses it, runs it through the
/// Flow and writes the response in the request's shape. Requests run concurrently; the runtime
/// bounds how many are in flight (`--prefetch`).
struct DataRequestHandler: Sendable {
    let flow: any FlowService
    let maxBodySize: Int
    let metrics: GatewayMetrics
    let flowStarted: LockedBool

    func respond(to request: Request, context: GatewayContext, route: DataRoute, routes: DataRoutes) async -> Response {
        let started = ContinuousClock.now
        metrics.requestStarted()
        var endpoint: String?
        if case .endpoint(let e) = route { endpoint = e }
        if case .postTo(let e) = route { endpoint = e }
        let status: HTTPResponse.Status
        let errorKind: String?
        var routeEntries: [RouteEntry] = []
        let response: Response
        do {
            let parsed = try RequestParser.parse(try await collectBody(of: request), route: route)
            endpoint = parsed.flowRequest.endpoint
            let answer: DataAnswer
            if flowStarted.value {
                // A client that closes its connection cancels the request: its calls
                // downstream are withdrawn and its slot freed.
                let flow = self.flow, flowRequest = parsed.flowRequest
                answer = DataAnswer(await ClientDisconnect.cancellingOnClose(context.channel) { await flow.post(flowRequest) })
            } else {
                answer = DataAnswer(unavailable: parsed.flowRequest, "the Flow is still starting; see GET /ready")
            }
            status = answer.httpStatus
            errorKind = answer.errorKind
            routeEntries = answer.routes
            response = .json(bytes: parsed.shape.body(for: answer), status: status)
        } catch {
            status = error.status
            errorKind = error.status == .contentTooLarge ? "too_large" : "bad_request"
            response = .json(error.json, status: status)
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // Only the Flow's own endpoints become labels: a client cannot grow the metrics.
        let label = endpoint.flatMap { routes.paths.contains($0) ? $0 : nil } ?? "other"
        metrics.requestFinished(endpoint: label, status: status.code, errorKind: errorKind, seconds: seconds, routes: routeEntries)
        return response
    }

    /// The whole body, or 413 as soon as it passes the limit (by Content-Length or as it arrives).
    private func collectBody(of request: Request) async throws(GatewayError) -> [UInt8] {
        let tooLarge = GatewayError(status: .contentTooLarge,
                                    message: "the request body is larger than the Flow's max_body_size of \(maxBodySize) bytes",
                                    details: [("limit", .number(JSONNumber(maxBodySize)))])
        let length = request.headers[.contentLength].flatMap { Int($0) }
        if let length, length > maxBodySize { throw tooLarge }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length ?? 0)
        do {
            for try await buffer in request.body {
                guard bytes.count + buffer.readableBytes <= maxBodySize else { throw tooLarge }
                bytes += buffer.readableBytesView
            }
        } catch let error as GatewayError {
            throw error
        } catch {
            throw .badRequest("could not read the request body: \(error)")
        }
        return bytes
    }
}

/// A Bool set from one task and read from many.
final class LockedBool: @unchecked Sendable {  // `stored` behind `lock`
    private let lock = NSLock()
    private var stored = false

    var value: Bool {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

extension Response {
    /// A JSON answer; every one carries `Content-Type: application/json`.
    static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        json(bytes: value.jsonBytes, status: status)
    }
}
