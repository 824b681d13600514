/// How a request's documents typed their fields: docarray's node kind, its `type` tag and an
/// array's dtype, learnt while decoding, so that the answer's documents go back in the types the
/// client sent (docarray refuses an ndarray without its tag, and a client that sent float32
/// embeddings expects float32 back). Fields the request did not have are inferred from the JSON.
public struct FieldTypes: Sendable, Equatable {
    public private(set) var fields: [String: FieldType] = [:]

    public init() {}

    public subscript(name: String) -> FieldType? { fields[name] }

    /// Records a field's type; the first one seen wins, and nested types are merged.
    mutating func learn(_ name: String, _ type: FieldType) {
        guard var known = fields[name] else {
            fields[name] = type
            return
        }
        if known.kind == type.kind, let nested = type.nested {
            var merged = known.nested ?? FieldTypes()
            for (key, value) in nested.fields { merged.learn(key, value) }
            known.nested = merged
            fields[name] = known
        }
    }
}

/// One field's type. `nested` holds the fields of a document, of a list of documents' documents,
/// of a dictionary's values, or (under `FieldTypes.elementKey`) a list's elements.
public struct FieldType: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case text, integer, float, boolean, blob, doc, docArray, list, set, tuple, dict
        case ndarray(dtype: String)
    }

    public var kind: Kind
    /// docarray's `type` tag ("id", "ndarray_embedding", …), when the node had one.
    public var tag: String?
    public var nested: FieldTypes?

    public init(kind: Kind, tag: String? = nil, nested: FieldTypes? = nil) {
        self.kind = kind
        self.tag = tag
        self.nested = nested
    }
}

extension FieldTypes {
    /// The key under which a list, set or tuple keeps its elements' type.
    static let elementKey = "[]"
}
