import Foundation
import JinaConfig
@testable import JinaPlot
import Testing

/// What every format must show, identifiers, escaping, direction, and the format names.
struct RenderingTests {
    /// Every feature a plot must show, once each.
    static func everything() throws -> FlowGraph {
        try makeFlow("everything.yml", [
            TestExecutor("fetch-docs", needs: ["gateway"], uses: "Fetcher", remote: ("10.0.0.5", 8080)),
            TestExecutor("encode", needs: ["fetch-docs"], shards: 3, replicas: 2, polling: .all,
                         uses: "exec://./enc.py --dim 128", usesBefore: "SplitBatch", usesAfter: "MergeShards"),
            TestExecutor("index", needs: ["encode"], replicas: 2, polling: .all, uses: "SimpleIndexer"),
        ])
    }

    @Test("every format shows gateway start and end, executors, uses, scale, polling, hooks and remotes",
          arguments: PlotFormat.allCases)
    func showsEverything(format: PlotFormat) throws {
        let text = FlowPlotter().render(try Self.everything(), as: format)
        for fact in ["fetch-docs", "Fetcher", "remote: 10.0.0.5:8080", "encode", "exec://./enc.py --dim 128",
                     "3 shards × 2 replicas", "polling: ALL", "uses_before: SplitBatch", "uses_after: MergeShards",
                     "index", "SimpleIndexer", "1 shard × 2 replicas"] {
            #expect(text.contains(fact), "\(format) does not show \(fact)")
        }
        // Polling only matters with shards.
        let unsharded = try makeFlow("unsharded.yml", [TestExecutor("index", needs: ["gateway"], replicas: 2, polling: .all)])
        #expect(!FlowPlotter().render(unsharded, as: format).contains("polling"))
        let gatewayLabel = switch format {
        case .mermaid: #"(["gateway"])"#
        case .dot: #"label="gateway""#
        case .svg: ">gateway</text>"
        }
        #expect(text.components(separatedBy: gatewayLabel).count - 1 == 2, "\(format) should draw two gateway nodes")
    }

    @Test("a sharded executor is a Mermaid subgraph with a node per shard and head/tail nodes")
    func mermaidShards() throws {
        let text = FlowPlotter().render(try Self.everything(), as: .mermaid)
        #expect(text.contains(#"subgraph encode["encode<br/>3 shards × 2 replicas<br/>polling: ALL"]"#))
        for shard in 0..<3 {
            #expect(text.contains(#"encode_shard_\#(shard)["encode/shard-\#(shard)<br/>exec://./enc.py --dim 128<br/>2 replicas"]"#))
            #expect(text.contains("encode_head --> encode_shard_\(shard)"))
            #expect(text.contains("encode_shard_\(shard) --> encode_tail"))
        }
        #expect(text.contains("fetch_docs --> encode\n") && text.contains("encode --> index\n"))
        #expect(text.contains(#"fetch_docs["fetch-docs<br/>Fetcher<br/>remote: 10.0.0.5:8080"]:::remote"#))
    }

    @Test("a sharded executor is a DOT cluster; edges end at its border")
    func dotShards() throws {
        let text = FlowPlotter().render(try Self.everything(), as: .dot)
        #expect(text.contains(#"subgraph "cluster_encode" {"#))
        #expect(text.contains(#""fetch_docs" -> "encode_head" [lhead="cluster_encode"];"#))
        #expect(text.contains(#""encode_tail" -> "index" [ltail="cluster_encode"];"#))
        #expect(text.contains(#""encode_shard_1" [label="encode/shard-1\nexec://./enc.py --dim 128\n2 replicas""#))
    }

