import Hummingbird
import JinaWire

/// Which JSON layout a response takes (SPEC §5, "Response shape rule").
enum ResponseShape {
    /// `"data": {"docs": [...]}`, for Jina 2 clients and the 2.0 cookbook's curl.
    case jina2
    /// `"data": [...]`, what Jina 3 clients parse.
    case jina3

    /// The response in Jina's envelope, `data` in this shape.
    func body(for answer: DataAnswer) -> [UInt8] {
        ResponseEnvelope.bytes(requestID: answer.requestID, endpoint: answer.endpoint, targetExecutor: answer.targetExecutor,
                               parameters: answer.parameters, routes: answer.routes, status: answer.failure?.status, body: answer.body,
                               shape: self == .jina2 ? .docsObject : .list)
    }
}
