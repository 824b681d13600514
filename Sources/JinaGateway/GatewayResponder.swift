import Foundation
import Hummingbird
import JinaWire

/// Sends each request to its route. The routing is a small table rather than Hummingbird's
/// Router: the data routes grow when executors bind endpoints (known only from their hellos),
/// and a wrong path or method must answer JSON that names the routes that exist.
struct GatewayResponder: HTTPResponder {
    typealias Context = GatewayContext

    let flow: any FlowService
    let cors: Bool
    let data: DataRequestHandler
    let info: InfoRoutes

    func respond(to request: Request, context: Context) async throws -> Response {
        var response = await route(request, context: context)
        if cors { response.headers[.accessControlAllowOrigin] = "*" }
        return response
    }

    private func route(_ request: Request, context: Context) async -> Response {
        let path = Self.normalise(request.uri.path)
        let routes = DataRoutes(boundEndpoints: flow.boundEndpoints)
        let dataRoute = routes.match(path)
        let isInfo = InfoRoutes.paths.contains(path)
        var allowed = dataRoute == nil ? [] : DataRoutes.methods(for: path)
        if isInfo { allowed.append(.get) }

        guard !allowed.isEmpty else {
            let error = GatewayError(status: .notFound, message: "no route \(request.method.rawValue) \(path); data routes are POST "
                                        + routes.paths.joined(separator: ", "),
                                     details: [("routes", .array(routes.paths.map(JSONValue.string))),
                                               ("other_routes", .array(InfoRoutes.paths.map(JSONValue.string)))])
            return .json(error.json, status: error.status)
        }
        if request.method == .get, isInfo {
            return await info.respond(to: path, routes: routes)
        }
        if let dataRoute, allowed.contains(request.method) {
            return await data.respond(to: request, context: context, route: dataRoute, routes: routes)
        }
        let methods = allowed.map(\.rawValue).joined(separator: ", ")
        if request.method == .options {
            // A CORS preflight, or a client asking what it may do.
            var headers: HTTPFields = [.allow: methods + ", OPTIONS"]
            if cors {
                headers[.accessControlAllowMethods] = methods + ", OPTIONS"
                headers[.accessControlAllowHeaders] = request.headers[.accessControlRequestHeaders] ?? "*"
                headers[.accessControlMaxAge] = "600"
            }
            return Response(status: .noContent, headers: headers)
        }
        let error = GatewayError(status: .methodNotAllowed, message: "\(path) answers \(methods), not \(request.method.rawValue)",
                                 details: [("allowed", .array(allowed.map { .string($0.rawValue) }))])
        var response = Response.json(error.json, status: error.status)
        response.headers[.allow] = methods
        return response
    }

    /// Percent-decoded, without a trailing slash (but `/` stays `/`).
    static func normalise(_ path: String) -> String {
        var path = path.utf8.contains(UInt8(ascii: "%")) ? path.removingPercentEncoding ?? path : path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path.isEmpty ? "/" : path
    }
}