    @Test("Mermaid identifiers are safe whatever the executor names")
    func mermaidIdentifiers() throws {
        let graph = try makeFlow("names.yml", [
            TestExecutor("pre-process", needs: ["gateway"]),
            TestExecutor("end", needs: ["pre-process"]),
            TestExecutor("my exec.v2", needs: ["end"], shards: 2),
            TestExecutor("my_exec_v2", needs: ["my exec.v2"]),
        ])
        let text = FlowPlotter().render(graph, as: .mermaid)
        var ids: [String] = []
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("%%") || line.hasPrefix("flowchart") || line.hasPrefix("classDef") || line == "end" { continue }
            if line.contains(" --> ") {
                ids += line.components(separatedBy: " --> ")
            } else {
                let body = line.hasPrefix("subgraph ") ? String(line.dropFirst("subgraph ".count)) : line
                ids.append(String(body.prefix { $0 != "[" && $0 != "(" }))
            }
        }
        #expect(!ids.isEmpty)
        for id in ids {
            #expect(id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } && !id.isEmpty, "unsafe id \(id)")
            #expect(id != "end", "`end` closes a subgraph in Mermaid")
        }
        // Two different executors never share an identifier.
        #expect(text.contains(#"my_exec_v2["my exec.v2"#) && text.contains(#"my_exec_v2_2["my_exec_v2"#))
    }

    @Test("labels are escaped in every format")
    func escaping() throws {
        let name = #"q"<a&b>#1"#
        let graph = try makeFlow("escape.yml", [TestExecutor(name, needs: ["gateway"], uses: #"exec://./run.sh "<x>""#)])
        let mermaid = FlowPlotter().render(graph, as: .mermaid)
        #expect(mermaid.contains("q#quot;#lt;a#amp;b#gt;#35;1<br/>exec://./run.sh #quot;#lt;x#gt;#quot;"))
        let dot = FlowPlotter().render(graph, as: .dot)
        #expect(dot.contains(#"label="q\"<a&b>#1\nexec://./run.sh \"<x>\"""#))
        // The SVG still parses, and its text reads back as written.
        let document = try SVGDocument(FlowPlotter().render(graph, as: .svg))
        let texts = SVGDocument.descendants(of: document.root).filter { $0.name == "text" }.compactMap(\.stringValue)
        #expect(texts.contains(name) && texts.contains(#"exec://./run.sh "<x>""#))
        #expect(document.edges.contains { $0.from == "gateway" && $0.to == name })
    }

    @Test("the direction turns the drawing")
    func direction() throws {
        let graph = try Flows.chain4()
        let vertical = FlowPlotter(direction: .topToBottom)
        #expect(FlowPlotter().render(graph, as: .mermaid).contains("\nflowchart LR\n"))
        #expect(vertical.render(graph, as: .mermaid).contains("\nflowchart TD\n"))
        #expect(FlowPlotter().render(graph, as: .dot).contains("rankdir=LR;"))
        #expect(vertical.render(graph, as: .dot).contains("rankdir=TB;"))
    }

    @Test("a Flow without executors goes from gateway to gateway")
    func empty() throws {
        let graph = try makeFlow("empty.yml", [])
        for format in PlotFormat.allCases {
            #expect(FlowPlotter().render(graph, as: format).contains("gateway"))
        }
        let document = try SVGDocument(FlowPlotter().render(graph, as: .svg))
        #expect(document.nodes.map(\.id) == ["node-gateway", "node-gateway_END"])
        #expect(document.edges.map { "\($0.from)→\($0.to)" } == ["gateway→gateway_END"])
    }

    @Test("formats from file extensions")
    func formats() {
        #expect(PlotFormat(fileExtension: "svg") == .svg)
        #expect(PlotFormat(fileExtension: ".SVG") == .svg)
        #expect(PlotFormat(fileExtension: "mmd") == .mermaid)
        #expect(PlotFormat(fileExtension: "mermaid") == .mermaid)
        #expect(PlotFormat(fileExtension: "dot") == .dot)
        #expect(PlotFormat(fileExtension: "gv") == .dot)
        #expect(PlotFormat(fileExtension: "png") == nil)
        #expect(PlotFormat(fileExtension: "") == nil)
    }
}
