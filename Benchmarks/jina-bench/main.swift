// Micro-benchmarks. Run in release: swift run -c release jina-bench json
// The indexer benchmark runs the release jina beside it: swift build -c release && .build/release/jina-bench indexer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "json":
    JSONBenchmark.run(quick: arguments.contains("--quick"))
case "indexer":
    IndexerBenchmark.run(Array(arguments.dropFirst()))
default:
    print("usage: jina-bench json [--quick]")
    print("       jina-bench indexer [--docs N] [--dim D] [--runs R] [--queries Q] [--keep DIR] [--quick]")
    print("  json      JinaWire's JSON parse/write against Foundation's JSONSerialization and JSONDecoder/JSONEncoder")
    print("  indexer   the VectorIndexer through the release jina: index throughput, query time, size, load time")
    exit(arguments.isEmpty ? 0 : 2)
}
