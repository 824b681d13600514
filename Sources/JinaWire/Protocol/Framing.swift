/// How frames travel on a byte stream: length-prefixed (the default) or one JSON object per line
/// (`framing: lines`, for shell and jq executors).
public enum Framing: String, Sendable, CaseIterable {
    case frames, lines

    /// The frame's bytes in this framing.
    public func encode(_ frame: Frame) -> [UInt8] {
        switch self {
        case .frames: return FrameEncoder.encode(frame)
        case .lines: return LineCodec.encode(frame)
        }
    }
}

/// Cuts frames out of a byte stream in either framing: the one decoder every reader uses (the
/// Flow's workers, the executor host, the conformance suite, probes).
public struct FrameStreamDecoder: Sendable {
    public let framing: Framing
    public let maxFrameSize: Int
    private var frames: FrameDecoder
    private var lines: [UInt8] = []
    private var lineStart = 0

    public init(framing: Framing, maxFrameSize: Int = Frame.defaultMaxSize) {
        self.framing = framing
        self.maxFrameSize = maxFrameSize
        frames = FrameDecoder(maxFrameSize: maxFrameSize)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        switch framing {
        case .frames:
            frames.append(bytes)
        case .lines:
            if lineStart > 0, lineStart >= lines.count / 2 {
                lines.removeFirst(lineStart)
                lineStart = 0
            }
            lines.append(contentsOf: bytes)
        }
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next complete frame, or nil until more bytes arrive. Blank lines are skipped.
    public mutating func next() throws(FrameError) -> Frame? {
        switch framing {
        case .frames:
            return try frames.next()
        case .lines:
            while let newline = lines[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(lines[lineStart..<newline])
                lineStart = newline + 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                return try LineCodec.decode(line)
            }
            let buffered = lines.count - lineStart
            if buffered > maxFrameSize { throw .tooLarge(size: buffered, limit: maxFrameSize) }
            return nil
        }
    }
}
