import Foundation
import JinaWire

/// Reads documents for `flow run --inputs` and `client post`: JSON Lines, CSV, plain text
/// lines, or files matched by a glob. Streams: one record (or file) at a time.
final class InputReader: @unchecked Sendable {  // read by one thread at a time
    enum Format: String, Sendable, CaseIterable {
        case jsonl, csv, text, files
    }

    /// How files matched by a glob become documents: `uri` only, their text, or their bytes.
    enum ReadMode: String, Sendable, CaseIterable {
        case uri, text, bytes
    }

    private let source: any DocumentSource

    /// `path` is a file, `-` for stdin, or a glob (`'notes/*.txt'`). The format follows the
    /// extension unless given (`.jsonl`/`.ndjson`/`.jl`, `.csv`/`.tcsv`, else text; stdin: JSON Lines).
    init(path: String, format: Format? = nil, readMode: ReadMode = .uri) throws {
        switch format ?? (path == "-" ? .jsonl : Self.isGlob(path) ? .files : Self.format(of: path)) {
        case .jsonl: source = LineDocuments(file: try InputFile(path: path), asJSON: true)
        case .text: source = LineDocuments(file: try InputFile(path: path), asJSON: false)
        case .csv: source = CSVDocuments(file: try InputFile(path: path))
        case .files: source = try GlobDocuments(pattern: path, readMode: readMode)
        }
    }

    static func isGlob(_ path: String) -> Bool { path.contains { "*?[".contains($0) } }

    static func format(of path: String) -> Format {
        switch (path as NSString).pathExtension.lowercased() {
        case "jsonl", "ndjson", "jl", "jsonlines", "ldjson": return .jsonl
        case "csv", "tcsv": return .csv
        default: return .text
        }
    }

    /// Up to `count` documents as one batch; nil at the end. A JSON line that is a document goes
    /// in as its bytes: building it and writing it back (an embedding's hundreds of numbers) was
    /// most of what `flow run` spent reading such inputs.
    func nextBatch(_ count: Int) throws -> Batch? {
        var body: [UInt8] = [UInt8(ascii: "[")]
        var documents: [Range<Int>] = []
        while documents.count < max(count, 1), let input = try source.nextInput() {
            if !documents.isEmpty { body.append(UInt8(ascii: ",")) }
            let start = body.count
            switch input {
            case .json(let bytes): body += bytes
            case .document(let doc): JSONWriter.write(.object(Self.withID(doc).fields), into: &body)
            }
            documents.append(start..<body.count)
        }
        body.append(UInt8(ascii: "]"))
        return documents.isEmpty ? nil : Batch(body: body, documents: documents)
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

/// Documents to send in one request: a JSON array, as bytes, and where each document is in it.
struct Batch: Sendable {
    var body: [UInt8]
    var documents: [Range<Int>]
    var count: Int { documents.count }

    /// The documents of an answer, found without scanning it again when it is this batch
    /// unchanged (an indexer's answer).
    func split(_ answer: [UInt8]) throws(DocumentArray.DecodeError) -> [ArraySlice<UInt8>] {
        answer == body ? documents.map { answer[$0] } : try DocumentArray.split(answer)
    }
}

/// One kind of input, read a document at a time.
protocol DocumentSource {
    /// The next document as it goes into a batch; nil at the end.
    func nextInput() throws -> InputDocument?
}

/// A source that builds each document (CSV records, files).
protocol DocumentBuilder: DocumentSource {
    /// The next document (which may lack an id), or nil at the end.
    func next() throws -> Document?
}

extension DocumentBuilder {
    func nextInput() throws -> InputDocument? { try next().map(InputDocument.document) }
}

/// A document read for a batch: checked JSON bytes of a document with its id, to pass on as
/// they are, or a document built (which may lack an id).
enum InputDocument {
    case json([UInt8])
    case document(Document)
}

/// Why the inputs cannot be read; the message names the file (and line) where it can.
struct InputError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
