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
}
