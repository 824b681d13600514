import Foundation
import Testing

/// `jina hello`: the bundled corpus indexed and searched in one command (the issue "Search out of
/// the box"). Each test keeps the index in its own directory.
@Suite(.timeLimit(.minutes(3))) struct HelloTests {
    static let corpusPath = JinaBinary.packageRoot + "/configs/hello/corpus.jsonl"

    static var corpusLines: [String] {
        ((try? String(contentsOfFile: corpusPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// One corpus document: its id and text.
    static func corpusDocument(_ line: Int) throws -> (id: String, text: String) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(corpusLines[line].utf8)) as? [String: Any])
        return (try #require(object.id), try #require(object.text))
    }

    /// `jina hello args…` (from the package root unless told otherwise), timed.
    static func hello(_ arguments: [String], in directory: String = JinaBinary.packageRoot,
                      environment: [String: String] = [:]) throws -> (run: JinaBinary.Run, seconds: Double) {
        let (marker, markerEnvironment) = ProcessTable.newMarker()
        defer { ProcessTable.killAll(withMarker: marker) }
        let start = Date()
        let run = try JinaBinary.run(["hello"] + arguments, in: directory, environment: environment.merging(markerEnvironment) { a, _ in a },
                                     timeout: 90)
        let seconds = Date().timeIntervalSince(start)
        let left = ProcessTable.survivors(ofMarker: marker, waiting: 3)
        #expect(left.isEmpty, "processes left behind by jina hello: \(left)")
        return (run, seconds)
    }

    /// The result lines under the question `text`: `(rank, score, id)`.
    static func results(for text: String, in stdout: String) -> [(rank: Int, score: String, id: String)] {
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let header = lines.firstIndex(where: { $0.hasPrefix("\u{201C}\(text)\u{201D}") }) else { return [] }
        var found: [(rank: Int, score: String, id: String)] = []
        for line in lines[(header + 1)...] {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, let rank = Int(fields[0]) else { break }
            found.append((rank, String(fields[1]), String(fields[2])))
        }
        return found
    }

    @Test func indexesTheCorpusAndFindsADocumentByItsText() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(Self.corpusLines.count == 3_234)
        let document = try Self.corpusDocument(1_000)
        let (run, seconds) = try Self.hello(["--query", document.text, "--workspace", dir + "/ws"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(seconds < 60, "jina hello took \(seconds) s")
        #expect(run.stdout.contains("indexed \(Self.corpusLines.count) documents"), "\(run.stdout.prefix(300))")
        #expect(!run.stdout.contains("failed"), "\(run.stdout)")
        let results = Self.results(for: document.text, in: run.stdout)
        #expect(results.count == 3, "top 3 by default: \(run.stdout)")
        #expect(results.first?.id == document.id, "\(run.stdout)")
        // BM25: positive, best first.
        let scores = results.compactMap { Double($0.score) }
        #expect(scores.count == 3 && scores.allSatisfy { $0 > 0 } && scores == scores.sorted(by: >), "\(results)")
    }

    @Test func defaultQueriesEachGetMatches() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (run, _) = try Self.hello(["--workspace", dir + "/ws", "--top-k", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        for question in ["read a file line by line", "compress data with gzip", "current date and time"] {
            let results = Self.results(for: question, in: run.stdout)
            #expect(results.map(\.rank) == [1, 2], "\(question): \(run.stdout)")
            #expect(results.allSatisfy { Double($0.score).map { $0 > 0 } == true }, "\(results)")
        }
    }

    /// `--workspace DIR` keeps the index: a second run with it works (and does not double it), and
    /// the index answers a plain `jina flow run` of the same Flow.
    @Test func aWorkspaceKeepsTheIndex() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let workspace = dir + "/ws"
        let document = try Self.corpusDocument(42)
        let first = try Self.hello(["--query", "socket", "--workspace", workspace]).run
        #expect(first.status == 0, "\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: workspace + "/indexer/text.sqlite"))

        let second = try Self.hello(["--query", document.text, "--workspace", workspace]).run
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("indexed \(Self.corpusLines.count) documents"), "\(second.stdout.prefix(300))")
        #expect(Self.results(for: document.text, in: second.stdout).first?.id == document.id, "\(second.stdout)")

        let count = try JinaBinary.run(["flow", "run", "--uses", "configs/hello/flow.yml", "--on", "/count", "--inputs", "-"],
                                       environment: ["JINA_HELLO_WORKSPACE": workspace], stdin: Data("{}\n".utf8))
        #expect(count.status == 0, "\(count.stderr)")
        #expect(try TestFiles.objects(count.stdout).first?.tags["count"] as? Int == Self.corpusLines.count, "\(count.stdout)")
    }

    /// Without `--workspace` the index goes to the user's data directory ($XDG_DATA_HOME/jina/hello),
    /// beside the demo's Flow and corpus, and nothing is written in the repository.
    @Test func withoutAWorkspaceTheIndexGoesToTheUsersDataDirectory() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: JinaBinary.packageRoot + "/configs/hello")) ?? [])
        let run = try Self.hello(["--query", "json"], environment: ["XDG_DATA_HOME": dir + "/data"]).run
        #expect(run.status == 0, "\(run.stderr)")
        let data = dir + "/data/jina/hello"
        for file in ["indexer/text.sqlite", "flow.yml", "corpus.jsonl"] {
            #expect(FileManager.default.fileExists(atPath: data + "/" + file), "no \(file) in \(data)")
        }
        #expect(run.stdout.contains("The index is kept in \(data)"), "\(run.stdout)")
        let after = Set((try? FileManager.default.contentsOfDirectory(atPath: JinaBinary.packageRoot + "/configs/hello")) ?? [])
        #expect(after == before, "created in configs/hello: \(after.subtracting(before))")
    }

    /// A relative `--workspace` is relative to where `jina hello` runs, like any path argument
    /// (not to the Flow file's directory).
    @Test func aRelativeWorkspaceIsRelativeToTheCurrentDirectory() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A copy of the Flow, so that a workspace put beside it lands in this test's directory.
        try FileManager.default.createDirectory(atPath: dir + "/conf", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: JinaBinary.packageRoot + "/configs/hello/flow.yml", toPath: dir + "/conf/flow.yml")
        let run = try Self.hello(["--uses", "conf/flow.yml", "--corpus", Self.corpusPath, "--workspace", "ws", "--query", "json"], in: dir).run
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/ws/indexer/text.sqlite"),
                "expected ./ws/indexer/text.sqlite; found: \(FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".sqlite") } ?? [])")
    }

    /// The demo ships inside the binary: from a directory that has no configs/, it indexes and
    /// finds a corpus document by its text, as from the repository.
    @Test func itRunsFromAnyDirectory() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let document = try Self.corpusDocument(42)
        let run = try Self.hello(["--query", document.text], in: dir, environment: ["XDG_DATA_HOME": dir + "/data"]).run
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("indexed \(Self.corpusLines.count) documents"), "\(run.stdout.prefix(300))")
        #expect(Self.results(for: document.text, in: run.stdout).first?.id == document.id, "\(run.stdout)")
    }

    /// The embedded demo is configs/hello as it is now.
    @Test func theEmbeddedDemoIsUpToDate() throws {
        let result = try FlowPython.execute("/bin/bash", ["scripts/embed-hello.sh", "--check"])
        #expect(result.status == 0, "\(result.output)")
    }
}
