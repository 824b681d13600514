import JinaWire

/// `TextEncoder`: a model-free text embedding. Word n-grams (1…`ngram`) are hashed into `dim`
/// buckets with a sign from a second hash (so collisions cancel rather than pile up), then the
/// vector is L2-normalised. Documents whose text shares words get close vectors.
final class TextEncoderExecutor: SwiftExecutor {
    private let dim: Int
    private let ngram: Int
    private let traversal: String
    private let stopwords: Set<String>

    init(with parameters: JSONObject, context: ExecutorContext) throws {
        dim = parameters.int("dim", or: 256)
        ngram = parameters.int("ngram", or: 2)
        traversal = parameters.string("traversal", or: "r")
        let list = parameters.string("stopwords", or: "english")
        guard list == "english" || list == "none" else { throw ExecutorError("ValueError", "stopwords must be 'english' or 'none', not '\(list)'") }
        stopwords = list == "english" ? Self.englishStopwords : []
        guard dim > 0, dim <= 65_536 else { throw ExecutorError("ValueError", "dim must be between 1 and 65536, not \(dim)") }
        guard (1...5).contains(ngram) else { throw ExecutorError("ValueError", "ngram must be between 1 and 5, not \(ngram)") }
    }

    static let defaultBindings: [(endpoint: String, method: String)] = [("/default", "encode")]

    func run(method: String, _ call: inout ExecutorCall) throws {
        for i in call.docs.indices {
            if traversal.contains("r"), let text = call.docs[i].text { call.docs[i].embedding = embed(text) }
            if traversal.contains("c") {
                var chunks = call.docs[i].chunks
                for j in chunks.indices { if let text = chunks[j].text { chunks[j].embedding = embed(text) } }
                if !chunks.isEmpty { call.docs[i].chunks = chunks }
            }
        }
    }

    func embed(_ text: String) -> [Float] {
        var vector = [Float](repeating: 0, count: dim)
        // Words like "the" and "with" say little about a text and would dominate short ones.
        let words = Self.words(text).filter { !stopwords.contains($0) }
        for n in 1...ngram where words.count >= n {
            for start in 0...(words.count - n) {
                var hash: UInt64 = 0xCBF2_9CE4_8422_2325
                for word in words[start..<(start + n)] {
                    for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
                    hash = (hash ^ 0x20) &* 0x0000_0100_0000_01B3
                }
                let bucket = Int(hash % UInt64(dim))
                let sign: Float = (hash >> 63) == 0 ? 1 : -1
                // Longer n-grams are rarer and more telling.
                vector[bucket] += sign * Float(n)
            }
        }
        var norm: Float = 0
        for v in vector { norm += v * v }
        norm = norm.squareRoot()
        if norm > 0 { for k in vector.indices { vector[k] /= norm } }
        return vector
    }

    static let englishStopwords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do", "does", "for", "from", "has", "have",
        "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "so", "such",
        "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was", "we", "were", "what",
        "when", "where", "which", "who", "will", "with", "would", "you", "your",
    ]

    /// Lower-cased runs of letters and digits.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for c in text.lowercased() {
            if c.isLetter || c.isNumber { current.append(c) } else if !current.isEmpty { words.append(current); current = "" }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
