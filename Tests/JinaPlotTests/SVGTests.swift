import Foundation
import JinaConfig
@testable import JinaPlot
import Testing

/// Structural checks of the SVG: parsed back as XML, every node and edge is there, boxes do not
/// overlap, edges run from box to box without crossing any other box, and layers read in order.
struct SVGTests {
    static let flows: [(name: String, make: @Sendable () throws -> FlowGraph)] = [
        ("chain4", Flows.chain4), ("fan-in", Flows.fanIn), ("sharded", Flows.sharded), ("mixed", Flows.mixed),
        ("random-30", Flows.random30), ("wide-30", Flows.wide30), ("chain-30", Flows.chain30),
    ]

    @Test("SVG is sound, complete and without overlaps", arguments: flows.map(\.name), [PlotDirection.leftToRight, .topToBottom])
    func structure(flow: String, direction: PlotDirection) throws {
        let graph = try Self.flows.first { $0.name == flow }!.make()
        let svg = FlowPlotter(direction: direction).render(graph, as: .svg)
        let document = try SVGDocument(svg)

        // A standalone SVG 1.1 document with its size.
        #expect(document.root.name == "svg")
        #expect(document.root.uri == "http://www.w3.org/2000/svg")
        #expect(document.root.attribute("version") == "1.1")
        #expect(document.width > 0 && document.height > 0)
        #expect(document.viewBox == [0, 0, document.width, document.height])

        // Both gateway nodes and every executor, once each.
        let expectedIDs = ["node-gateway", "node-gateway_END"] + graph.executors.map { "node-" + sanitized($0.name) }
        #expect(document.nodes.map(\.id).sorted() == expectedIDs.sorted())

        // Every edge of the graph, once.
        #expect(document.edges.map { "\($0.from) → \($0.to)" }.sorted() == graph.edges.map { "\($0.from) → \($0.to)" }.sorted())

        for (i, a) in document.nodes.enumerated() {
            #expect(a.box.minX >= 0 && a.box.minY >= 0 && a.box.maxX <= document.width && a.box.maxY <= document.height,
                    "\(a.id) lies outside the picture")
            for b in document.nodes[(i + 1)...] {
                #expect(!a.box.overlaps(b.box), "\(a.id) overlaps \(b.id)")
            }
        }

        let isLR = direction == .leftToRight
        for edge in document.edges {
            let source = try #require(document.box(nodeID(edge.from)), "no node for \(edge.from)")
            let target = try #require(document.box(nodeID(edge.to)), "no node for \(edge.to)")
            // Downstream is always further along: the layers read in order.
            #expect(isLR ? source.maxX < target.minX : source.maxY < target.minY, "\(edge.from) → \(edge.to) goes backwards")
            // The edge leaves its source and its arrowhead touches the target's leading side.
            let start = edge.route.start, end = edge.route.end
            #expect(start.x >= source.minX && start.x <= source.maxX && start.y >= source.minY && start.y <= source.maxY,
                    "\(edge.from) → \(edge.to) does not start at its source")
            if isLR {
                #expect(abs(end.x - target.minX) < 0.11 && end.y > target.minY && end.y < target.maxY,
                        "\(edge.from) → \(edge.to) does not end at its target")
            } else {
                #expect(abs(end.y - target.minY) < 0.11 && end.x > target.minX && end.x < target.maxX,
                        "\(edge.from) → \(edge.to) does not end at its target")
            }
            // It passes around every other box.
            let others = document.nodes.filter { $0.id != nodeID(edge.from) && $0.id != nodeID(edge.to) }
            for point in edge.route.samples() {
                if let hit = others.first(where: { $0.box.contains(point, margin: 1) }) {
                    Issue.record("\(edge.from) → \(edge.to) crosses \(hit.id) at (\(point.x), \(point.y))")
                    break
                }
            }
        }

        // The gateway's start alone in the first layer, its end alone in the last.
        let start = try #require(document.box("node-gateway"))
        let end = try #require(document.box("node-gateway_END"))
        for node in document.nodes where node.id != "node-gateway" && node.id != "node-gateway_END" {
            #expect(isLR ? start.maxX < node.box.minX : start.maxY < node.box.minY, "\(node.id) is beside the gateway start")
            #expect(isLR ? node.box.maxX < end.minX : node.box.maxY < end.minY, "\(node.id) is beside the gateway end")
        }
    }

    @Test("a chain reads along the direction; a wide fan-out stacks across it")
    func proportions() throws {
        let chain = try Flows.chain30(), wide = try Flows.wide30()
        let chainLR = try SVGDocument(FlowPlotter().render(chain, as: .svg))
        let chainTB = try SVGDocument(FlowPlotter(direction: .topToBottom).render(chain, as: .svg))
        let wideLR = try SVGDocument(FlowPlotter().render(wide, as: .svg))
        #expect(chainLR.width > 5 * chainLR.height)
        #expect(chainTB.height > 5 * chainTB.width)
        #expect(wideLR.height > wideLR.width)
        // A straight chain is drawn straight: all boxes centred on one line.
        let centres = Set(chainLR.nodes.map { Int((($0.box.minY + $0.box.maxY) / 2).rounded()) })
        #expect(centres.count == 1, "chain centres at \(centres.sorted())")
    }

    @Test("a sharded executor is a stack of cards, labelled with its name in bold and its facts")
    func shardedCard() throws {
        let document = try SVGDocument(FlowPlotter().render(try Flows.mixed(), as: .svg))
        let group = try #require(SVGDocument.descendants(of: document.root).first { $0.attribute("id") == "node-p3" })
        let elements = SVGDocument.descendants(of: group)
        #expect(elements.filter { $0.name == "rect" }.count == 3)
        let texts = elements.filter { $0.name == "text" }
        #expect(texts.first?.stringValue == "p3")
        #expect(texts.first?.attribute("class") == "name")
        #expect(texts.map { $0.stringValue ?? "" } == ["p3", "Encoder", "3 shards × 1 replica", "polling: ALL",
                                                       "uses_before: SplitBatch", "uses_after: MergeShards"])
        let single = try #require(SVGDocument.descendants(of: document.root).first { $0.attribute("id") == "node-p1" })
        #expect(SVGDocument.descendants(of: single).filter { $0.name == "rect" }.count == 1)
    }

    @Test("the same graph gives the same bytes")
    func deterministic() throws {
        let first = FlowPlotter().render(try Flows.random30(), as: .svg)
        let second = FlowPlotter().render(try Flows.random30(), as: .svg)
        #expect(first == second)
        #expect(!first.contains("nan") && !first.contains("inf"))
    }

    private func nodeID(_ name: String) -> String {
        "node-" + sanitized(name)
    }
}

/// The rule the plots use for identifiers: every character outside `[A-Za-z0-9_]` becomes `_`.
func sanitized(_ name: String) -> String {
    String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
}
