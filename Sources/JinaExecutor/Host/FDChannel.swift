import Foundation
import JinaConfig
import JinaWire

/// Blocking frame I/O over file descriptors (a pipe pair or a socket), in either codec. One
/// thread may receive while another sends: they share no state.
final class FDChannel: @unchecked Sendable {
    let input: Int32
    let output: Int32
    let framing: Framing
    private var decoder: FrameStreamDecoder
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var atEOF = false

    init(input: Int32, output: Int32, framing: Framing, maxFrameSize: Int) {
        self.input = input
        self.output = output
        self.framing = framing
        decoder = FrameStreamDecoder(framing: framing, maxFrameSize: maxFrameSize)
    }

    /// The next frame, or nil at end of input.
    func receive() throws -> Frame? {
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

    /// Writes a whole frame; false when the other side is gone.
    func send(_ frame: Frame) -> Bool {
        Descriptor.writeAll(output, framing.encode(frame))
    }
}
