/// The opt-in line form of frames (`framing: lines`): one JSON object per line, the header's
/// fields plus `docs`, so a shell, `jq` or `awk` program can be an executor.
public enum LineCodec {
    /// The frame as one line (ending in `\n`); the body is spliced in as `docs` without decoding it.
    public static func encode(_ frame: Frame) -> [UInt8] {
        var line = JSONValue.object(frame.header).jsonBytes
        if !frame.body.isEmpty {
            line.removeLast()  // the header's closing brace
            if frame.header.count > 0 { line.append(UInt8(ascii: ",")) }
            line.append(contentsOf: Array("\"docs\":".utf8))
            line.append(contentsOf: frame.body)
            line.append(UInt8(ascii: "}"))
        }
        line.append(UInt8(ascii: "\n"))
        return line
    }

    /// A line (without its newline) back into a frame; `docs` becomes the body.
    public static func decode(_ line: [UInt8]) throws(FrameError) -> Frame {
        let parsed: JSONValue
        do { parsed = try JSONParser.parse(line) } catch { throw .badHeader(error.description) }
        guard case .object(var header) = parsed else { throw .badHeader("the line is not a JSON object") }
        var body: [UInt8] = []
        if let docs = header.removeValue(forKey: "docs") {
            guard case .array = docs else { throw .badHeader("'docs' is not a list") }
            body = docs.jsonBytes
        }
        return Frame(header: header, body: body)
    }
}
