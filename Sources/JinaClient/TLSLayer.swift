import Foundation
import NIOCore
import NIOEmbedded
import NIOSSL
import NIOTLS

/// TLS for a blocking `ClientSocket`: NIOSSL's client handler in an `EmbeddedChannel`, which the
/// socket feeds with the bytes it reads and empties of the bytes to send. The HTTP client keeps
/// its one code path (its own socket, deadlines and poll(2)); only the bytes are encrypted. Not
/// thread-safe: used by the one thread that owns the connection (EmbeddedChannel checks that).
final class TLSLayer {
    private let channel = EmbeddedChannel()
    private let watcher = HandshakeWatcher()

    /// Starts the handshake: the first bytes to send are then in `outbound()`. `serverName` nil
    /// for an IP literal: then no SNI, and NIOSSL matches the certificate's IP addresses against
    /// `peer`.
    init(context: NIOSSLContext, serverName: String?, peer: SocketAddress) throws {
        let handler = try NIOSSLClientHandler(context: context, serverHostname: serverName)
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.pipeline.syncOperations.addHandler(watcher)
        channel.remoteAddress = peer
        // Connecting an EmbeddedChannel is immediate: channelActive starts the handshake.
        channel.connect(to: peer, promise: nil)
        try channel.throwIfErrorCaught()
    }

    /// True once the handshake succeeded (the certificate was checked).
    var handshakeDone: Bool { watcher.completed }

    /// Encrypts `bytes`; what to send is then in `outbound()`.
    func send(_ bytes: [UInt8]) throws {
        try channel.writeOutbound(channel.allocator.buffer(bytes: bytes))
    }

    /// Takes bytes read from the network; throws when TLS fails (a certificate that is not
    /// trusted, a server that does not speak TLS).
    func receive(_ bytes: ArraySlice<UInt8>) throws {
        try channel.writeInbound(channel.allocator.buffer(bytes: bytes))
    }

    /// The encrypted bytes waiting to be sent.
    func outbound() throws -> [UInt8] {
        var out: [UInt8] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { out += buffer.readableBytesView }
        return out
    }

    /// Decrypted bytes that arrived, appended to `buffer`; how many.
    func plaintext(into buffer: inout [UInt8]) throws -> Int {
        var count = 0
        while let bytes = try channel.readInbound(as: ByteBuffer.self) {
            buffer += bytes.readableBytesView
            count += bytes.readableBytes
        }
        return count
    }

    /// The peer sent close_notify, or TLS failed: no more plaintext will come.
    var isClosed: Bool { !channel.isActive }

    /// Queues close_notify (in `outbound()`).
    func close() {
        channel.close(promise: nil)
    }
}

/// Notes NIOSSL's handshake-completed event.
private final class HandshakeWatcher: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private(set) var completed = false

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { completed = true }
        context.fireUserInboundEventTriggered(event)
    }
}
