/// A JSON object that keeps its members in written order, so documents come back key for key.
///
/// Keys are unique and compared by their UTF-8 bytes. Setting an existing key keeps its position;
/// a new key goes to the end. When a text or a list of pairs names a key twice, the key keeps its
/// first position and takes its last value (what Python's `json` does).
///
/// Objects of up to `indexThreshold` members (documents, headers, tags) are searched linearly,
/// which is faster than hashing at that size; larger ones keep a hash index for O(1) lookups.
public struct JSONObject: Sendable, Equatable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: JSONValue)

    /// A member. (A struct, not a tuple: arrays of tuples need runtime metadata lookups.)
    struct Entry {
        var key: String
        var value: JSONValue
    }

    private(set) var entries: [Entry]
    private var index: [ExactKey: Int]?  // position of each key; only when count > indexThreshold

    static let indexThreshold = 32

    public init() {
        entries = []
        index = nil
    }

    public init(_ pairs: [(String, JSONValue)]) {
        self.init()
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    /// Members as parsed; a repeated key is merged as `init(_:)` does.
    init(parsedEntries: [Entry]) {
        entries = parsedEntries
        index = nil
        let unique = entries.count > Self.indexThreshold ? buildIndex() : !hasRepeatedKey()
        if !unique {
            self = JSONObject(entries.map { ($0.key, $0.value) })
        }
    }

    public subscript(key: String) -> JSONValue? {
        get {
            guard let i = position(of: key) else { return nil }
            return entries[i].value
        }
        set {
            guard let newValue else {
                _ = removeValue(forKey: key)
                return
            }
            if let i = position(of: key) {
                entries[i].value = newValue
                return
            }
            entries.append(Entry(key: key, value: newValue))
            if index != nil {
                index![ExactKey(key)] = entries.count - 1
            } else if entries.count > Self.indexThreshold {
                _ = buildIndex()
            }
        }
    }

    public var keys: [String] { entries.map(\.key) }
    public var values: [JSONValue] { entries.map(\.value) }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// Removes the member and returns its value; later members move up one position.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let i = position(of: key) else { return nil }
        let removed = entries.remove(at: i).value
        if index != nil {
            index = nil
            if entries.count > Self.indexThreshold { _ = buildIndex() }
        }
        return removed
    }

    public struct Iterator: IteratorProtocol {
        fileprivate var base: IndexingIterator<[Entry]>
        public mutating func next() -> Element? {
            base.next().map { ($0.key, $0.value) }
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(base: entries.makeIterator())
    }

    public var underestimatedCount: Int { entries.count }

    // Order matters: equal objects write the same bytes.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (a, b) in zip(lhs.entries, rhs.entries) where !(a.key.hasSameUTF8(as: b.key) && a.value == b.value) {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for entry in entries {
            entry.key.hashUTF8(into: &hasher)
            hasher.combine(entry.value)
        }
    }

    private func position(of key: String) -> Int? {
        if let index { return index[ExactKey(key)] }
        return entries.firstIndex { $0.key.hasSameUTF8(as: key) }
    }

    /// Indexes every key; false (and no index) when a key appears twice.
    private mutating func buildIndex() -> Bool {
        var positions = [ExactKey: Int](minimumCapacity: entries.count)
        for (i, entry) in entries.enumerated() where positions.updateValue(i, forKey: ExactKey(entry.key)) != nil {
            return false
        }
        index = positions
        return true
    }

    /// Compares cheap fingerprints pairwise and keys only when those match: parsed objects are
    /// checked for repeats every time, and almost never have any.
    private func hasRepeatedKey() -> Bool {
        guard entries.count > 1 else { return false }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: entries.count) { fingerprints in
            for (i, entry) in entries.enumerated() { fingerprints[i] = entry.key.utf8Fingerprint }
            for i in 1..<entries.count {
                for j in 0..<i where fingerprints[i] == fingerprints[j] && entries[i].key.hasSameUTF8(as: entries[j].key) {
                    return true
                }
            }
            return false
        }
    }
}

extension String {
    /// FNV-1a of the UTF-8 bytes: equal keys have equal fingerprints.
    fileprivate var utf8Fingerprint: UInt64 {
        var copy = self
        return copy.withUTF8 { bytes in
            bytes.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        }
    }
}

/// A key that hashes and compares by its UTF-8 bytes.
private struct ExactKey: Hashable {
    let string: String
    init(_ string: String) { self.string = string }
    static func == (a: ExactKey, b: ExactKey) -> Bool { a.string.hasSameUTF8(as: b.string) }
    func hash(into hasher: inout Hasher) { string.hashUTF8(into: &hasher) }
}
