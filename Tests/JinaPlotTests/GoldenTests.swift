import Foundation
import JinaConfig
@testable import JinaPlot
import Testing

/// Mermaid and DOT output of representative flows, compared byte for byte with `Golden/`.
/// After an intended change, regenerate with `JINA_UPDATE_GOLDEN=1 swift test --filter JinaPlotTests`
/// and review the diff.
struct GoldenTests {
    static let flows: [(name: String, make: @Sendable () throws -> FlowGraph)] = [
        ("chain4", Flows.chain4), ("fan-in", Flows.fanIn), ("sharded", Flows.sharded), ("mixed", Flows.mixed),
    ]

    @Test("Mermaid output matches the golden file", arguments: flows.map(\.name))
    func mermaid(flow: String) throws {
        let graph = try Self.flows.first { $0.name == flow }!.make()
        try compare(FlowPlotter().render(graph, as: .mermaid), golden: "\(flow).mmd")
    }

    @Test("DOT output matches the golden file", arguments: flows.map(\.name))
    func dot(flow: String) throws {
        let graph = try Self.flows.first { $0.name == flow }!.make()
        try compare(FlowPlotter().render(graph, as: .dot), golden: "\(flow).dot")
    }

    @Test("top-to-bottom Mermaid and DOT match the golden files")
    func vertical() throws {
        let plotter = FlowPlotter(direction: .topToBottom)
        try compare(plotter.render(try Flows.mixed(), as: .mermaid), golden: "mixed-vertical.mmd")
        try compare(plotter.render(try Flows.mixed(), as: .dot), golden: "mixed-vertical.dot")
    }

    private func compare(_ actual: String, golden file: String) throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Golden").appendingPathComponent(file)
        if ProcessInfo.processInfo.environment["JINA_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: source, atomically: true, encoding: .utf8)
            return
        }
        let name = (file as NSString).deletingPathExtension, ext = (file as NSString).pathExtension
        let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Golden") ?? source
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("no golden file \(file); create it with JINA_UPDATE_GOLDEN=1")
            return
        }
        #expect(actual == expected, "\(file) differs from the golden file; if intended, regenerate with JINA_UPDATE_GOLDEN=1")
    }
}
