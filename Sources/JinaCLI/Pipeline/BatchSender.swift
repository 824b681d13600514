import JinaWire

/// How the pipeline sends a batch: into a Flow in this process (`flow run`) or to a gateway
/// over HTTP (`client post`). Everything else about a run is the same for both.
protocol BatchSender: Sendable {
    func send(_ batch: Batch) async -> BatchOutcome
}

/// What became of one batch.
struct BatchOutcome: Sendable {
    /// What to write to stdout for it, in input order (may be empty).
    var output: [UInt8]
    /// Why it failed, for the log; nil when it succeeded.
    var failure: String?
    /// Its documents' own errors (`DocumentError`), for the log: the request succeeded, these
    /// documents got no result.
    var documentErrors: [String] = []
    /// Nothing could be sent at all (nothing listens there): the other batches would fail the
    /// same way, so no more inputs are read.
    var stopsInputs = false
}

/// Documents as JSON Lines: each as it came, then a line break.
func documentLines(_ docs: [ArraySlice<UInt8>], capacity: Int) -> [UInt8] {
    var lines: [UInt8] = []
    lines.reserveCapacity(capacity)
    for doc in docs {
        lines += doc
        lines.append(0x0A)
    }
    return lines
}

/// The documents' own errors (`DocumentError`) as log lines. Only documents whose bytes hold the
/// error's tag are decoded.
func documentErrors(_ docs: [ArraySlice<UInt8>]) -> [String] {
    let tag = Array("\"\(DocumentError.tag)\"".utf8)
    return docs.compactMap { bytes in
        guard contains(bytes, tag), case .object(let fields)? = try? JSONParser.parse(Array(bytes)),
              let error = Document(fields).error else { return nil }
        let place = error.executor.isEmpty ? "" : " at \(error.executor)"
        return "document \(fields["id"]?.stringValue ?? "?") failed\(place): \(error)"
    }
}

/// Whether `needle` occurs in `bytes`. (`firstRange(of:)` on byte slices is Foundation's
/// generic search, which allocated on every call and made `flow run` of large documents 3×
/// slower when it looked at each one.)
private func contains(_ bytes: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { haystack in
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        let last = haystack.count - needle.count
        var start = 0
        while start <= last, let i = haystack[start...last].firstIndex(of: first) {
            if haystack[i..<i + needle.count].elementsEqual(needle) { return true }
            start = i + 1
        }
        return false
    }
}
