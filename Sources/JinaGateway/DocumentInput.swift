import JinaWire

/// The documents of a request's `data` (SPEC §5, §6): checked field by field, given ids when they
/// have none, otherwise kept key for key and in order.
enum DocumentInput {
    /// What a known Document field may hold; `null` is always allowed (3.x clients send nulls).
    enum FieldKind {
        case string, number, object, list, ndarray, documents
    }

    private static let fields: [String: FieldKind] = [
        "id": .string, "parent_id": .string, "text": .string, "uri": .string, "mime_type": .string, "buffer": .string,
        "modality": .string, "content_hash": .string,
        "blob": .ndarray, "tensor": .ndarray, "embedding": .ndarray,
        "tags": .object, "scores": .object, "evaluations": .object,
        "chunks": .documents, "matches": .documents,
        "weight": .number, "granularity": .number, "adjacency": .number, "siblings": .number, "offset": .number,
        "location": .list,
    ]

    /// What the Document field `key` may hold; nil when Jina's Document has no such field.
    static func fieldKind(of key: String) -> FieldKind? { fields[key] }

    /// The items of `data` with where each came from (for error messages), and whether they came
    /// as Jina 2's `{"docs": [...]}`. Absent, null and `[]` are a parameters-only request.
    static func items(of data: JSONValue?) throws(GatewayError) -> (items: [(value: JSONValue, path: String)], wrapped: Bool) {
        switch data {
        case nil, .null?:
            return ([], false)
        case .array(let items)?:
            return (items.enumerated().map { ($1, "data[\($0)]") }, false)
        case .object(let object)? where object["docs"] != nil && object.keys.allSatisfy({ $0 == "docs" || $0 == "groundtruths" }):
            switch object["docs"]! {
            case .array(let items): return (items.enumerated().map { ($1, "data.docs[\($0)]") }, true)
            case .null: return ([], true)
            case let other: throw .badRequest("data.docs must be a list of documents, found \(kindName(other))", [("field", "data.docs")])
            }
        case .object?:
            return ([(data!, "data")], false)
        case let other?:
            throw .badRequest("data must be a list of documents, a document, or {\"docs\": [...]}; found \(kindName(other))",
                              [("field", "data")])
        }
    }

    /// Each item as a document: an object is checked; a string is a document with that `text`
    /// (or `uri`, when it is one). On Jina 2's shape unknown keys go into `tags`.
    static func documents(_ items: [(value: JSONValue, path: String)], unknownKeysToTags: Bool) throws(GatewayError) -> [JSONValue] {
        var docs: [JSONValue] = []
        docs.reserveCapacity(items.count)
        for (value, path) in items {
            switch value {
            case .object(let fields):
                docs.append(.object(try document(fields, path: path, unknownKeysToTags: unknownKeysToTags)))
            case .string(let content):
                docs.append(.object(JSONObject([("id", .string(FlowRequest.newID())),
                                                (looksLikeURI(content) ? "uri" : "text", .string(content))])))
            default:
                throw .badRequest("\(path) must be a document (a JSON object) or a string, found \(kindName(value))",
                                  [("field", .string(path))])
            }
        }
        return docs
    }

    private static func document(_ fields: JSONObject, path: String, unknownKeysToTags: Bool) throws(GatewayError) -> JSONObject {
        var doc = JSONObject()
        if fields["id"] == nil { doc["id"] = .string(FlowRequest.newID()) }
        var unknown: [(String, JSONValue)] = []
        for (key, value) in fields {
            guard let kind = Self.fields[key] else {
                if unknownKeysToTags { unknown.append((key, value)) } else { doc[key] = value }
                continue
            }
            let fieldPath = "\(path).\(key)"
            try check(value, is: kind, path: fieldPath)
            switch (key, value) {
            case ("id", .null):
                doc[key] = .string(FlowRequest.newID())
            case (_, .array(let nested)) where kind == .documents:
                var checked: [JSONValue] = []
                for (i, item) in nested.enumerated() {
                    guard case .object(let nestedFields) = item else {
                        throw .badRequest("\(fieldPath)[\(i)] must be a document (a JSON object), found \(kindName(item))",
                                          [("field", .string("\(fieldPath)[\(i)]"))])
                    }
                    checked.append(.object(try document(nestedFields, path: "\(fieldPath)[\(i)]", unknownKeysToTags: unknownKeysToTags)))
                }
                doc[key] = .array(checked)
            default:
                doc[key] = value
            }
        }
        if !unknown.isEmpty {
            var tags = doc["tags"]?.objectValue ?? JSONObject()
            for (key, value) in unknown { tags[key] = value }
            doc["tags"] = .object(tags)
        }
        return doc
    }

    private static func check(_ value: JSONValue, is kind: FieldKind, path: String) throws(GatewayError) {
        let expected: String
        switch (kind, value) {
        case (_, .null), (.string, .string), (.number, .number), (.object, .object), (.list, .array), (.documents, .array),
             (.ndarray, .array), (.ndarray, .object):
            return
        case (.string, _): expected = "a string"
        case (.number, _): expected = "a number"
        case (.object, _): expected = "an object"
        case (.list, _): expected = "a list"
        case (.documents, _): expected = "a list of documents"
        case (.ndarray, _): expected = "a list of numbers or {\"dense\": {...}}"
        }
        throw .badRequest("\(path) must be \(expected), found \(kindName(value))", [("field", .string(path))])
    }

    /// `scheme://…` or a `data:` URI, without spaces: Jina turns such strings into a `uri`.
    static func looksLikeURI(_ text: String) -> Bool {
        if text.contains(where: \.isWhitespace) { return false }
        if text.hasPrefix("data:") { return true }
        guard let separator = text.range(of: "://") else { return false }
        let scheme = text[..<separator.lowerBound]
        guard let first = scheme.first, first.isASCII, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
    }
}
