import Foundation
import JinaWire

/// Search quality on the hello corpus (docs/benchmarks.md, "Search quality"): 264 natural-language
/// questions (Benchmarks/retrieval/questions.jsonl), each with the one corpus entry that answers it
/// (`tags.answer`), asked of the hashed n-gram encoder with cosine, of TextIndexer's BM25, of both
/// fused by RankFusion, and of rank-bm25 from PyPI as the outside reference. MRR@10, top-1, top-10.
enum RetrievalBenchmark {
    static let usage = "usage: jina-bench retrieval [--no-reference]"

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let corpusPath = root.appendingPathComponent("configs/hello/corpus.jsonl").path
    static let questionsPath = root.appendingPathComponent("Benchmarks/retrieval/questions.jsonl").path
    static let hybridFlow = root.appendingPathComponent("configs/hybrid-search.yml").path

    /// One way of searching: a Flow (inline YAML or a file) and the parameters its /search gets.
    struct Method {
        let name: String
        let flow: String
        var parameters: String? = nil
    }

    static let methods = [
        Method(name: "hashed n-grams + cosine (hello)", flow: """
            jtype: Flow
            executors:
              - {name: encoder, uses: TextEncoder, uses_with: {dim: 512, ngram: 2}}
              - {name: indexer, uses: VectorIndexer, uses_with: {top_k: 10, metric: cosine}}
            """),
        Method(name: "BM25 (TextIndexer)", flow: """
            jtype: Flow
            executors:
              - {name: words, uses: TextIndexer, uses_with: {top_k: 10}}
            """),
        Method(name: "hybrid, reciprocal rank (RankFusion)", flow: hybridFlow, parameters: #"{"top_k": 10}"#),
        Method(name: "hybrid, normalised score sum", flow: hybridFlow, parameters: #"{"fusion": "sum", "top_k": 10}"#),
    ]

    /// MRR@10, top-1 and top-10 of the answers' ranks (nil: not in the top 10).
    struct Scores {
        let mrr: Double, top1: Double, top10: Double

        init(ranks: [Int?]) {
            let n = Double(ranks.count)
            mrr = ranks.reduce(0) { $0 + ($1.map { $0 <= 10 ? 1 / Double($0) : 0 } ?? 0) } / n
            top1 = Double(ranks.filter { $0 == 1 }.count) / n
            top10 = Double(ranks.filter { ($0 ?? 11) <= 10 }.count) / n
        }
    }

    static func run(_ arguments: [String]) {
        Bench.name = "jina-bench retrieval"
        var reference = true
        var cursor = ArgumentCursor(arguments)
        while let option = cursor.option() {
            switch option {
            case "--no-reference": reference = false
            default: Bench.fail("unknown option \(option)\n\(usage)")
            }
        }
        let jina = Bench.jinaPath()
        let questions = readJSONLines(questionsPath)
        let corpusCount = readJSONLines(corpusPath).count
        let answers = questions.map { $0.tags["answer"]?.stringValue ?? "" }
        print("jina-bench retrieval: \(questions.count) questions over \(corpusCount) documents (configs/hello/corpus.jsonl); jina: \(jina)")
        print(Bench.column("method", 40, left: true) + Bench.column("MRR@10", 8) + Bench.column("top-1", 7) + Bench.column("top-10", 8))
        for method in methods {
            let ranked = search(method, jina: jina)
            report(method.name, Scores(ranks: ranks(of: answers, in: questions.map { ranked[$0.id ?? ""] ?? [] })))
        }
        if reference {
            let ranked = rankBM25()
            report("rank-bm25 0.2.2 BM25Okapi (PyPI)", Scores(ranks: ranks(of: answers, in: ranked)))
        }
    }

    static func report(_ name: String, _ s: Scores) {
        print(Bench.column(name, 40, left: true) + Bench.column(Bench.fixed(s.mrr, 3), 8) + Bench.column(Bench.fixed(s.top1, 3), 7)
              + Bench.column(Bench.fixed(s.top10, 3), 8))
    }

    static func ranks(of answers: [String], in ranked: [[String]]) -> [Int?] {
        zip(answers, ranked).map { answer, ids in ids.firstIndex(of: answer).map { $0 + 1 } }
    }

    /// Indexes the corpus into a fresh workspace, asks every question; the ids of each question's
    /// matches, best first, by question id.
    static func search(_ method: Method, jina: String) -> [String: [String]] {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("jina-retrieval-\(getpid())").path
        try? FileManager.default.removeItem(atPath: work)
        try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        var flow = method.flow
        if !flow.hasSuffix(".yml") {
            flow = work + "/flow.yml"
            do { try method.flow.write(toFile: flow, atomically: true, encoding: .utf8) } catch { Bench.fail("cannot write \(flow): \(error)") }
        }
        let environment = ["JINA_HYBRID_WORKSPACE": work + "/workspace"]
        _ = Bench.run(jina, ["flow", "run", "--uses", flow, "--on", "/index", "--inputs", corpusPath, "--request-size", "200"], in: work,
                      environment: environment)
        var search = ["flow", "run", "--uses", flow, "--on", "/search", "--inputs", questionsPath, "--request-size", "20"]
        if let parameters = method.parameters { search += ["--parameters", parameters] }
        let output = Bench.run(jina, search, in: work, environment: environment, keepOutput: true).output
        var ranked: [String: [String]] = [:]
        for document in parseJSONLines(output, source: "\(method.name)'s answers") {
            ranked[document.id ?? ""] = document.matches.map { $0.id ?? "" }
        }
        return ranked
    }

    /// rank-bm25's top 10 per question, from a virtualenv it makes once (.build/retrieval-venv).
    static func rankBM25() -> [[String]] {
        let venv = root.appendingPathComponent(".build/retrieval-venv").path
        let python = venv + "/bin/python"
        if !FileManager.default.isExecutableFile(atPath: python) {
            _ = Bench.shell("python3 -m venv '\(venv)' && '\(python)' -m pip install -q rank-bm25==0.2.2 >&2")
            guard FileManager.default.isExecutableFile(atPath: python) else { Bench.fail("could not make \(venv) with rank-bm25") }
        }
        let script = root.appendingPathComponent("Benchmarks/retrieval/rank_bm25_top10.py").path
        let output = Bench.shell("'\(python)' '\(script)' '\(corpusPath)' '\(questionsPath)'")
        return output.split(separator: "\n").map { line in
            guard case .array(let ids)? = try? JSONParser.parse(String(line)) else { Bench.fail("rank-bm25 printed '\(line)'") }
            return ids.compactMap(\.stringValue)
        }
    }

    static func readJSONLines(_ path: String) -> [Document] {
        guard let data = FileManager.default.contents(atPath: path) else { Bench.fail("cannot read \(path)") }
        return parseJSONLines(Array(data), source: path)
    }

    static func parseJSONLines(_ bytes: [UInt8], source: String) -> [Document] {
        let lines = bytes.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }
        let array = Array("[".utf8) + Array(lines.joined(separator: [UInt8(ascii: ",")])) + Array("]".utf8)
        do { return try DocumentArray.decode(array) } catch { Bench.fail("\(source): \(error)") }
    }
}
