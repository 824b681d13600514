import Foundation
import JinaWire

/// Reads documents for `flow run --inputs` (and `client post`): JSON Lines, CSV, plain text
/// lines, or files matched by a glob. Streams: one line (or file) at a time.
final class InputReader: @unchecked Sendable {  // read by one thread at a time
    enum Format: String, Sendable, CaseIterable {
        case jsonl, csv, text, files
    }

    /// How files matched by a glob become documents: `uri` only, their text, or their bytes.
    enum ReadMode: String, Sendable, CaseIterable {
        case uri, text, bytes
    }

    struct InputError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    private let source: String
    private let format: Format
    private let readMode: ReadMode
    private var file: UnsafeMutablePointer<FILE>?
    private var lineNumber = 0
    private var csvHeader: [String]?
    private var files: [String] = []
    private var fileIndex = 0

    /// `path` is a file, `-` for stdin, or a glob (`'notes/*.txt'`). The format follows the
    /// extension unless given (`.jsonl`/`.ndjson`/`.jl`, `.csv`/`.tcsv`, else text; stdin: JSON Lines).
    init(path: String, format: Format? = nil, readMode: ReadMode = .uri) throws {
        source = path
        self.readMode = readMode
        if path == "-" {
            self.format = format ?? .jsonl
            file = fdopen(dup(STDIN_FILENO), "r")
        } else if format == .files || (format == nil && Self.isGlob(path)) {
            self.format = .files
            files = try Self.expand(path)
        } else {
            self.format = format ?? Self.format(of: path)
            guard let handle = fopen(path, "r") else {
                throw InputError(message: "cannot open '\(path)': \(String(cString: strerror(errno)))")
            }
            file = handle
        }
    }

    deinit {
        if let file { fclose(file) }
    }

    static func isGlob(_ path: String) -> Bool { path.contains { "*?[".contains($0) } }

    static func format(of path: String) -> Format {
        switch (path as NSString).pathExtension.lowercased() {
        case "jsonl", "ndjson", "jl", "jsonlines", "ldjson": return .jsonl
        case "csv", "tcsv": return .csv
        default: return .text
        }
    }

    private static func expand(_ pattern: String) throws -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        let rc = glob(pattern, 0, nil, &result)
        guard rc == 0 else {
            if rc == GLOB_NOMATCH { throw InputError(message: "no file matches '\(pattern)'") }
            throw InputError(message: "cannot expand '\(pattern)'")
        }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    /// The next document, or nil at the end.
    func next() throws -> Document? {
        if format == .files { return try nextFile() }
        while let line = readLine() {
            if let doc = try document(from: line) { return Self.withID(doc) }
        }
        return nil
    }

    /// Up to `count` documents as one body (a JSON array); nil at the end.
    func nextBatch(_ count: Int) throws -> (body: [UInt8], count: Int)? {
        var docs: [JSONValue] = []
        while docs.count < max(count, 1), let doc = try next() { docs.append(.object(doc.fields)) }
        return docs.isEmpty ? nil : (JSONValue.array(docs).jsonBytes, docs.count)
    }

    private func readLine() -> [UInt8]? {
        guard let file else { return nil }
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        let n = getline(&buffer, &capacity, file)
        guard n >= 0, let buffer else { return nil }
        lineNumber += 1
        var length = n
        while length > 0, buffer[length - 1] == 0x0A || buffer[length - 1] == 0x0D { length -= 1 }
        return UnsafeRawBufferPointer(start: buffer, count: length).map { $0 }
    }

    private func document(from line: [UInt8]) throws -> Document? {
        switch format {
        case .jsonl:
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
            let value: JSONValue
            do { value = try JSONParser.parse(line) } catch {
                throw InputError(message: "\(source):\(lineNumber): \(error)")
            }
            switch value {
            case .object(let fields): return Document(fields)
            case .string(let text): return Document(text: text)
            default: throw InputError(message: "\(source):\(lineNumber): expected a JSON object (a document) or a string")
            }
        case .text:
            return Document(text: String(decoding: line, as: UTF8.self))
        case .csv:
            return try csvDocument(line)
        case .files:
            return nil
        }
    }

    /// Fields Jina's Document knows; other CSV columns go into `tags` (Jina's from_csv rule).
    static let documentFields: Set<String> = ["id", "text", "uri", "mime_type", "weight", "granularity", "adjacency",
                                              "parent_id", "modality", "offset", "buffer"]

    private func csvDocument(_ line: [UInt8]) throws -> Document? {
        var text = String(decoding: line, as: UTF8.self)
        // A quoted field may hold newlines: read on until the quotes balance.
        while text.filter({ $0 == "\"" }).count % 2 == 1, let more = readLine() {
            text += "\n" + String(decoding: more, as: UTF8.self)
        }
        let cells = CSV.split(text)
        guard let header = csvHeader else {
            csvHeader = cells
            return nil
        }
        if cells.count == 1 && cells[0].isEmpty { return nil }
        var doc = Document()
        var tags = JSONObject()
        for (i, name) in header.enumerated() where i < cells.count {
            if Self.documentFields.contains(name) {
                doc.fields[name] = name == "weight" || name == "granularity" || name == "adjacency" || name == "offset"
                    ? (JSONNumber(text: cells[i]).map(JSONValue.number) ?? .string(cells[i])) : .string(cells[i])
            } else {
                tags[name] = .string(cells[i])
            }
        }
        if !tags.isEmpty { doc.fields["tags"] = .object(tags) }
        return doc
    }

    private func nextFile() throws -> Document? {
        guard fileIndex < files.count else { return nil }
        let path = files[fileIndex]
        fileIndex += 1
        var doc = Document(JSONObject([("uri", .string(path))]))
        switch readMode {
        case .uri: break
        case .text:
            guard let data = FileManager.default.contents(atPath: path) else { throw InputError(message: "cannot read '\(path)'") }
            doc.text = String(decoding: data, as: UTF8.self)
        case .bytes:
            guard let data = FileManager.default.contents(atPath: path) else { throw InputError(message: "cannot read '\(path)'") }
            doc.fields["buffer"] = .string(data.base64EncodedString())
        }
        return Self.withID(doc)
    }

    /// Every document gets an id (SPEC §6), a random 32-hex-digit one when it has none.
    static func withID(_ doc: Document) -> Document {
        guard doc.fields["id"] == nil else { return doc }
        var doc = doc
        doc.id = RequestID.make()
        // Keep `id` first, as Jina writes it.
        doc.fields = JSONObject([("id", .string(doc.id!))] + doc.fields.filter { $0.key != "id" }.map { ($0.key, $0.value) })
        return doc
    }
}

/// RFC 4180 fields of one record: commas, quotes, doubled quotes inside quotes.
enum CSV {
    static func split(_ record: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var quoted = false
        var chars = Array(record)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { current.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                cells.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        cells.append(current)
        return cells
    }
}
