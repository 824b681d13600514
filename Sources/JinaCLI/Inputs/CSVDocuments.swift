import CSV
import Foundation
import JinaWire

/// A document per CSV record, read by CSV.swift as a stream (RFC 4180: quoted fields may hold
/// commas, doubled quotes and line breaks; a UTF-8 byte-order mark is skipped). The first record
/// names the columns; blank lines are skipped.
final class CSVDocuments: DocumentBuilder {
    private let file: InputFile
    private var reader: CSVReader?
    private var header: [String]?
    private var recordNumber = 0

    init(file: InputFile) {
        self.file = file
    }

    func next() throws -> Document? {
        while let cells = try nextRecord() {
            guard let header else {
                header = cells
                continue
            }
            if cells == [""] { continue }
            return Self.document(header: header, cells: cells)
        }
        return nil
    }

    /// Fields Jina's Document knows; other columns go into `tags` (Jina's from_csv rule).
    static let documentFields: Set<String> = ["id", "text", "uri", "mime_type", "weight", "granularity", "adjacency",
                                              "parent_id", "modality", "offset", "buffer"]
    /// Document fields that are numbers when their cell reads as one.
    static let numericFields: Set<String> = ["weight", "granularity", "adjacency", "offset"]

    /// Cells past the header's columns are dropped; columns past a short record's cells are left out.
    static func document(header: [String], cells: [String]) -> Document {
        var doc = Document()
        var tags = JSONObject()
        for (column, name) in header.enumerated() where column < cells.count {
            let cell = cells[column]
            if !documentFields.contains(name) {
                tags[name] = .string(cell)
            } else if numericFields.contains(name), let number = JSONNumber(text: cell) {
                doc.fields[name] = .number(number)
            } else {
                doc.fields[name] = .string(cell)
            }
        }
        if !tags.isEmpty { doc.fields["tags"] = .object(tags) }
        return doc
    }

    private func nextRecord() throws -> [String]? {
        let reader = try openedReader()
        let record = reader.next()
        // CSV.swift ends a record early and notes an error rather than throwing; `cannotReadFile`
        // is how it notes the end of the input.
        if let error = reader.error {
            if case CSVError.unicodeDecoding = error {
                throw InputError(message: "\(file.name): record \(recordNumber + 1): not valid UTF-8")
            }
            if case CSVError.streamErrorHasOccurred(let cause) = error {
                throw InputError(message: "\(file.name): cannot read: \(cause.localizedDescription)")
            }
        }
        if record != nil { recordNumber += 1 }
        return record
    }

    /// Opened on first use, on the thread that reads the batches: CSV.swift reads ahead as it
    /// opens, which must not block the command while stdin is still empty.
    private func openedReader() throws -> CSVReader {
        if let reader { return reader }
        // CSV.swift reads an InputStream, which opens by path: /dev/fd/N opens the file (or the
        // pipe) that `file` already holds.
        guard let stream = InputStream(fileAtPath: "/dev/fd/\(file.descriptor)"),
              let opened = try? CSVReader(stream: stream) else {
            throw InputError(message: "cannot read '\(file.name)'")
        }
        reader = opened
        return opened
    }
}
