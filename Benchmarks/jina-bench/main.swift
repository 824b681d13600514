// Micro-benchmarks. Run in release: swift run -c release jina-bench json
// The indexer and flows benchmarks run the release jina beside it: Benchmarks/run does it all.
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Line by line even into a pipe (Benchmarks/run tees the output), so progress shows as it happens.
setlinebuf(Glibc.stdout)
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "json":
    JSONBenchmark.run(quick: arguments.contains("--quick"))
case "indexer":
    IndexerBenchmark.run(Array(arguments.dropFirst()))
case "flows":
    FlowBenchmark.run(Array(arguments.dropFirst()))
case "faults":
    FaultBenchmark.run(Array(arguments.dropFirst()))
case "served":
    ServedBenchmark.run(Array(arguments.dropFirst()))
case "retrieval":
    RetrievalBenchmark.run(Array(arguments.dropFirst()))
default:
    print("usage: jina-bench json [--quick]")
    print("       jina-bench indexer [--docs N] [--dim D] [--runs R] [--queries Q] [--keep DIR] [--quick]")
    print(FlowBenchmark.usage.replacingOccurrences(of: "usage: ", with: "       "))
    print(FaultBenchmark.usage.replacingOccurrences(of: "usage: ", with: "       "))
    print(ServedBenchmark.usage.replacingOccurrences(of: "usage: ", with: "       "))
    print(RetrievalBenchmark.usage.replacingOccurrences(of: "usage: ", with: "       "))
    print("  json      JinaWire's JSON parse/write against Foundation's JSONSerialization and JSONDecoder/JSONEncoder")
    print("  indexer   the VectorIndexer through the release jina: index throughput, query time, size, load time")
    print("  flows     Flows of trivial executors (and the hello demo) through the release jina, and Python Jina with")
    print("            --python-jina VENV: start-up, shutdown, throughput, latency, memory; then the roofline")
    print("  served    latency and throughput of a Flow already served on 127.0.0.1:PORT (Benchmarks/containers)")
    print("  retrieval search quality (MRR@10, top-1) of the hashed encoder, TextIndexer's BM25 and their fusion on 264")
    print("            questions over the hello corpus, with rank-bm25 from PyPI as the reference (--no-reference: without)")
    print("  faults    a served chain whose middle executor is killed every Kth call: answered, failed, retries, restarts")
    exit(arguments.isEmpty ? 0 : 2)
}
