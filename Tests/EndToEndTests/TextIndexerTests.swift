import Foundation
import Testing

/// The built-in `TextIndexer` (SQLite FTS5, BM25) through the real binary: index then search,
/// persistence across Flow runs, update and delete, shards merged by MatchMerger, FTS syntax in
/// a query read as plain words, a query without text refused naming it, and hybrid search's
/// per-document error.
@Suite(.timeLimit(.minutes(3))) struct TextIndexerTests {
    static let corpus = """
        {"id": "read", "text": "Read a file line by line"}
        {"id": "gzip", "text": "Compress data with gzip and write it to disk"}
        {"id": "args", "text": "Parse command line arguments"}
        {"id": "sort", "text": "Sorting lists of numbers quickly"}
        {"id": "json", "text": "Encode objects as JSON text"}

        """

    static let flow = "jtype: Flow\nexecutors:\n  - {name: text, uses: TextIndexer}\n"
    static let sharded = """
        jtype: Flow
        executors:
          - name: text
            uses: TextIndexer
            shards: 2
            polling: {/index: ANY, /search: ALL}
            uses_after: {jtype: MatchMerger, with: {top_k: 3}}
        """

    typealias Scene = GatewayScene

    @Test func indexedTextIsFoundByItsWordsBestFirstAndKeptAcrossRuns() throws {
        let scene = try Scene(flow: Self.flow)
        defer { scene.cleanUp() }
        let index = try scene.run("/index", Self.corpus)
        #expect(index.status == 0, "\(index.stderr)")
        #expect(try TestFiles.objects(index.stdout).count == 5, "/index answers the documents as they came")
        // Each search is a new Flow run: the index persists in the workspace.
        let sorted = try scene.search("how do I sort numbers?")
        #expect(sorted.first?.id == "sort", "porter stemming: sort ~ sorting; \(sorted)")
        #expect(sorted.allSatisfy { $0.score > 0 } && sorted.map(\.score) == sorted.map(\.score).sorted(by: >), "\(sorted)")
        #expect(try scene.search("compressing DATA").first?.id == "gzip")
        #expect(try scene.search("nothing matches xylophone").isEmpty)
        let count = try scene.run("/count", "{}\n")
        #expect(count.stdout.contains("\"count\":5"), "\(count.stdout)")
    }

    @Test func updateReplacesTextAndDeleteRemoves() throws {
        let scene = try Scene(flow: Self.flow)
        defer { scene.cleanUp() }
        #expect(try scene.run("/index", Self.corpus).status == 0)
        #expect(try scene.run("/update", #"{"id": "json", "text": "Serialize records as YAML"}"# + "\n").status == 0)
        #expect(try scene.search("JSON").isEmpty, "the old text is no longer indexed")
        #expect(try scene.search("YAML").first?.id == "json")
        #expect(try scene.run("/delete", #"{"id": "sort"}"# + "\n").status == 0)
        #expect(try scene.search("sorting").isEmpty)
        #expect(try scene.run("/count", "{}\n").stdout.contains("\"count\":4"))
    }

    @Test func ftsSyntaxInAQueryIsSearchedAsPlainWords() throws {
        let scene = try Scene(flow: Self.flow)
        defer { scene.cleanUp() }
        #expect(try scene.run("/index", Self.corpus).status == 0)
        for query in [#"line" NEAR(args"#, "text:* -gzip", "\"unbalanced", "AND OR NOT", "col:line^2 {x}"] {
            let query = String(data: try JSONSerialization.data(withJSONObject: ["id": "q", "text": query]), encoding: .utf8)! + "\n"
            let run = try scene.run("/search", query)
            #expect(run.status == 0, "\(query): \(run.stderr)")
        }
        #expect(try scene.search(#"line" NEAR("#).map(\.id).contains("read"))
    }

    @Test func aQueryWithoutTextIsRefusedNamingIt() throws {
        let scene = try Scene(flow: Self.flow)
        defer { scene.cleanUp() }
        let run = try scene.run("/search", #"{"id": "q7", "embedding": [1, 2]}"# + "\n")
        #expect(run.status == 1)
        #expect(run.stderr.contains("query q7 has no text to search for"), "\(run.stderr)")
        let index = try scene.run("/index", #"{"id": "blank"}"# + "\n")
        #expect(index.status == 1 && index.stderr.contains("document blank has no text to index"), "\(index.stderr)")
    }

    static let hybrid = """
        jtype: Flow
        executors:
          - {name: encoder, uses: TextEncoder, uses_with: {dim: 64}}
          - {name: vectors, uses: VectorIndexer, needs: encoder}
          - {name: words, uses: TextIndexer, needs: gateway}
          - {name: fuse, uses: RankFusion, uses_with: {top_k: 3}, needs: [vectors, words]}
        """

    /// A hybrid search serves every query it can: one with neither text nor an embedding gets no
    /// matches and its own error naming what it lacks; the others in its request are answered,
    /// and `flow run` writes them all, names the failed document and exits 1.
    @Test func aHybridQueryWithNothingToSearchIsAPerDocumentError() throws {
        let scene = try Scene(flow: Self.hybrid)
        defer { scene.cleanUp() }
        #expect(try scene.run("/index", Self.corpus).status == 0)
        let run = try scene.run("/search", #"{"id": "q1", "text": "sorting numbers"}"# + "\n" + #"{"id": "q2", "uri": "x.png"}"# + "\n")
        #expect(run.status == 1, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        try #require(docs.map { $0["id"] as? String } == ["q1", "q2"], "\(run.stdout)")
        #expect((docs[0]["matches"] as? [[String: Any]])?.first?["id"] as? String == "sort", "\(run.stdout)")
        #expect(docs[0]["tags"] == nil, "a query one branch could not search but the other could is no error")
        let error = (docs[1]["tags"] as? [String: Any])?["__error__"] as? [String: Any]
        #expect(error?["message"] as? String == "query q2 has neither text nor an embedding", "\(run.stdout)")
        #expect(error?["executor"] as? String == "fuse", "named as in the Flow, as a failed request is")
        #expect((docs[1]["matches"] as? [Any])?.isEmpty == true)
        #expect(run.stderr.contains("document q2 failed at fuse: ValueError: query q2 has neither text nor an embedding"), "\(run.stderr)")
        #expect(run.stderr.contains("1 of 2 documents failed"), "\(run.stderr)")
    }

    @Test func shardsAreSearchedTogetherAndMergedByScore() throws {
        let scene = try Scene(flow: Self.sharded)
        defer { scene.cleanUp() }
        // One document per request: ANY polling spreads them over both shards.
        #expect(try scene.run("/index", Self.corpus, extra: ["--request-size", "1"]).status == 0)
        let shards = try FileManager.default.subpathsOfDirectory(atPath: scene.dir + "/workspace").filter { $0.hasSuffix("text.sqlite") }
        #expect(shards.count == 2, "\(shards)")
        let found = try scene.search("line")
        #expect(Set(found.map(\.id)) == ["read", "args"], "\(found)")
        #expect(found.map(\.score) == found.map(\.score).sorted(by: >))
        #expect(try scene.search("a file and data and text and numbers and arguments").count == 3, "MatchMerger keeps top_k 3")
    }
}

extension GatewayScene {
    /// `jina flow run --uses flow.yml --on endpoint` with `jsonl` on stdin.
    func run(_ endpoint: String, _ jsonl: String, extra: [String] = []) throws -> JinaBinary.Run {
        let run = try JinaBinary.run(["flow", "run", "--uses", "flow.yml", "--on", endpoint, "--inputs", "-"] + extra,
                                     in: dir, environment: environment, stdin: Data(jsonl.utf8), timeout: 60)
        expectNoProcessLeft()
        return run
    }

    /// The matches of a one-query `/search`, best first, with their BM25 scores.
    func search(_ text: String) throws -> [(id: String, score: Double)] {
        let query = String(data: try JSONSerialization.data(withJSONObject: ["id": "q", "text": text]), encoding: .utf8)! + "\n"
        let run = try run("/search", query)
        try #require(run.status == 0, "\(run.stderr)")
        let doc = try #require(try TestFiles.objects(run.stdout).first)
        let matches = try #require(doc["matches"] as? [[String: Any]], "\(run.stdout)")
        return matches.map { match in
            (match["id"] as? String ?? "", ((match["scores"] as? [String: Any])?["bm25"] as? [String: Any])?["value"] as? Double ?? .nan)
        }
    }
}
