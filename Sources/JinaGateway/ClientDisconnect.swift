import Hummingbird
import JinaWire
import NIOCore
import Synchronization

/// Tells a request that its client went away. Hummingbird does not cancel a handler when its
/// connection closes (its `consumeWithCancellationOnInboundClose` does, but then closes every
/// keep-alive connection after one response), so a small handler in each connection's pipeline
/// watches for the end of input and signals the request being answered on that connection.
final class ClientDisconnectWatcher: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {  // event-loop bound
    typealias InboundIn = NIOAny

    private var connection: ObjectIdentifier?

    func handlerAdded(context: ChannelHandlerContext) {
        let id = ObjectIdentifier(context.channel)
        connection = id
        ClientDisconnect.open(id)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event, let connection { ClientDisconnect.closed(connection) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let connection { ClientDisconnect.closed(connection) }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let connection { ClientDisconnect.forget(connection) }
    }
}

/// The open connections, each with the one-shot signal its requests wait on.
enum ClientDisconnect {
    private static let connections = Mutex<[ObjectIdentifier: Signal]>([:])

    static func open(_ id: ObjectIdentifier) { connections.withLock { $0[id] = Signal() } }
    static func closed(_ id: ObjectIdentifier) { connections.withLock { $0[id] }?.fire() }
    static func forget(_ id: ObjectIdentifier) { connections.withLock { $0.removeValue(forKey: id) }?.fire() }

    /// Runs `operation`; if the connection's client goes away first, cancels it (and still
    /// returns what it returns once cancelled).
    static func cancellingOnClose<T: Sendable>(_ channel: any Channel, _ operation: @escaping @Sendable () async -> T) async -> T {
        guard let signal = connections.withLock({ $0[ObjectIdentifier(channel)] }) else { return await operation() }
        return await cancelling(operation, when: { await signal.wait() })
    }
}

/// The request context of the gateway: Hummingbird's basic one plus the connection, so a request
/// can tell when its client went away.
struct GatewayContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
