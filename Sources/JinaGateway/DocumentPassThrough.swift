import Foundation
import JinaWire

/// A request body read in one checking scan, whose documents go on to the Flow as they were
/// written: the gateway's common case (documents of known fields of the right kinds, with ids) is
/// spared building, checking and writing back every document. Anything that needs a change or an
/// error message (a document without an object's shape, a null id, nested documents, unknown keys
/// that become tags, a key given twice, a line break between tokens that would split a framed
/// line, invalid JSON) is left to `DocumentInput` by answering nil. docs/architecture.md.
struct DocumentPassThrough {
    /// The body's members other than `data`, built (a header and parameters are small).
    let members: JSONObject
    private let bytes: [UInt8]
    private let documents: JSONParser.ElementMembers

    /// nil unless the body is valid JSON, an object, with `data` once and as a list.
    init?(_ bytes: [UInt8]) {
        let scanned = bytes.withUnsafeBytes { raw -> (members: JSONObject, documents: JSONParser.ElementMembers)? in
            guard let scan = try? JSONParser.objectMemberRanges(raw, elementsOf: "data"), let documents = scan.elements,
                  scan.members.count(where: { $0.key == "data" }) == 1 else { return nil }
            var members: [(String, JSONValue)] = []
            for (key, range) in scan.members where key != "data" {
                guard let value = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[range])) else { return nil }
                members.append((key, value))
            }
            return (JSONObject(members), documents)
        }
        guard let scanned else { return nil }
        self.bytes = bytes
        members = scanned.members
        documents = scanned.documents
    }

    /// The documents as one JSON list, each as written, with an id put first where it had none;
    /// nil when one needs `DocumentInput`. `unknownKeys`: whether keys outside Jina's Document
    /// fields may pass (Jina 3's shape keeps them; Jina 2's turns them into tags).
    func body(unknownKeys: Bool) -> (body: [UInt8], count: Int)? {
        var body: [UInt8] = [UInt8(ascii: "[")]
        body.reserveCapacity(bytes.count + documents.count * 48)
        for (index, document) in documents.enumerated() {
            guard let members = document.members, let hasID = check(members, unknownKeys: unknownKeys),
                  !containsLineBreak(document.range) else { return nil }
            if index > 0 { body.append(UInt8(ascii: ",")) }
            if hasID {
                body += bytes[document.range]
            } else {
                body += #"{"id":""#.utf8
                body += FlowRequest.newID().utf8
                body.append(UInt8(ascii: "\""))
                if !members.isEmpty { body.append(UInt8(ascii: ",")) }
                body += bytes[(document.range.lowerBound + 1)..<document.range.upperBound]
            }
        }
        body.append(UInt8(ascii: "]"))
        return (body, documents.count)
    }

    /// Whether the document has an id (a string), or nil when a member needs `DocumentInput`.
    private func check(_ members: JSONParser.MemberRanges, unknownKeys: Bool) -> Bool? {
        var hasID = false
        for (index, (key, range)) in members.enumerated() {
            if members[..<index].contains(where: { $0.key == key }) { return nil }
            let first = bytes[range.lowerBound]
            guard let kind = DocumentInput.fieldKind(of: key) else {
                if unknownKeys { continue } else { return nil }
            }
            if key == "id" {
                guard first == UInt8(ascii: "\"") else { return nil }
                hasID = true
            } else if !Self.opens(first, kind) {
                return nil
            }
        }
        return hasID
    }

    /// Whether a value starting with `first` is of `kind` as `DocumentInput` checks it. Nested
    /// documents are never passed on as written: each needs an id and a check of its own.
    private static func opens(_ first: UInt8, _ kind: DocumentInput.FieldKind) -> Bool {
        if first == UInt8(ascii: "n") { return true }  // null
        switch kind {
        case .string: return first == UInt8(ascii: "\"")
        case .number: return first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        case .object: return first == UInt8(ascii: "{")
        case .list: return first == UInt8(ascii: "[")
        case .ndarray: return first == UInt8(ascii: "[") || first == UInt8(ascii: "{")
        case .documents: return false
        }
    }

    /// A line break can only be whitespace between tokens (JSON escapes it in strings).
    private func containsLineBreak(_ range: Range<Int>) -> Bool {
        bytes.withUnsafeBytes { raw in
            let start = raw.baseAddress! + range.lowerBound
            return memchr(start, 0x0A, range.count) != nil || memchr(start, 0x0D, range.count) != nil
        }
    }
}
