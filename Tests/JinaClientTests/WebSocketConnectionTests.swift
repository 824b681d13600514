import Foundation
import Testing

@testable import JinaClient

/// The WebSocket client's own pieces: the accept key's hash and the frames it writes and reads.
@Suite struct WebSocketConnectionTests {
    @Test func sha1MatchesTheStandardsVectors() {
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA1.hash(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hex(SHA1.hash([])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hex(SHA1.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        // RFC 6455 §1.3's example handshake.
        let accept = Data(SHA1.hash(Array("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11".utf8))).base64EncodedString()
        #expect(accept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test(arguments: [0, 5, 125, 126, 65535, 65536, 200_000])
    func aMaskedFrameReadsBackAsItsPayload(size: Int) throws {
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let frame = WebSocketConnection.frame(opcode: 0x2, payload)
        #expect(frame[0] == 0x82)
        #expect(frame[1] & 0x80 != 0, "clients mask every frame")
        var position = 0
        // Incomplete: nothing yet.
        #expect(try WebSocketConnection.nextFrame(Array(frame.dropLast()), &position, maxMessageSize: 1 << 20) == nil)
        #expect(position == 0)
        let read = try #require(try WebSocketConnection.nextFrame(frame, &position, maxMessageSize: 1 << 20))
        #expect(read.fin && read.opcode == 0x2)
        #expect(read.payload == payload)
        #expect(position == frame.count)
    }

    @Test func aFrameLargerThanTheLimitIsRefused() {
        var position = 0
        let header: [UInt8] = [0x82, 127, 0, 0, 0, 1, 0, 0, 0, 0]
        #expect(throws: ClientError.self) { try WebSocketConnection.nextFrame(header, &position, maxMessageSize: 1 << 20) }
    }
}
