import Foundation
import JinaWire

/// `Sleep`: waits `ms` milliseconds (from `with:` or the request's parameters), then passes the
/// documents on. For tests of timeouts, backpressure and load balancing.
final class SleepExecutor: SwiftExecutor {
    private let settings: JSONObject

    init(with parameters: JSONObject, context: ExecutorContext) {
        settings = parameters
    }

    static let defaultBindings: [(endpoint: String, method: String)] = [("/default", "sleep")]

    func run(method: String, _ call: inout ExecutorCall) throws {
        let ms = settings.overlaid(by: call.parameters).double("ms", or: 100)
        if ms > 0 { Thread.sleep(forTimeInterval: ms / 1000) }
    }
}
