// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "jina",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "jina", targets: ["jina"]),
        .library(name: "JinaConfig", targets: ["JinaConfig"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Used directly by the gateway (they also come with Hummingbird).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // CSV inputs, read as a stream (SwiftCSV parses a whole string in memory).
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // gRPC (Jina's default client protocol): messages generated once from Protos/ and committed.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        // WebSocket (Jina 3's third protocol) on the same Hummingbird server.
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        // TLS on the gateways (`--ssl-certfile`) and in the clients (`https://`, `grpcs://`, `wss://`).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // libyaml from the system (apt: libyaml-dev); see Sources/CLibYAML/module.modulemap.
        .systemLibrary(name: "CLibYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // YAML nodes with marks, substitution, typed Flow/Executor configs, diagnostics, FlowGraph.
        .target(name: "JinaConfig", dependencies: ["CLibYAML", "JinaWire"]),
        // Documents, the JSON they travel as, and the executor protocol's frames. Foundation-free
        // where possible, so a Swift executor SDK can depend on it alone.
        .target(name: "JinaWire"),
        // Jina's and docarray's protobuf messages (generated from Protos/ by scripts/generate-protos.sh)
        // and their conversion to and from the JSON documents the Flow carries.
        .target(name: "JinaProto", dependencies: ["JinaWire", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                exclude: ["Generated/README.md"]),
        // SQLite from the system (apt: libsqlite3-dev): the vector indexer's storage.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // fork/exec with a parent-death signal, a new process group and closed fds (Glibc in
        // Swift lacks pipe2, prctl and close_range).
        .target(name: "CJinaSpawn"),
        // The indexer's AVX2/FMA kernels, chosen at run time (the binary stays generic x86-64).
        .target(name: "CJinaVector"),
        // The executor side: the host that serves one executor over the protocol, the built-ins
        // (the vector indexer on SQLite), the Swift executor protocol, the Python host launcher.
        .target(name: "JinaExecutor", dependencies: ["JinaConfig", "JinaWire", "CSQLite", "CJinaSpawn", "CJinaVector"]),
        // The Flow side: supervisor, worker state machine, router, FlowRuntime (a FlowService).
        .target(name: "JinaRuntime", dependencies: ["JinaConfig", "JinaWire", "JinaExecutor", "CJinaSpawn"]),
        // The Jina-compatible gateways in front of a running Flow: HTTP and WebSocket (Hummingbird 2
        // on SwiftNIO), gRPC (grpc-swift 2).
        .target(name: "JinaGateway", dependencies: [
            "JinaWire", "JinaProto",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // An HTTP/1.1 keep-alive client and a WebSocket client for a Flow's gateway (plain sockets,
        // TLS optional), a gRPC client, and readiness probes.
        .target(name: "JinaClient", dependencies: [
            "JinaWire", "JinaProto",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            // TLS for the HTTP client's own sockets: NIOSSL's handler in an EmbeddedChannel.
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOTLS", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // A Flow as containers: docker-compose and Kubernetes renderings (`jina export`).
        .target(name: "JinaDeploy", dependencies: ["JinaConfig", "JinaWire"]),
        // SVG, Mermaid and DOT renderings of a FlowGraph.
        .target(name: "JinaPlot", dependencies: ["JinaConfig"]),
        // One file per subcommand; parses arguments and calls the libraries.
        .target(name: "JinaCLI", dependencies: [
            "JinaConfig", "JinaPlot", "JinaDeploy", "JinaExecutor", "JinaRuntime", "JinaWire", "JinaGateway", "JinaClient",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "CSV", package: "CSV.swift"),
        ]),
        // Release on Linux: every process of a Flow maps this one binary, so its pages are what a
        // Flow costs. Linked by lld as a position-dependent executable (no start-up relocations
        // that copy ~1.3 MB of pages into each process) exporting no symbols (the runtime's
        // `-export-dynamic` puts 54,000 in tables the loader reads). docs/architecture.md.
        .executableTarget(name: "jina", dependencies: ["JinaCLI"], linkerSettings: [
            .unsafeFlags(["-use-ld=lld", "-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic"],
                         .when(platforms: [.linux], configuration: .release)),
        ]),
        // Benchmarks (JSON, indexer, Flows against Python Jina): Benchmarks/run
        // The seeded generator fuzz tests and benchmark inputs share.
        .target(name: "SeededRandom"),
        .executableTarget(name: "jina-bench", dependencies: ["JinaWire", "JinaClient", "SeededRandom"], path: "Benchmarks/jina-bench"),
        .testTarget(name: "JinaConfigTests", dependencies: ["JinaConfig", "SeededRandom"], exclude: ["Fixtures"]),
        .testTarget(name: "JinaWireTests", dependencies: ["JinaWire", "SeededRandom"]),
        .testTarget(name: "JinaProtoTests", dependencies: ["JinaProto", "JinaWire", "SeededRandom"]),
        .testTarget(name: "JinaGatewayTests", dependencies: ["JinaGateway", "JinaClient", "JinaProto", "SeededRandom",
                                                          .product(name: "NIOPosix", package: "swift-nio")]),
        .testTarget(name: "JinaExecutorTests", dependencies: ["JinaExecutor", "JinaWire"]),
        .testTarget(name: "JinaRuntimeTests", dependencies: ["JinaRuntime", "JinaConfig", "JinaWire"]),
        .testTarget(name: "JinaClientTests", dependencies: ["JinaClient"]),
        .testTarget(name: "JinaDeployTests", dependencies: ["JinaDeploy", "JinaConfig", "JinaWire"]),
        .testTarget(name: "JinaPlotTests", dependencies: ["JinaPlot", "JinaConfig", "SeededRandom"], resources: [.copy("Golden")]),
        .testTarget(name: "EndToEndTests", dependencies: ["jina", "SeededRandom"]),
    ]
)
