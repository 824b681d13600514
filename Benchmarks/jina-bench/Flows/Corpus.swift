import Foundation
import SeededRandom

/// The benchmark's documents: short English-like texts (about 40 characters) with ids,
/// `{"id":"doc-000001","text":"…"}`, the same on every run (SplitMix64, seed 7). Kept as JSON
/// bytes for HTTP bodies and written as JSON Lines for `flow run` and `client post`.
struct Corpus {
    let documents: [[UInt8]]
    let path: String
    var bytes: Int { documents.reduce(0) { $0 + $1.count + 1 } }

    static let words = ["search", "neural", "flow", "executor", "document", "vector", "index", "query", "fast", "light",
                        "the", "a", "of", "and", "to", "in", "model", "text", "image", "match", "score", "pipe", "gateway",
                        "swift", "python", "request", "answer", "shard", "replica", "embedding"]

    init(count: Int, directory: String) {
        var generator = SplitMix64(seed: 7)
        var documents: [[UInt8]] = []
        documents.reserveCapacity(count)
        for i in 0..<count {
            var text = ""
            while text.count < 36 {
                if !text.isEmpty { text += " " }
                text += Self.words[Int(generator.next() % UInt64(Self.words.count))]
            }
            let id = String(i)
            documents.append(Array(#"{"id":"doc-\#(String(repeating: "0", count: max(0, 6 - id.count)) + id)","text":"\#(text)"}"#.utf8))
        }
        self.documents = documents
        path = directory + "/docs.jsonl"
        var file: [UInt8] = []
        for document in documents { file += document; file.append(UInt8(ascii: "\n")) }
        guard FileManager.default.createFile(atPath: path, contents: Data(file)) else { Bench.fail("cannot write in \(directory)") }
    }

    /// The documents in requests of `size` (the last one may be shorter).
    func batches(of size: Int) -> [ArraySlice<[UInt8]>] {
        stride(from: 0, to: documents.count, by: size).map { documents[$0..<min($0 + size, documents.count)] }
    }

    /// `[doc,doc,…]`
    static func jsonArray(_ documents: ArraySlice<[UInt8]>) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for (i, document) in documents.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += document
        }
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }
}
