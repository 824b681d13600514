import JinaWire
import Testing
@testable import JinaExecutor

/// RankFusion's two rules: reciprocal ranks added up, or min-max normalised scores added up.
@Suite struct RankFusionTests {
    static func match(_ id: String, _ name: String, _ score: Double) -> JSONValue {
        ["id": .string(id), "scores": .object([name: ["value": .number(JSONNumber(score))]])]
    }

    static let vectors = [match("a", "cosine", 0.9), match("b", "cosine", 0.8), match("c", "cosine", 0.1)]
    static let words = [match("c", "bm25", 9), match("a", "bm25", 3)]

    func ids(_ fused: [JSONValue]) -> [String] { fused.compactMap { $0["id"]?.stringValue } }

    @Test func reciprocalRanksAreAddedUp() {
        let fused = RankFusionExecutor.fuse([Self.vectors, Self.words], fusion: .rrf, k: 60, weights: [])
        // a: 1/61 + 1/62, c: 1/63 + 1/61, b: 1/62.
        #expect(ids(fused) == ["a", "c", "b"])
        let a = fused[0]["scores"]
        #expect(abs((a?["rrf"]?["value"]?.doubleValue ?? 0) - (1.0 / 61 + 1.0 / 62)) < 1e-12)
        #expect(a?["cosine"]?["value"]?.doubleValue == 0.9 && a?["bm25"]?["value"]?.doubleValue == 3, "each branch's score is kept")
        #expect(a?.objectValue?.keys.first == "rrf", "the fused score comes first, for mergers and readers")
    }

    @Test func weightsFavourABranch() {
        let fused = RankFusionExecutor.fuse([Self.vectors, Self.words], fusion: .rrf, k: 60, weights: [1, 3])
        #expect(ids(fused).first == "c")
    }

    @Test func normalisedScoresAreAddedUp() {
        let fused = RankFusionExecutor.fuse([Self.vectors, Self.words], fusion: .sum, k: 60, weights: [])
        // cosine 0.9, 0.8, 0.1 → 1, 0.875, 0; bm25 9, 3 → 1, 0: a 1, c 1, b 0.875; ties keep first-seen order.
        #expect(ids(fused) == ["a", "c", "b"])
        #expect(fused.map { $0["scores"]?["fused"]?["value"]?.doubleValue ?? -1 } == [1, 1, 0.875])
    }

    @Test func aDistanceCountsAsCloserWhenSmaller() {
        let distances = [Self.match("near", "euclidean", 0.1), Self.match("far", "euclidean", 5)]
        #expect(RankFusionExecutor.primaryScore(distances[0]) > RankFusionExecutor.primaryScore(distances[1]))
    }

    /// A query one branch could not search is served by the others; only when every branch failed
    /// it does it carry an error, naming what was missing.
    @Test func aQueryIsAnErrorOnlyWhenNoBranchCouldSearchIt() {
        func failed(_ executor: String, _ message: String) -> Document {
            var doc = Document(["id": "q"])
            doc.error = DocumentError(executor: executor, message: message)
            return doc
        }
        let served = Document(["id": "q", "matches": [["id": "a"]]])
        let noText = failed("words", "query q has no text to search for")
        #expect(RankFusionExecutor.error(of: [served, noText], at: "fuse") == nil)
        let neither = "query q has neither text nor an embedding"
        #expect(RankFusionExecutor.error(of: [failed("vectors", neither), failed("words", neither)], at: "fuse")
                == DocumentError(executor: "fuse", message: neither))
        let both = RankFusionExecutor.error(of: [failed("vectors", "query q has text but no embedding"), failed("words", "query q has no text to search for")], at: "fuse")
        #expect(both?.executor == "fuse")
        #expect(both?.message == "no branch could search it: vectors: query q has text but no embedding; "
                    + "words: query q has no text to search for")
    }

    /// Through `run`: the fused query drops the error the first branch gave it when the other
    /// branch found matches for it.
    @Test func aFusedQueryKeepsNoErrorABranchServed() throws {
        let fusion = try RankFusionExecutor(with: JSONObject(), context: ExecutorContext(name: "fuse"))
        var noText = Document(["id": "q"])
        noText.error = DocumentError(executor: "TextIndexer", message: "query q has no text to search for")
        var call = ExecutorCall(endpoint: "/search", docs: [noText],
                                docsMatrix: [[noText], [Document(["id": "q", "matches": .array(Self.vectors)])]])
        try fusion.run(method: "fuse", &call)
        #expect(call.docs.count == 1 && call.docs[0].error == nil && call.docs[0].tags.isEmpty)
        #expect(ids(call.docs[0].fields["matches"]?.arrayValue ?? []) == ["a", "b", "c"])
    }
}
