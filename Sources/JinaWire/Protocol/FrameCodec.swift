/// The byte form of frames: `u32be header_len | u32be body_len | header JSON | body`.
public enum FrameEncoder {
    public static func encode(_ frame: Frame, into out: inout [UInt8]) {
        let header = JSONValue.object(frame.header).jsonBytes
        out.reserveCapacity(out.count + 8 + header.count + frame.body.count)
        appendUInt32(UInt32(header.count), to: &out)
        appendUInt32(UInt32(frame.body.count), to: &out)
        out.append(contentsOf: header)
        out.append(contentsOf: frame.body)
    }

    public static func encode(_ frame: Frame) -> [UInt8] {
        var out: [UInt8] = []
        encode(frame, into: &out)
        return out
    }

    private static func appendUInt32(_ value: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: value >> 24))
        out.append(UInt8(truncatingIfNeeded: value >> 16))
        out.append(UInt8(truncatingIfNeeded: value >> 8))
        out.append(UInt8(truncatingIfNeeded: value))
    }
}

/// Why a byte stream is not a stream of frames.
public enum FrameError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooLarge(size: Int, limit: Int)
    case badHeader(String)

    public var description: String {
        switch self {
        case .tooLarge(let size, let limit): return "frame of \(size) bytes exceeds the limit of \(limit) bytes"
        case .badHeader(let why): return "bad frame header: \(why)"
        }
    }
}

/// Cuts frames out of a byte stream that arrives in pieces.
public struct FrameDecoder: Sendable {
    public var maxFrameSize: Int
    private var buffer: [UInt8] = []
    private var start = 0

    public init(maxFrameSize: Int = Frame.defaultMaxSize) {
        self.maxFrameSize = maxFrameSize
    }

    /// Bytes received but not yet part of a returned frame.
    public var bufferedByteCount: Int { buffer.count - start }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next complete frame, or nil until more bytes arrive.
    public mutating func next() throws(FrameError) -> Frame? {
        guard buffer.count - start >= 8 else { return nil }
        let headerLength = Int(readUInt32(at: start))
        let bodyLength = Int(readUInt32(at: start + 4))
        let total = 8 + headerLength + bodyLength
        if total > maxFrameSize { throw .tooLarge(size: total, limit: maxFrameSize) }
        guard buffer.count - start >= total else { return nil }
        let headerStart = start + 8, bodyStart = headerStart + headerLength
        let parsed: JSONValue
        do {
            parsed = try buffer.withUnsafeBytes { raw throws(JSONParseError) in
                try JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[headerStart..<bodyStart]))
            }
        } catch {
            throw .badHeader("\(error)")
        }
        guard case .object(let header) = parsed else { throw .badHeader("the header is not a JSON object") }
        let body = Array(buffer[bodyStart..<(bodyStart + bodyLength)])
        start += total
        return Frame(header: header, body: body)
    }

    private func readUInt32(at i: Int) -> UInt32 {
        UInt32(buffer[i]) << 24 | UInt32(buffer[i + 1]) << 16 | UInt32(buffer[i + 2]) << 8 | UInt32(buffer[i + 3])
    }
}
