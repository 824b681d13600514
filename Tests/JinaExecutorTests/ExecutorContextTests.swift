import Testing
@testable import JinaExecutor

@Suite struct ExecutorContextTests {
    /// What an executor reports (a query's own error) names it as the Flow does: its entry.
    @Test(arguments: [
        ("indexer", "indexer"), ("indexer/shard-1", "indexer"), ("indexer/rep-0", "indexer"),
        ("indexer/shard-2/rep-1", "indexer"), ("re-rank/rep-x", "re-rank/rep-x"), ("a/shard-1b", "a/shard-1b"),
    ])
    func theEntryNameIsTheLabelWithoutItsPart(label: String, entry: String) {
        #expect(ExecutorContext(name: "VectorIndexer", label: label).entryName == entry)
    }

    @Test func servedAloneItIsItsName() {
        #expect(ExecutorContext(name: "VectorIndexer").entryName == "VectorIndexer")
    }
}
