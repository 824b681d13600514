import Foundation
import JinaConfig
import JinaWire

/// Blocking frame I/O over file descriptors (a pipe pair or a socket), in either codec.
final class FDChannel {
    let input: Int32
    let output: Int32
    let framing: ExecutorEntry.Framing
    private var decoder: FrameDecoder
    private var lineBuffer: [UInt8] = []
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var atEOF = false

    init(input: Int32, output: Int32, framing: ExecutorEntry.Framing, maxFrameSize: Int) {
        self.input = input
        self.output = output
        self.framing = framing
        decoder = FrameDecoder(maxFrameSize: maxFrameSize)
    }

    /// The next frame, or nil at end of input.
    func receive() throws -> Frame? {
        while true {
            switch framing {
            case .frames:
                if let frame = try decoder.next() { return frame }
            case .lines:
                if let newline = lineBuffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = Array(lineBuffer[..<newline])
                    lineBuffer.removeFirst(newline + 1)
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                    return try LineCodec.decode(line)
                }
            }
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
            readBuffer.withUnsafeBytes { raw in
                let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<n])
                if framing == .frames { decoder.append(chunk) } else { lineBuffer.append(contentsOf: chunk) }
            }
        }
    }

    /// Writes a whole frame; false when the other side is gone.
    func send(_ frame: Frame) -> Bool {
        let bytes = framing == .frames ? FrameEncoder.encode(frame) : LineCodec.encode(frame)
        return FDChannel.writeAll(output, bytes)
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        return bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }
}
