import JinaWire

/// A document per line: JSON Lines (an object is a document, a string its text; blank lines
/// are skipped), or plain text (each line is a document's text).
final class LineDocuments: DocumentSource {
    private let file: InputFile
    private let asJSON: Bool

    init(file: InputFile, asJSON: Bool) {
        self.file = file
        self.asJSON = asJSON
    }

    func next() throws -> Document? {
        switch try nextInput() {
        case .json(let line)?: return try document(json: line)
        case .document(let doc)?: return doc
        case nil: return nil
        }
    }

    /// A JSON line that is an object with an `id` comes back as its bytes, checked but not built.
    func nextInput() throws -> InputDocument? {
        while let line = file.readLine() {
            guard asJSON else { return .document(Document(text: String(decoding: line, as: UTF8.self))) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if let members = try? JSONParser.objectMemberRanges(line), members.contains(where: { $0.key == "id" }) {
                return .json(line)
            }
            // Not such a line (or not JSON): built, or refused with its line number.
            return .document(try document(json: line))
        }
        return nil
    }

    private func document(json line: [UInt8]) throws -> Document {
        let value: JSONValue
        do { value = try JSONParser.parse(line) } catch {
            throw InputError(message: "\(file.name):\(file.lineNumber): \(error)")
        }
        switch value {
        case .object(let fields): return Document(fields)
        case .string(let text): return Document(text: text)
        default: throw InputError(message: "\(file.name):\(file.lineNumber): expected a JSON object (a document) or a string")
        }
    }
}
