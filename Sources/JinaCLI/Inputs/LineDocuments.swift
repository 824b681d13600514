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

    /// A JSON line that is an object comes back as its bytes, checked but not built; one without
    /// an `id` gets a new one put first (as `InputReader.withID` does), so it is not parsed twice.
    func nextInput() throws -> InputDocument? {
        while let line = file.readLine() {
            guard asJSON else { return .document(Document(text: String(decoding: line, as: UTF8.self))) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if let members = try? JSONParser.objectMemberRanges(line) {
                return .json(members.contains { $0.key == "id" } ? line : Self.withNewID(line, hasMembers: !members.isEmpty))
            }
            // A string, or not a document: built, or refused with its line number.
            return .document(try document(json: line))
        }
        return nil
    }

    /// `{"id":"…",` in place of the object's opening brace.
    private static func withNewID(_ object: [UInt8], hasMembers: Bool) -> [UInt8] {
        let brace = object.firstIndex(of: UInt8(ascii: "{"))!  // the line was read as an object
        return Array(#"{"id":""#.utf8) + Array(RequestID.make().utf8) + Array((hasMembers ? #"","# : #"""#).utf8) + object[(brace + 1)...]
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
