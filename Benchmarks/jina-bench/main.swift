// Micro-benchmarks. Run in release: swift run -c release jina-bench json
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "json":
    JSONBenchmark.run(quick: arguments.contains("--quick"))
default:
    print("usage: jina-bench json [--quick]")
    print("  json   JinaWire's JSON parse/write against Foundation's JSONSerialization and JSONDecoder/JSONEncoder")
    exit(arguments.isEmpty ? 0 : 2)
}
