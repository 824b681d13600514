import Foundation
import SeededRandom
import JinaWire

/// `jina-bench json`: JinaWire's parser and writer against Foundation on document-shaped JSON.
/// Every figure is the median of 5 runs (with min and max); MB/s is the payload's size over the
/// median time, for writers too, so rows compare directly.
enum JSONBenchmark {
    static let runs = 5

    static func run(quick: Bool) {
        let smallCount = quick ? 10_000 : 100_000
        let embeddingCount = quick ? 200 : 2_000
        print("jina-bench json: median of \(runs) runs [min–max]; MB = 10^6 bytes of the payload")

        let small = (0..<smallCount).map { smallDocument($0) }
        benchmarkArray(name: "small docs", documents: small, decodable: SmallDoc.self)

        var generator = SplitMix64(seed: 42)
        let embedded = (0..<embeddingCount).map { embeddingDocument($0, &generator) }
        benchmarkArray(name: "docs with a 256-float embedding", documents: embedded, decodable: EmbeddingDoc.self)

        benchmarkOneByOne(name: "small docs, one JSON text each", documents: small, decodable: SmallDoc.self)
    }

    // MARK: Payloads

    struct SmallDoc: Codable { var id: String; var text: String; var tags: [String: Int] }
    struct EmbeddingDoc: Codable { var id: String; var text: String; var embedding: [Double] }

    /// `{"id":"doc-00000000-A1C79036","text":"hello world 123","tags":{"a":1}}` (70 bytes).
    static func smallDocument(_ i: Int) -> String {
        let hash = UInt32(truncatingIfNeeded: UInt64(i) &* 2_654_435_761 &+ 0xA1C7_9036)
        return #"{"id":"doc-\#(pad(String(i), 8))-\#(pad(String(hash, radix: 16, uppercase: true), 8))","text":"hello world 123","tags":{"a":1}}"#
    }

    /// A document with 256 floats written as Python writes float32 values converted to float (~19 bytes each).
    static func embeddingDocument(_ i: Int, _ generator: inout SplitMix64) -> String {
        let values = (0..<256).map { _ in Double(Float(generator.nextUnit() * 2 - 1)).description }
        return #"{"id":"doc-\#(pad(String(i), 8))","text":"a sentence about something","embedding":[\#(values.joined(separator: ","))]}"#
    }

    static func pad(_ s: String, _ width: Int) -> String {
        String(repeating: "0", count: max(0, width - s.count)) + s
    }

    // MARK: Runs

    static func benchmarkArray<D: Codable>(name: String, documents: [String], decodable: D.Type) {
        let bytes = Array(("[" + documents.joined(separator: ",") + "]").utf8)
        let data = Data(bytes)
        let n = documents.count
        print("\n\(name): \(n) docs in one array, \(megabytes(bytes.count)) MB")
        header()

        let parsed = try! JSONParser.parse(bytes)
        precondition(parsed.jsonBytes == bytes, "JinaWire round trip differs")
        report("JinaWire parse", size: bytes.count, docs: n) {
            let value = try! JSONParser.parse(bytes)
            return value.arrayValue!.count
        }
        report("JinaWire write", size: bytes.count, docs: n) {
            var out: [UInt8] = []
            JSONWriter.write(parsed, into: &out)
            return out.count
        }
        report("JinaWire arrayElementRanges", size: bytes.count, docs: n) {
            try! bytes.withUnsafeBytes { try JSONParser.arrayElementRanges($0).count }
        }
        let object = try! JSONSerialization.jsonObject(with: data)
        report("JSONSerialization parse", size: bytes.count, docs: n) {
            (try! JSONSerialization.jsonObject(with: data) as! [Any]).count
        }
        report("JSONSerialization write", size: bytes.count, docs: n) {
            try! JSONSerialization.data(withJSONObject: object).count
        }
        let decoded = try! JSONDecoder().decode([D].self, from: data)
        report("JSONDecoder decode", size: bytes.count, docs: n) {
            try! JSONDecoder().decode([D].self, from: data).count
        }
        report("JSONEncoder encode", size: bytes.count, docs: n) {
            try! JSONEncoder().encode(decoded).count
        }
    }

    static func benchmarkOneByOne<D: Codable>(name: String, documents: [String], decodable: D.Type) {
        let texts = documents.map { Array($0.utf8) }
        let datas = texts.map { Data($0) }
        let size = texts.reduce(0) { $0 + $1.count }
        let n = texts.count
        print("\n\(name): \(n) texts, \(megabytes(size)) MB in all")
        header()

        let parsed = texts.map { try! JSONParser.parse($0) }
        report("JinaWire parse", size: size, docs: n) {
            texts.reduce(0) { $0 + (try! JSONParser.parse($1)).objectValue!.count }
        }
        report("JinaWire write", size: size, docs: n) {
            parsed.reduce(0) { $0 + $1.jsonBytes.count }
        }
        let objects = datas.map { try! JSONSerialization.jsonObject(with: $0) }
        report("JSONSerialization parse", size: size, docs: n) {
            datas.reduce(0) { $0 + (try! JSONSerialization.jsonObject(with: $1) as! [String: Any]).count }
        }
        report("JSONSerialization write", size: size, docs: n) {
            objects.reduce(0) { $0 + (try! JSONSerialization.data(withJSONObject: $1)).count }
        }
        let decoder = JSONDecoder(), encoder = JSONEncoder()
        let decoded = datas.map { try! decoder.decode(D.self, from: $0) }
        report("JSONDecoder decode (reused)", size: size, docs: n) {
            datas.reduce(0) { acc, data in _ = try! decoder.decode(D.self, from: data); return acc + 1 }
        }
        report("JSONEncoder encode (reused)", size: size, docs: n) {
            decoded.reduce(0) { $0 + (try! encoder.encode($1)).count }
        }
    }

    // MARK: Timing and output

    static func header() {
        print("  " + Bench.column("operation", 30, left: true) + Bench.column("median ms", 11) + Bench.column("min–max ms", 17)
              + Bench.column("MB/s", 9) + Bench.column("ns/doc", 9))
    }

    /// Times `body` `runs` times after one warm-up run.
    static func report(_ name: String, size: Int, docs: Int, _ body: () -> Int) {
        var sink = body()
        var seconds: [Double] = []
        for _ in 0..<runs {
            let clock = ContinuousClock()
            let start = clock.now
            sink &+= body()
            seconds.append(Bench.duration(clock.now - start))
        }
        seconds.sort()
        let median = seconds[runs / 2]
        print("  " + Bench.column(name, 30, left: true)
              + Bench.column(Bench.fixed(median * 1e3, 1), 11)
              + Bench.column(Bench.fixed(seconds.first! * 1e3, 1) + "–" + Bench.fixed(seconds.last! * 1e3, 1), 17)
              + Bench.column(Bench.fixed(Double(size) / median / 1e6, 1), 9)
              + Bench.column(Bench.fixed(median * 1e9 / Double(docs), 0), 9)
              + (sink == 42 ? " " : ""))
    }

    static func megabytes(_ bytes: Int) -> String { Bench.fixed(Double(bytes) / 1e6, 1) }
}

