import JinaWire

/// `Segmenter`: splits each document's text into chunks, by sentence or by paragraph.
final class SegmenterExecutor: SwiftExecutor {
    private let unit: String
    private let minLength: Int

    init(with parameters: JSONObject, context: ExecutorContext) throws {
        unit = parameters.string("unit", or: "sentence")
        minLength = parameters.int("min_length", or: 1)
        guard unit == "sentence" || unit == "paragraph" else {
            throw ExecutorError("ValueError", "unit must be 'sentence' or 'paragraph', not '\(unit)'")
        }
    }

    static let defaultBindings: [(endpoint: String, method: String)] = [("/default", "segment")]

    func run(method: String, _ call: inout ExecutorCall) throws {
        for i in call.docs.indices {
            guard let text = call.docs[i].text else { continue }
            let parentID = call.docs[i].id
            let granularity = (call.docs[i].fields["granularity"]?.intValue ?? 0) + 1
            var chunks = call.docs[i].chunks
            for (offset, piece) in segments(of: text).enumerated() where piece.count >= minLength {
                var fields = JSONObject()
                fields["id"] = parentID.map { .string("\($0)-\(offset)") }
                fields["parent_id"] = parentID.map(JSONValue.string)
                fields["granularity"] = .number(JSONNumber(granularity))
                fields["offset"] = .number(JSONNumber(offset))
                fields["text"] = .string(piece)
                chunks.append(Document(fields))
            }
            call.docs[i].chunks = chunks
        }
    }

    /// Sentences end at `.`, `!` or `?` followed by a space or the end; paragraphs at blank lines.
    func segments(of text: String) -> [String] {
        if unit == "paragraph" {
            return text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        }
        var pieces: [String] = []
        var current = ""
        let chars = Array(text)
        for (i, c) in chars.enumerated() {
            current.append(c)
            let atEnd = i + 1 == chars.count || chars[i + 1].isWhitespace
            if (c == "." || c == "!" || c == "?"), atEnd {
                pieces.append(current)
                current = ""
            }
        }
        pieces.append(current)
        return pieces.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}

import Foundation
