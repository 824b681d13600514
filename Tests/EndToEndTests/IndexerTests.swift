import Foundation
import Testing

/// The built-in `VectorIndexer` (and `MatchMerger`) through the real `jina` binary (SPEC §7; the
/// issue "Search out of the box"): index then search, restarts and SIGKILL, all-or-nothing
/// batches, update/delete, shards and replicas, and bad input. Every test has its own directory
/// (so its own workspace) and marker, and checks that no process of its Flows is left.
@Suite(.timeLimit(.minutes(3))) struct IndexerTests {
    /// One test's directory, marker and Flow files.
    struct Scene {
        let dir: String
        let marker: String
        let environment: [String: String]

        init() throws {
            dir = try JinaBinary.temporaryDirectory()
            (marker, environment) = ProcessTable.newMarker()
        }

        /// Writes `text` to `dir/name`.
        func file(_ name: String, _ text: String) throws {
            try TestFiles.write(text, to: name, in: dir)
        }

        /// `jina flow run --uses flow args…` in the scene's directory.
        func run(_ arguments: [String], flow: String = "flow.yml", stdin: String? = nil, timeout: TimeInterval = 60) throws -> JinaBinary.Run {
            try JinaBinary.run(["flow", "run", "--uses", flow] + arguments, in: dir, environment: environment,
                               stdin: stdin.map { Data($0.utf8) }, timeout: timeout)
        }

        /// `/index` of `jsonl` (written to a file) through `flow`; requires success.
        @discardableResult
        func index(_ jsonl: String, flow: String = "flow.yml", endpoint: String = "/index", extra: [String] = [],
                   sourceLocation: SourceLocation = #_sourceLocation) throws -> JinaBinary.Run {
            try file("in.jsonl", jsonl)
            let run = try run(["--on", endpoint, "--inputs", "in.jsonl"] + extra, flow: flow)
            #expect(run.status == 0, "\(endpoint) failed: \(run.stderr)", sourceLocation: sourceLocation)
            return run
        }

        /// The documents `/search` gives for `queries` (JSON Lines) through `flow`.
        func search(_ queries: String, flow: String = "flow.yml", parameters: String? = nil,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
            let run = try run(["--on", "/search", "--inputs", "-"] + (parameters.map { ["--parameters", $0] } ?? []), flow: flow, stdin: queries)
            #expect(run.status == 0, "/search failed: \(run.stderr)", sourceLocation: sourceLocation)
            return try TestFiles.objects(run.stdout)
        }

        /// The one `/count` document's `tags.count` through `flow` (nil, with an issue, when it fails).
        func count(flow: String = "flow.yml", sourceLocation: SourceLocation = #_sourceLocation) throws -> Int? {
            let run = try run(["--on", "/count", "--inputs", "-"], flow: flow, stdin: "{}\n")
            #expect(run.status == 0, "/count failed: \(run.stderr)", sourceLocation: sourceLocation)
            let docs = try TestFiles.objects(run.stdout)
            #expect(docs.count == 1, "/count gives one document: \(run.stdout)", sourceLocation: sourceLocation)
            #expect(docs.first?.id == "count", sourceLocation: sourceLocation)
            return docs.first?.tags["count"] as? Int
        }

        /// No process of this test may outlive its Flows.
        func expectNoProcessLeft(grace: TimeInterval = 3, sourceLocation: SourceLocation = #_sourceLocation) {
            let left = ProcessTable.survivors(ofMarker: marker, waiting: grace)
            #expect(left.isEmpty, "processes left behind: \(left)", sourceLocation: sourceLocation)
        }

        /// Checks that nothing is left, kills whatever is (so that a failing test does not leak
        /// processes into the next), and removes the directory.
        func cleanUp() {
            expectNoProcessLeft()
            ProcessTable.killAll(withMarker: marker)
            _ = chmod(dir, 0o700)
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    // MARK: Flows and documents

    /// TextEncoder → VectorIndexer, the hello pipeline with a small embedding.
    static func textFlow(topK: Int = 3, metric: String = "cosine", workspace: String = "ws") -> String {
        """
        jtype: Flow
        executors:
          - name: encoder
            uses: TextEncoder
            uses_with: {dim: 256, ngram: 2}
          - name: indexer
            uses: VectorIndexer
            uses_with: {top_k: \(topK), metric: \(metric)}
            workspace: \(workspace)
        """
    }

    /// A lone indexer: documents come with their embeddings.
    static func indexerFlow(name: String = "indexer", workspace: String = "ws", with: String = "{}") -> String {
        """
        jtype: Flow
        executors:
          - name: \(name)
            uses: VectorIndexer
            uses_with: \(with)
            workspace: \(workspace)
        """
    }

    /// Twelve sentences that share few words, so that each is its own best match.
    static let sentences = [
        "the quick brown fox jumps over the lazy dog",
        "sqlite keeps a whole database in one ordinary file on disk",
        "swift is a compiled programming language with value types",
        "photosynthesis turns sunlight water and carbon dioxide into sugar",
        "the orchestra tuned their violins before the evening concert",
        "glaciers carve deep valleys into mountain ranges over millennia",
        "a binary heap gives the smallest element in logarithmic time",
        "fresh bread smells wonderful when it comes out of the oven",
        "the referee blew the whistle and the football match ended",
        "volcanic eruptions throw ash high into the stratosphere",
        "compound interest makes savings grow faster every year",
        "penguins huddle together to survive the antarctic winter",
    ]

    static func sentenceDocs(prefix: String = "s") -> String {
        sentences.enumerated().map { i, text in
            #"{"id":"\#(prefix)\#(i)","text":"\#(text)","tags":{"n":\#(i),"kind":"sentence"}}"# + "\n"
        }.joined()
    }

    static func query(_ text: String, id: String = "q") -> String {
        #"{"id":"\#(id)","text":"\#(text)"}"# + "\n"
    }

    static func matches(_ doc: [String: Any]?) -> [[String: Any]] {
        doc?["matches"] as? [[String: Any]] ?? []
    }

    /// The value of a match's score under `metric`.
    static func score(_ match: [String: Any], _ metric: String) -> Double? {
        ((match["scores"] as? [String: Any])?[metric] as? [String: Any])?["value"] as? Double
    }

    /// Deterministic pseudo-random embeddings (SplitMix64), so failures reproduce.
    struct Vectors {
        var state: UInt64
        mutating func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Double(z >> 11) / Double(1 << 53) * 2 - 1
        }
        mutating func vector(_ dim: Int) -> [Double] {
            // Rounded to 4 decimals, so the JSON text is what both sides compute with.
            (0..<dim).map { _ in (next() * 10_000).rounded() / 10_000 }
        }
    }

    static func json(_ vector: [Double]) -> String {
        "[" + vector.map { String($0) }.joined(separator: ",") + "]"
    }

    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        let dot = zip(a, b).map { $0 * $1 }.reduce(0, +)
        let na = a.map { $0 * $0 }.reduce(0, +).squareRoot(), nb = b.map { $0 * $0 }.reduce(0, +).squareRoot()
        return dot / (na * nb)
    }

    static func euclidean(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
    }

    // MARK: Index and search

    @Test func indexThenSearchFindsTheDocumentFirst() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.textFlow(topK: 3))
        let indexed = try scene.index(Self.sentenceDocs())
        #expect(try TestFiles.objects(indexed.stdout).map { $0.id ?? "" } == (0..<12).map { "s\($0)" })

        // The exact text of a document: that document, score ≈ 1.
        let exact = try scene.search(Self.query(Self.sentences[4], id: "exact"))
        try #require(exact.count == 1)
        #expect(exact[0].id == "exact")
        let exactMatches = Self.matches(exact[0])
        #expect(exactMatches.count == 3, "top_k 3 from uses_with")
        #expect(exactMatches.first?.id == "s4")
        #expect(abs((exactMatches.first.flatMap { Self.score($0, "cosine") } ?? 0) - 1) < 1e-4, "\(exactMatches.first ?? [:])")
        let scores = exactMatches.compactMap { Self.score($0, "cosine") }
        #expect(scores == scores.sorted(by: >), "best first: \(scores)")

        // A phrase from a document (a few of its words, not the whole text) finds it first.
        let phrases = [("sqlite database ordinary file", "s1"), ("violins evening concert", "s4"),
                       ("binary heap smallest element", "s6"), ("penguins antarctic winter", "s11")]
        let found = try scene.search(phrases.enumerated().map { Self.query($1.0, id: "p\($0)") }.joined())
        #expect(found.map { $0.id ?? "" } == ["p0", "p1", "p2", "p3"], "each query once, in order")
        for (doc, (phrase, expected)) in zip(found, phrases) {
            let first = Self.matches(doc).first
            #expect(first?.id == expected, "\(phrase) → \(Self.matches(doc).map { $0.id ?? "" })")
            #expect((first.flatMap { Self.score($0, "cosine") } ?? 0) > 0.3)
        }
        scene.expectNoProcessLeft()
    }

    @Test func matchesAreStoredDocumentsWithoutEmbeddingScoredUnderTheMetric() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.textFlow(topK: 12))
        try scene.index(Self.sentenceDocs())
        let result = try scene.search(Self.query(Self.sentences[2]))
        let matches = Self.matches(result.first)
        #expect(matches.count == 12, "top_k 12 of 12 documents")
        #expect(Set(matches.compactMap(\.id)) == Set((0..<12).map { "s\($0)" }))
        for match in matches {
            #expect(match["embedding"] == nil, "a match carries no embedding: \(match.id ?? "?")")
            #expect((match["scores"] as? [String: Any]).map { Array($0.keys) } == ["cosine"])
            #expect(match.text == Self.sentences[Int(match.id!.dropFirst())!])
            #expect(match.tags["kind"] as? String == "sentence")
        }
        // The query keeps its own fields (and gets its embedding from the encoder).
        #expect(result.first?.text == Self.sentences[2])
        #expect((result.first?["embedding"] as? [Any])?.count == 256)
    }

    @Test func topKAndMetricComeFromWithAndARequestOverridesThem() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.textFlow(topK: 4, metric: "dot"))
        try scene.index(Self.sentenceDocs())
        let q = Self.query(Self.sentences[7])

        let byWith = Self.matches(try scene.search(q).first)
        #expect(byWith.count == 4, "top_k 4 from uses_with")
        #expect(byWith.allSatisfy { ($0["scores"] as? [String: Any]).map { Array($0.keys) } == ["dot"] }, "\(byWith)")
        #expect(byWith.first?.id == "s7")
        // Unit vectors: the dot product of a text with itself is 1.
        #expect(abs((byWith.first.flatMap { Self.score($0, "dot") } ?? 0) - 1) < 1e-4)

        let overridden = Self.matches(try scene.search(q, parameters: #"{"top_k": 2, "metric": "euclidean"}"#).first)
        #expect(overridden.count == 2, "top_k 2 from the request")
        #expect(overridden.allSatisfy { ($0["scores"] as? [String: Any]).map { Array($0.keys) } == ["euclidean"] }, "\(overridden)")
        #expect(overridden.first?.id == "s7")
        let distances = overridden.compactMap { Self.score($0, "euclidean") }
        #expect(distances.count == 2 && distances[0] < 1e-3, "a text is at distance 0 from itself: \(distances)")
        #expect(distances == distances.sorted(), "euclidean: nearest (smallest) first: \(distances)")

        let cosine = Self.matches(try scene.search(q, parameters: #"{"metric": "cosine"}"#).first)
        #expect(cosine.count == 4)
        #expect(cosine.first.flatMap { Self.score($0, "cosine") }.map { abs($0 - 1) < 1e-4 } == true)
    }

    /// `metric: manhattan` in `with:` stops the Flow at start; in a request it must not be
    /// silently replaced by the default.
    @Test func anUnknownMetricIsAnError() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("bad.yml", Self.indexerFlow(with: "{metric: manhattan}"))
        let atStart = try scene.run(["--on", "/search", "--inputs", "-"], flow: "bad.yml", stdin: #"{"id":"q","embedding":[1,0]}"# + "\n")
        #expect(atStart.status == 78, "\(atStart.stderr)")
        #expect(atStart.stderr.contains("manhattan"), "\(atStart.stderr)")

        try scene.file("flow.yml", Self.indexerFlow())
        try scene.index(#"{"id":"a","embedding":[1,0]}"# + "\n" + #"{"id":"b","embedding":[0,1]}"# + "\n")
        let perRequest = try scene.run(["--on", "/search", "--inputs", "-", "--parameters", #"{"metric": "manhattan"}"#],
                                       stdin: #"{"id":"q","embedding":[1,0]}"# + "\n")
        #expect(perRequest.status == 1, "an unknown metric in the request parameters must fail the request, not fall back to cosine: \(perRequest.stdout)")
        #expect(perRequest.stderr.contains("manhattan"), "\(perRequest.stderr)")
        scene.expectNoProcessLeft()
    }

    @Test func matchesCarryEveryStoredFieldLosslessly() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.indexerFlow())
        let tags = #"{"big":12345678901234567890,"f":0.1,"e":1e-7,"neg":-0.0,"i":-42,"nested":{"a":[1,[2,{"b":null}]],"t":true,"ff":false},"empty":{},"ea":[]}"#
        let original = #"{"id":"r1","embedding":[1,0,0],"text":"h\u00e9llo ☃ \ud83d\ude00 \"q\" \\ \n\t","tags":\#(tags),"uri":"data:text/plain,hi","mime_type":"text/plain","custom_key":{"deep":[1.5,"x"]},"weight":0.25,"chunks":[{"id":"c1","text":"chunk","embedding":[0.5,0.5]}],"parent_id":"p"}"#
        try scene.index(original + "\n" + #"{"id":"r2","embedding":[0,1,0]}"# + "\n")

        let run = try scene.run(["--on", "/search", "--inputs", "-"], stdin: #"{"id":"q","embedding":[1,0.1,0]}"# + "\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(#""tags":\#(tags)"#), "tags are given back as they were written: \(run.stdout)")
        let match = try #require(Self.matches(try TestFiles.objects(run.stdout).first).first)
        #expect(match.id == "r1")
        var expected = try #require(try JSONSerialization.jsonObject(with: Data(original.utf8)) as? [String: Any])
        expected["embedding"] = nil
        var got = match
        got["scores"] = nil
        got["adjacency"] = nil
        #expect(NSDictionary(dictionary: got).isEqual(to: expected), "stored \(expected)\n   got \(got)")
    }

    /// The indexer reads embeddings from the request's text: as Python writes floats (17 digits),
    /// as Jina's dense form (base64 `<f4`), and nested. A query with the same text, read the
    /// usual way, must find each at distance 0.
    @Test func embeddingsAreStoredAsTheQueryPathReadsThem() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.indexerFlow(with: "{metric: euclidean}"))
        var vectors = Vectors(state: 41)
        let python = (0..<8).map { _ in vectors.next() / 3 }.map { String($0) }.joined(separator: ", ")
        #expect(python.count > 8 * 17, "17-digit floats, as Python writes them: \(python)")
        let floats: [Float] = (0..<8).map { _ in Float(vectors.next()) }
        let dense = #"{"dense":{"buffer":"\#(floats.withUnsafeBytes { Data($0).base64EncodedString() })","shape":[8],"dtype":"<f4"}}"#
        let nested = "[[" + (0..<4).map { _ in String(vectors.next()) }.joined(separator: ",") + "],[" + (0..<4).map { _ in String(vectors.next()) }.joined(separator: ",") + "]]"
        let embeddings = [("py", "[\(python)]"), ("dense", dense), ("nested", nested)]
        try scene.index(embeddings.map { #"{"id":"\#($0)","embedding":\#($1),"tags":{"n":1.50}}"# + "\n" }.joined())
        #expect(try scene.count() == 3)

        let found = try scene.search(embeddings.map { #"{"id":"q-\#($0)","embedding":\#($1)}"# + "\n" }.joined())
        #expect(found.map { $0.id ?? "" } == ["q-py", "q-dense", "q-nested"])
        for (query, (id, _)) in zip(found, embeddings) {
            let first = Self.matches(query).first
            #expect(first?.id == id, "\(id) → \(Self.matches(query).map { $0.id ?? "" })")
            #expect(first.flatMap { Self.score($0, "euclidean") } == 0, "the same floats on both paths: \(first ?? [:])")
            #expect(first?["embedding"] == nil && first?.tags["n"] as? Double == 1.5, "\(first ?? [:])")
        }
        // Floats as Python writes them are rounded as Float(Double(text)) rounds them.
        let stored = ["", "-wal"].compactMap { FileManager.default.contents(atPath: scene.dir + "/ws/indexer/index.sqlite" + $0) }.reduce(Data(), +)
        let expected = python.split(separator: ",").map { Float(Double($0.trimmingCharacters(in: .whitespaces))!) }
        #expect(expected.withUnsafeBytes { stored.range(of: Data($0)) } != nil, "the rows hold Float(Double(text))")
        scene.expectNoProcessLeft()
    }

    /// Ids are any JSON strings, kept exactly: non-ASCII, quotes, and a NUL (`\u0000`), which
    /// must not cut the id short (two ids that differ after it are two documents).
    @Test func idsAreKeptExactly() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.indexerFlow())
        let ids = [#"a\u0000b"#, #"a\u0000c"#, #"é😀 \"x"#, "a"]
        try scene.index(ids.enumerated().map { #"{"id":"\#($1)","embedding":[1,\#($0)]}"# + "\n" }.joined())
        #expect(try scene.count() == 4)
        let matches = Self.matches(try scene.search(#"{"id":"q","embedding":[1,0]}"# + "\n", parameters: #"{"top_k": 10}"#).first)
        #expect(Set(matches.compactMap(\.id)) == ["a\u{0}b", "a\u{0}c", "é😀 \"x", "a"], "\(matches.compactMap(\.id))")
        // Deleting one of them deletes that one only.
        #expect(try scene.run(["--on", "/delete", "--inputs", "-"], stdin: #"{"id":"a\u0000b"}"# + "\n").status == 0)
        let left = Self.matches(try scene.search(#"{"id":"q","embedding":[1,0]}"# + "\n", parameters: #"{"top_k": 10}"#).first)
        #expect(Set(left.compactMap(\.id)) == ["a\u{0}c", "é😀 \"x", "a"], "\(left.compactMap(\.id))")
    }

    @Test func searchingAnEmptyIndexGivesNoMatches() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.textFlow())
        let run = try scene.run(["--on", "/search", "--inputs", "-"], stdin: Self.query("anything at all"))
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        #expect(docs.count == 1)
        #expect(docs.first?["matches"] as? [Any] != nil, "matches is present: \(run.stdout)")
        #expect(Self.matches(docs.first).isEmpty)
        #expect(try scene.count() == 0)
        scene.expectNoProcessLeft()
    }

    // MARK: Persistence

    @Test func anIndexSurvivesItsProcessAndIsFoundByTheNextFlow() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.textFlow())
        try scene.index(Self.sentenceDocs())
        scene.expectNoProcessLeft()
        #expect(FileManager.default.fileExists(atPath: scene.dir + "/ws/indexer/index.sqlite"))
        // A second `jina flow run`: new processes, the same workspace.
        #expect(try scene.count() == 12)
        let found = try scene.search(Self.query(Self.sentences[9]))
        #expect(Self.matches(found.first).first?.id == "s9")
        // Indexing the same ids again replaces them: the count stays.
        try scene.index(Self.sentenceDocs())
        #expect(try scene.count() == 12)
    }

    /// The pid of the flow's indexer worker (`jina executor --stdio … --label <label>`).
    static func indexerPID(marker: String, label: String = "indexer", timeout: TimeInterval = 10) -> pid_t? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let pids = ProcessTable.pids(withMarker: marker).filter {
                let line = ProcessTable.commandLine(of: $0)
                return line.contains("executor --stdio") && line.hasSuffix("--label \(label)")
            }
            if let pid = pids.first { return pid }
            usleep(20_000)
        } while Date() < deadline
        return nil
    }

    /// An acknowledged batch (its result is on stdout) is on disk: SIGKILL the indexer and the
    /// Flow right after, and a new Flow finds it.
    @Test func anAcknowledgedBatchSurvivesSIGKILL() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.textFlow())
        let jina = try JinaProcess(["flow", "run", "--uses", "flow.yml", "--on", "/index", "--inputs", "-", "--request-size", "5"],
                                   in: scene.dir, environment: scene.environment)
        defer { jina.kill() }
        let batch = Self.sentenceDocs().split(separator: "\n").prefix(5).map { $0 + "\n" }.joined()
        #expect(jina.write(batch))
        try #require(jina.waitForStdoutLines(5, timeout: 30), "no acknowledgement: \(jina.stderr)")
        let indexer = try #require(Self.indexerPID(marker: scene.marker), "no indexer process")
        kill(indexer, SIGKILL)
        jina.signal(SIGKILL)
        #expect(jina.waitForExit(timeout: 10))
        #expect(jina.exitStatus == 128 + SIGKILL)
        jina.closeStdin()
        scene.expectNoProcessLeft(grace: 5)

        #expect(try scene.count() == 5)
        let found = try scene.search(Self.query(Self.sentences[3]))
        #expect(Self.matches(found.first).first?.id == "s3")
        #expect(Self.matches(found.first).first.flatMap { Self.score($0, "cosine") }.map { abs($0 - 1) < 1e-4 } == true)
    }

    /// A batch the indexer is busy with when it is killed is stored whole or not at all. One
    /// request of 2000 documents, then SIGKILL (indexer and Flow) after a delay: longer delays
    /// until the batch is found stored, then delays bisecting the window in which it was in flight.
    @Test func aBatchKilledInFlightIsAllOrNothing() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.indexerFlow())
        var vectors = Vectors(state: 7)
        try scene.index((0..<10).map { #"{"id":"a\#($0)","embedding":\#(Self.json(vectors.vector(64)))}"# + "\n" }.joined(),
                        extra: ["--request-size", "10"])
        let embeddings = (0..<2_000).map { _ in Self.json(vectors.vector(64)) }
        var stored = 10
        var round = 0
        /// Kills a run of batch `round` after `delay` ms; true when the batch was stored.
        func killAfter(_ delay: Double) throws -> Bool {
            round += 1
            let batch = embeddings.enumerated().map { #"{"id":"r\#(round)-\#($0)","embedding":\#($1)}"# + "\n" }.joined()
            let jina = try JinaProcess(["flow", "run", "--uses", "flow.yml", "--on", "/index", "--inputs", "-", "--request-size", "2000"],
                                       in: scene.dir, environment: scene.environment, keepStdout: false)
            defer { jina.kill() }
            let indexer = try #require(Self.indexerPID(marker: scene.marker), "no indexer process")
            #expect(jina.write(batch))
            usleep(UInt32(delay * 1000))
            kill(indexer, SIGKILL)
            jina.signal(SIGKILL)
            #expect(jina.waitForExit(timeout: 10))
            jina.closeStdin()
            scene.expectNoProcessLeft(grace: 5)
            let count = try #require(try scene.count())
            #expect(count == stored || count == stored + 2_000, "killed after \(delay) ms: \(count - stored) of the batch's 2000 documents stored")
            defer { stored = count }
            return count > stored
        }
        var notYet = 0.0, done: Double?
        for delay in [0.0, 50, 100, 200, 400, 800, 1_600, 3_200] {
            if try killAfter(delay) { done = delay; break }
            notYet = delay
        }
        let upper = try #require(done, "the batch was not stored 3.2 s after it was written; nothing was killed in flight")
        var (low, high) = (notYet, upper)
        for _ in 0..<6 {
            let middle = (low + high) / 2
            if try killAfter(middle) { high = middle } else { low = middle }
        }
    }

    /// A batch whose second document has an embedding of another dimension fails as a whole.
    @Test func aFailingBatchLeavesNothingBehind() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.indexerFlow())

        // On an empty index: the batch's own first document sets the dimension.
        try scene.file("mixed.jsonl", #"{"id":"m1","embedding":[1,0,0]}"# + "\n" + #"{"id":"m2","embedding":[0,1,0,1]}"# + "\n")
        let mixed = try scene.run(["--on", "/index", "--inputs", "mixed.jsonl", "--request-size", "10"])
        #expect(mixed.status == 1, "\(mixed.stdout)")
        #expect(mixed.stderr.contains("m2") && mixed.stderr.contains("3") && mixed.stderr.contains("4"), "\(mixed.stderr)")
        #expect(try scene.count() == 0)

        try scene.index(#"{"id":"x1","embedding":[1,0,0]}"# + "\n" + #"{"id":"x2","embedding":[0,1,0]}"# + "\n")
        try scene.file("bad.jsonl", [#"{"id":"y1","embedding":[1,1,0]}"#, #"{"id":"y2","embedding":[0,1,0,1]}"#,
                                     #"{"id":"y3","embedding":[0,0,1]}"#].joined(separator: "\n") + "\n")
        let bad = try scene.run(["--on", "/index", "--inputs", "bad.jsonl", "--request-size", "3"])
        #expect(bad.status == 1)
        #expect(bad.stdout.isEmpty, "a failed request writes no documents: \(bad.stdout)")
        #expect(bad.stderr.contains("dimension 4") && bad.stderr.contains("dimension 3"), "the error names both dimensions: \(bad.stderr)")
        #expect(bad.stderr.contains("y2"), "the error names the document: \(bad.stderr)")
        #expect(try scene.count() == 2, "none of the failed batch's documents")
        let search = try scene.search(#"{"id":"q","embedding":[0,0,1]}"# + "\n", parameters: #"{"top_k": 10}"#)
        #expect(Set(Self.matches(search.first).compactMap(\.id)) == ["x1", "x2"])
        scene.expectNoProcessLeft()
    }

    // MARK: Update and delete

    @Test func updateReplacesFieldsAndEmbedding() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.textFlow(topK: 12))
        try scene.index(Self.sentenceDocs())
        let newText = "octopuses change colour to hide on the coral reef"
        try scene.index(#"{"id":"s5","text":"\#(newText)","tags":{"version":2},"extra":"new field"}"# + "\n", endpoint: "/update")
        #expect(try scene.count() == 12, "an update replaces, it does not add")

        let byNew = Self.matches(try scene.search(Self.query(newText)).first)
        let first = try #require(byNew.first)
        #expect(first.id == "s5")
        #expect(Self.score(first, "cosine").map { abs($0 - 1) < 1e-4 } == true, "the new embedding: \(first)")
        #expect(first.text == newText)
        #expect(first.tags["version"] as? Int == 2)
        #expect(first.tags["kind"] == nil, "the old tags are gone: \(first.tags)")
        #expect(first["extra"] as? String == "new field")

        let byOld = Self.matches(try scene.search(Self.query(Self.sentences[5])).first)
        #expect(byOld.first?.id != "s5" || (byOld.first.flatMap { Self.score($0, "cosine") } ?? 1) < 0.5,
                "the old embedding is gone: \(byOld.prefix(2))")
        #expect(byOld.first { $0.id == "s5" }?.text == newText)
    }

    @Test func deleteByIdRemovesTheDocument() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.textFlow(topK: 20))
        try scene.index(Self.sentenceDocs())
        let run = try scene.run(["--on", "/delete", "--inputs", "-"], stdin: #"{"id":"s8"}"# + "\n" + #"{"id":"s2"}"# + "\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try scene.count() == 10)
        let matches = Self.matches(try scene.search(Self.query(Self.sentences[8])).first)
        #expect(matches.count == 10)
        #expect(!matches.contains { $0.id == "s8" || $0.id == "s2" }, "\(matches.compactMap(\.id))")
        // The rows that moved into the holes still answer for themselves.
        for i in [0, 3, 11] {
            #expect(Self.matches(try scene.search(Self.query(Self.sentences[i])).first).first?.id == "s\(i)")
        }
        // Unknown ids: nothing to delete, not an error.
        let unknown = try scene.run(["--on", "/delete", "--inputs", "-"], stdin: #"{"id":"nope"}"# + "\n")
        #expect(unknown.status == 0, "\(unknown.stderr)")
        #expect(try scene.count() == 10)
        // Everything deleted, then indexed again at another dimension: an empty index takes any.
        try scene.file("all.jsonl", (0..<12).map { #"{"id":"s\#($0)"}"# + "\n" }.joined())
        #expect(try scene.run(["--on", "/delete", "--inputs", "all.jsonl"]).status == 0)
        #expect(try scene.count() == 0)
        try scene.file("plain.yml", Self.indexerFlow())
        try scene.index(#"{"id":"v","embedding":[1,2]}"# + "\n", flow: "plain.yml")
        #expect(try scene.count(flow: "plain.yml") == 1)
        scene.expectNoProcessLeft()
    }

    // MARK: Shards and replicas

    /// 300 documents with random 8-dimensional embeddings, and their vectors.
    static func randomDocs(_ n: Int, dim: Int = 8, seed: UInt64 = 42) -> (jsonl: String, vectors: [(id: String, vector: [Double])]) {
        var generator = Vectors(state: seed)
        let vectors = (0..<n).map { (id: String(format: "v%03d", $0), vector: generator.vector(dim)) }
        return (vectors.map { #"{"id":"\#($0.id)","embedding":\#(Self.json($0.vector)),"tags":{"i":1}}"# + "\n" }.joined(), vectors)
    }

    static func shardedFlow(merger: String = "MatchMerger") -> String {
        """
        jtype: Flow
        executors:
          - name: indexer
            uses: VectorIndexer
            uses_with: {top_k: 3}
            workspace: ws
            shards: 2
            polling: {/index: ANY, /search: ALL, /count: ALL}
            uses_after: \(merger)
        """
    }

    /// Counts each shard's database with a one-shard Flow whose executor is named like the shard.
    static func shardCounts(_ scene: Scene) throws -> [Int?] {
        try (0..<2).map { s in
            try scene.file("shard-\(s).yml", Self.indexerFlow(name: "shard-\(s)", workspace: "ws/indexer"))
            return try scene.count(flow: "shard-\(s).yml")
        }
    }

    static let mergerTopK3 = "\n      jtype: MatchMerger\n      with: {top_k: 3}"

    @Test func shardsSplitTheDocumentsAndSearchMergesTheBestOfAll() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        // The merger is told top_k 3 itself here; see the next test for the merger without `with:`.
        try scene.file("flow.yml", Self.shardedFlow(merger: Self.mergerTopK3))
        let (jsonl, vectors) = Self.randomDocs(300)
        // Small requests, many in flight: ANY spreads them over both shards.
        try scene.index(jsonl, extra: ["--request-size", "3", "--prefetch", "16"])
        for s in 0..<2 { #expect(FileManager.default.fileExists(atPath: scene.dir + "/ws/indexer/shard-\(s)/index.sqlite")) }
        let counts = try Self.shardCounts(scene)
        #expect(counts.compactMap { $0 }.reduce(0, +) == 300, "shard counts \(counts)")
        #expect(counts.allSatisfy { ($0 ?? 0) > 0 }, "each shard holds some: \(counts)")

        var generator = Vectors(state: 99)
        let queries = (0..<5).map { (id: "q\($0)", vector: generator.vector(8)) }
        let input = queries.map { #"{"id":"\#($0.id)","embedding":\#(Self.json($0.vector))}"# + "\n" }.joined()
        for metric in ["cosine", "euclidean"] {
            let results = try scene.search(input, parameters: #"{"metric": "\#(metric)"}"#)
            #expect(results.map { $0.id ?? "" } == queries.map(\.id), "each query once, in order")
            for (result, query) in zip(results, queries) {
                let matches = Self.matches(result)
                let expected = vectors.map { (id: $0.id, score: metric == "cosine" ? Self.cosine(query.vector, $0.vector) : Self.euclidean(query.vector, $0.vector)) }
                    .sorted { metric == "cosine" ? $0.score > $1.score : $0.score < $1.score }.prefix(3)
                #expect(matches.compactMap(\.id) == expected.map(\.id), "\(metric) \(query.id): the best 3 of all shards")
                let scores = matches.compactMap { Self.score($0, metric) }
                #expect(scores.count == 3)
                for (got, want) in zip(scores, expected.map(\.score)) { #expect(abs(got - want) < 1e-4, "\(got) vs \(want)") }
            }
        }
        scene.expectNoProcessLeft()
    }

    /// `uses_after: MatchMerger` as the issue writes it, top_k 3 on the indexer only: a query
    /// still gets 3 matches (not 3 per shard).
    @Test func theMergerKeepsTheIndexersTopK() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.shardedFlow())
        try scene.index(Self.randomDocs(300).jsonl, extra: ["--request-size", "3", "--prefetch", "16"])
        let counts = try Self.shardCounts(scene)
        try #require(counts.allSatisfy { ($0 ?? 0) > 0 }, "both shards must hold documents for this test: \(counts)")
        let results = try scene.search(#"{"id":"q","embedding":[1,0,0,0,0,0,0,0]}"# + "\n")
        #expect(Self.matches(results.first).count == 3,
                "uses_with top_k 3: got \(Self.matches(results.first).count) matches (MatchMerger's own default top_k is 10)")
        // A request's top_k reaches the shards and the merger alike.
        let two = try scene.search(#"{"id":"q","embedding":[1,0,0,0,0,0,0,0]}"# + "\n", parameters: #"{"top_k": 2}"#)
        #expect(Self.matches(two.first).count == 2)
    }

    /// `/count` of a sharded indexer polled ALL: one document with the whole index's count.
    @Test func countOfAShardedIndexIsTheTotal() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.shardedFlow(merger: Self.mergerTopK3))
        try scene.index(Self.randomDocs(300).jsonl, extra: ["--request-size", "3", "--prefetch", "16"])
        let counts = try Self.shardCounts(scene)
        try #require(counts.allSatisfy { ($0 ?? 0) > 0 }, "both shards must hold documents for this test: \(counts)")
        let run = try scene.run(["--on", "/count", "--inputs", "-"], stdin: "{}\n")
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        #expect(docs.count == 1)
        #expect(docs.first?.tags["count"] as? Int == 300, "shards hold \(counts); /count said \(run.stdout)")
    }

    /// The merger ranks by the indexer's metric, even when a stored document has scores of its own.
    @Test func theMergerRanksByTheMetricNotByAStoredScore() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.shardedFlow(merger: Self.mergerTopK3))
        try scene.index([#"{"id":"far","embedding":[0,1],"scores":{"relevance":{"value":100}}}"#,
                         #"{"id":"near","embedding":[1,0.01]}"#, #"{"id":"mid","embedding":[1,1]}"#].joined(separator: "\n") + "\n",
                        extra: ["--request-size", "1"])
        let matches = Self.matches(try scene.search(#"{"id":"q","embedding":[1,0]}"# + "\n").first)
        #expect(matches.compactMap(\.id) == ["near", "mid", "far"], "\(matches)")
        // The stored scores are kept beside the metric's.
        #expect(Self.score(matches.first { $0.id == "far" } ?? [:], "relevance") == 100)
    }

    /// Replicas of one indexer share its database: they start together, write in turn, and a
    /// count through either gives everything. (Three fresh workspaces, as the start is a race.)
    @Test func replicasShareTheIndex() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("docs.jsonl", Self.randomDocs(300).jsonl)
        for round in 1...3 {
            try scene.file("flow.yml", """
                jtype: Flow
                executors:
                  - name: indexer
                    uses: VectorIndexer
                    replicas: 2
                    workspace: ws-\(round)
                """)
            let run = try scene.run(["--on", "/index", "--inputs", "docs.jsonl", "--request-size", "2", "--prefetch", "16"])
            let locked = run.stderr.split(separator: "\n").filter { $0.contains("locked") }
            try #require(run.status == 0 && locked.isEmpty,
                         "round \(round): exit \(run.status), \(locked.count) lines say locked: \(run.stderr.split(separator: "\n").prefix(3))")
            #expect(!FileManager.default.fileExists(atPath: scene.dir + "/ws-\(round)/indexer/rep-0"), "replicas share the shard's directory")
            for _ in 0..<2 { try #require(try scene.count() == 300, "round \(round)") }
        }
    }

    // MARK: Bad input

    @Test func aQueryWithoutTextOrEmbeddingIsAPerDocumentError() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.indexerFlow())
        try scene.index(#"{"id":"a","embedding":[1,0,0]}"# + "\n")
        // The query that has one is answered; the other gets its own error, and no matches.
        let run = try scene.run(["--on", "/search", "--inputs", "-"], stdin: #"{"id":"ok","embedding":[1,0,0]}"# + "\n" + #"{"id":"q"}"# + "\n")
        #expect(run.status == 1)
        #expect(run.stderr.contains("document q failed at indexer: ValueError: query q has neither text nor an embedding"), "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        try #require(docs.count == 2, "\(run.stdout)")
        #expect(((docs[0]["matches"] as? [[String: Any]])?.map { $0["id"] as? String }) == ["a"], "\(run.stdout)")
        #expect(((docs[1]["tags"] as? [String: Any])?["__error__"] as? [String: Any])?["message"] as? String
                == "query q has neither text nor an embedding", "\(run.stdout)")
        let withText = try scene.run(["--on", "/search", "--inputs", "-"], stdin: #"{"id":"t","text":"words"}"# + "\n")
        #expect(withText.status == 1)
        #expect(withText.stderr.contains("query t") && withText.stderr.contains("encoder"), "\(withText.stderr)")
        scene.expectNoProcessLeft()
    }

    @Test func aQueryOfTheWrongDimensionNamesBoth() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.indexerFlow())
        try scene.index(#"{"id":"a","embedding":[1,0,0]}"# + "\n")
        let run = try scene.run(["--on", "/search", "--inputs", "-"], stdin: #"{"id":"q","embedding":[1,0]}"# + "\n")
        #expect(run.status == 1)
        #expect(run.stderr.contains("dimension 2") && run.stderr.contains("dimension 3"), "\(run.stderr)")
        #expect(run.stderr.contains("query q"), "\(run.stderr)")
    }

    /// A workspace under a regular file cannot be created, by anyone (root included).
    @Test func aWorkspaceThatCannotBeCreatedStopsTheFlowAtStart() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("plain-file", "not a directory\n")
        try scene.file("flow.yml", Self.indexerFlow(workspace: "plain-file/ws"))
        let run = try scene.run(["--on", "/index", "--inputs", "-"], stdin: #"{"id":"a","embedding":[1]}"# + "\n")
        #expect(run.status == 78, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let summary = Self.startFailure(run.stderr)
        #expect(summary.contains(scene.dir + "/plain-file/ws/indexer"), "the start error names the path: \(summary)")
        scene.expectNoProcessLeft()
    }

    /// A workspace directory without write permission (not applicable as root, who may write anyway).
    @Test func aReadOnlyWorkspaceStopsTheFlowAtStart() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        let workspace = scene.dir + "/ro"
        try FileManager.default.createDirectory(atPath: workspace + "/indexer", withIntermediateDirectories: true)
        #expect(chmod(workspace + "/indexer", 0o500) == 0)
        if access(workspace + "/indexer", W_OK) == 0 {
            try Test.cancel("skipped: running as uid \(geteuid()), access(W_OK) says a chmod 500 directory is writable (root bypasses permissions); aWorkspaceThatCannotBeCreatedStopsTheFlowAtStart covers this case for root")
        }
        try scene.file("flow.yml", Self.indexerFlow(workspace: "ro"))
        let run = try scene.run(["--on", "/index", "--inputs", "-"], stdin: #"{"id":"a","embedding":[1]}"# + "\n")
        #expect(run.status == 78, "\(run.stderr)")
        #expect(Self.startFailure(run.stderr).contains(workspace + "/indexer"), "\(run.stderr)")
        scene.expectNoProcessLeft()
    }

    /// What stderr says from "the Flow could not start" on (the summary a user reads last).
    static func startFailure(_ stderr: String) -> String {
        guard let range = stderr.range(of: "the Flow could not start") else { return "" }
        return String(stderr[range.lowerBound...])
    }

    @Test(arguments: ["garbage", "scrambled pages"])
    func aCorruptDatabaseStopsTheFlowAtStartNamingIt(_ corruption: String) throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.file("flow.yml", Self.indexerFlow())
        let path = scene.dir + "/ws/indexer/index.sqlite"
        if corruption == "garbage" {
            try FileManager.default.createDirectory(atPath: scene.dir + "/ws/indexer", withIntermediateDirectories: true)
            var generator = Vectors(state: 1)
            try Data((0..<20_000).map { _ in UInt8(truncatingIfNeeded: Int((generator.next() + 1) * 128)) }).write(to: URL(fileURLWithPath: path))
        } else {
            // A real index, then every page after the first few overwritten: the header is valid.
            try scene.index(Self.randomDocs(500, dim: 64).jsonl)
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            try #require(bytes.count > 16_384, "index of \(bytes.count) bytes")
            for i in stride(from: 8_192, to: bytes.count, by: 7) { bytes[i] = bytes[i] &* 31 &+ 7 }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        for endpoint in ["/count", "/search"] {
            let run = try scene.run(["--on", endpoint, "--inputs", "-"], stdin: #"{"id":"q","embedding":[1,0,0,0,0,0,0,0]}"# + "\n")
            #expect(run.status == 78, "\(endpoint): a corrupt index stops the Flow at start: \(run.status) \(run.stderr.suffix(500))")
            #expect(run.stdout.isEmpty)
            let summary = Self.startFailure(run.stderr)
            #expect(summary.contains(path), "\(endpoint): the start error names \(path): \(summary.prefix(800))")
            #expect(summary.split(separator: "\n").count <= 6, "a short message, not a page of integrity-check output: \(summary.split(separator: "\n").count) lines")
        }
        scene.expectNoProcessLeft()
    }

    // MARK: Workspace

    /// metas.workspace, else the entry's `workspace:`, else the Flow's `with: workspace`, else
    /// ./workspace; then the executor's label; the Flow's paths are relative to the Flow file.
    @Test func theWorkspaceComesFromMetasEntryFlowOrTheCurrentDirectory() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try FileManager.default.createDirectory(atPath: scene.dir + "/conf", withIntermediateDirectories: true)
        let flows = [
            ("none", "jtype: Flow\nexecutors:\n  - name: idx\n    uses: VectorIndexer\n", "workspace/idx"),
            ("flow", "jtype: Flow\nwith:\n  workspace: wflow\nexecutors:\n  - name: idx\n    uses: VectorIndexer\n", "conf/wflow/idx"),
            ("entry", "jtype: Flow\nwith:\n  workspace: wflow\nexecutors:\n  - name: idx\n    uses: VectorIndexer\n    workspace: wentry\n",
             "conf/wentry/idx"),
            ("metas", "jtype: Flow\nwith:\n  workspace: wflow\nexecutors:\n  - name: idx\n    uses:\n      jtype: VectorIndexer\n      metas:\n        workspace: wmetas\n    workspace: wentry\n",
             "conf/wmetas/idx"),
        ]
        for (name, flow, expected) in flows {
            try scene.file("conf/\(name).yml", flow)
            let run = try scene.run(["--on", "/index", "--inputs", "-"], flow: "conf/\(name).yml", stdin: #"{"id":"\#(name)","embedding":[1,0]}"# + "\n")
            #expect(run.status == 0, "\(name): \(run.stderr)")
            #expect(FileManager.default.fileExists(atPath: "\(scene.dir)/\(expected)/index.sqlite"), "\(name): expected \(expected)/index.sqlite")
        }
        let all = FileManager.default.enumerator(atPath: scene.dir)?.compactMap { $0 as? String }.filter { $0.hasSuffix("index.sqlite") } ?? []
        #expect(all.sorted() == flows.map { "\($0.2)/index.sqlite" }.sorted(), "no other index: \(all)")
    }
}
