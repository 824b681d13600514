import Foundation
import JinaConfig
import JinaWire

/// Blocking frame I/O over file descriptors (a pipe pair or a socket), in either codec. One
/// thread may receive (and ask `hasMoreInput`) while another sends: they share no state.
final class FDChannel: @unchecked Sendable {
    let input: Int32
    let output: Int32
    let framing: Framing
    private var decoder: FrameStreamDecoder
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var atEOF = false
    /// A frame (or the error in place of one) taken from the decoder by `hasMoreInput`.
    private var ahead: Result<Frame, FrameError>?

    init(input: Int32, output: Int32, framing: Framing, maxFrameSize: Int) {
        self.input = input
        self.output = output
        self.framing = framing
        decoder = FrameStreamDecoder(framing: framing, maxFrameSize: maxFrameSize)
    }

    /// The next frame, or nil at end of input.
    func receive() throws -> Frame? {
        if let ahead {
            self.ahead = nil
            return try ahead.get()
        }
        while true {
            if let frame = try decoder.next() { return frame }
            if atEOF { return nil }
            let n = readBuffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 {
                atEOF = true
                continue
            }
            readBuffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }

    /// Whether more input is here already: a whole frame decoded, or bytes (or the end) to read
    /// without waiting.
    func hasMoreInput() -> Bool {
        if ahead != nil { return true }
        do throws(FrameError) {
            if let frame = try decoder.next() {
                ahead = .success(frame)
                return true
            }
        } catch {
            ahead = .failure(error)
            return true
        }
        var poller = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        return atEOF || poll(&poller, 1, 0) != 0
    }

    /// Writes a whole frame; false when the other side is gone.
    func send(_ frame: Frame) -> Bool {
        Descriptor.writeAll(output, framing.encode(frame))
    }
}
