import JinaConfig

/// A standalone SVG 1.1 drawing of the Flow, laid out by `LayeredLayout`: no external tools, no
/// network, and the same bytes for the same graph (no randomness, no dates).
///
/// Every node is `<g class="node" id="node-<id>">` and every edge `<path class="edge" data-from="…"
/// data-to="…">` (names as in the Flow), so tests and people can find them.
struct SVGRenderer {
    let direction: PlotDirection

    private let margin = 24.0
    private let titleHeight = 34.0
    /// Text widths are estimated, not measured: names are bold sans-serif at 13px (~0.64em per
    /// character, generous), details monospace at 12px (0.6em).
    private let nameCharWidth = 8.3
    private let detailCharWidth = 7.2
    private let titleCharWidth = 9.6
    private let cardPadding = 14.0
    private let stackOffset = 5.0

    func render(_ model: PlotModel) -> String {
        let boxes = [Box.gateway(id: model.gatewayStartID)]
            + model.executors.map { Box.executor($0, self) }
            + [Box.gateway(id: model.gatewayEndID)]
        var indexByName = [FlowGraph.gateway: 0, FlowGraph.gatewayEnd: boxes.count - 1]
        for (i, executor) in model.executors.enumerated() { indexByName[executor.name] = i + 1 }
        let edges = model.edges.compactMap { edge -> (from: Int, to: Int)? in
            guard let from = indexByName[edge.from], let to = indexByName[edge.to] else { return nil }
            return (from, to)
        }
        let layout = LayeredLayout(direction: direction)
            .layout(nodes: boxes.map(\.layoutNode), edges: edges, first: 0, last: boxes.count - 1)

        let left = margin, top = margin + titleHeight
        let width = max(layout.width, Double(model.title.count) * titleCharWidth) + 2 * margin
        let height = layout.height + top + margin
        var out: [String] = []
        out.append(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        out.append(#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\#(num(width))" height="\#(num(height))" viewBox="0 0 \#(num(width)) \#(num(height))">"#)
        out.append("<title>\(Escape.xml(model.title))</title>")
        out.append(Self.defs)
        out.append(#"<rect class="background" x="0" y="0" width="\#(num(width))" height="\#(num(height))"/>"#)
        out.append(#"<text class="title" x="\#(num(margin))" y="\#(num(margin + 16))">\#(Escape.xml(model.title))</text>"#)

        // Edges first, so boxes cover the ends that go under a stack of cards.
        var edgeIndex = 0
        for edge in model.edges where indexByName[edge.from] != nil && indexByName[edge.to] != nil {
            let route = layout.routes[edgeIndex]
            edgeIndex += 1
            out.append(#"<path class="edge" data-from="\#(Escape.xml(edge.from))" data-to="\#(Escape.xml(edge.to))" d="\#(pathData(route, dx: left, dy: top))"/>"#)
        }
        for (box, frame) in zip(boxes, layout.frames) {
            out.append(contentsOf: box.svg(x: frame.x + left, y: frame.y + top, self))
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    private static let defs = """
        <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto">
        <path d="M0,0 L10,5 L0,10 z" fill="#7C848C"/>
        </marker>
        <style type="text/css">
        .background { fill: #FFFFFF; }
        .title { font: bold 15px Helvetica, Arial, 'DejaVu Sans', sans-serif; fill: #1F2933; }
        .edge { fill: none; stroke: #7C848C; stroke-width: 1.5; marker-end: url(#arrow); }
        .gateway rect { fill: #6E7278; stroke: #4D5157; stroke-width: 1; }
        .gateway text { font: bold 13px Helvetica, Arial, 'DejaVu Sans', sans-serif; fill: #FFFFFF; text-anchor: middle; }
        .card { fill: #E4F7F8; stroke: #1FA3A8; stroke-width: 1.5; }
        .card.behind { fill: #C4ECEE; }
        .remote .card { fill: #FFFFFF; stroke-dasharray: 5 3; }
        .name { font: bold 13px Helvetica, Arial, 'DejaVu Sans', sans-serif; fill: #0B3B3D; }
        .detail { font: 12px 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace; fill: #37575A; }
        .detail.hook { fill: #8A5A00; }
        </style>
        </defs>
        """

    /// `M x,y L x,y C x,y x,y x,y …`, shifted by the margins.
    private func pathData(_ route: LayeredLayout.Route, dx: Double, dy: Double) -> String {
        let p = { (point: LayeredLayout.Point) in "\(num(point.x + dx)),\(num(point.y + dy))" }
        var parts = ["M" + p(route.start)]
        for segment in route.segments {
            switch segment {
            case .line(let to): parts.append("L" + p(to))
            case .curve(let c1, let c2, let to): parts.append("C" + [c1, c2, to].map(p).joined(separator: " "))
            }
        }
        return parts.joined(separator: " ")
    }

    /// Rounded to a tenth, without a trailing `.0`: short, and identical on every platform.
    fileprivate func num(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }

    /// Long `uses` (an `exec://` command line) would make huge boxes; the full text stays in the tooltip.
    fileprivate func truncated(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// One node's drawing: a gateway pill or an executor card (a stack of cards when sharded).
    private struct Box {
        enum Kind { case gateway, executor, remote }
        struct Line {
            var text: String
            var isHook = false
        }

        var id: String
        var kind: Kind
        var name: String
        var lines: [Line]
        var tooltip: String
        var cardWidth: Double
        var cardHeight: Double
        /// Cards drawn behind the front one (0 unless sharded).
        var cardsBehind: Int
        var stackOffset: Double

        var layoutNode: LayeredLayout.Node {
            let extra = Double(cardsBehind) * stackOffset
            // The front card sits top-left; the cards behind peek out down-right, where edges leave.
            return LayeredLayout.Node(width: cardWidth + extra, height: cardHeight + extra,
                                      anchor: LayeredLayout.Rect(x: 0, y: 0, width: cardWidth, height: cardHeight))
        }

        static func gateway(id: String) -> Box {
            Box(id: id, kind: .gateway, name: "gateway", lines: [], tooltip: "gateway",
                cardWidth: 96, cardHeight: 34, cardsBehind: 0, stackOffset: 0)
        }

        static func executor(_ executor: PlotModel.Executor, _ renderer: SVGRenderer) -> Box {
            let name = renderer.truncated(executor.name, 40)
            var lines = [Line(text: executor.uses)]
            lines += [executor.scale, executor.polling].compactMap { $0 }.map { Line(text: $0) }
            lines += [executor.usesBefore, executor.usesAfter].compactMap { $0 }.map { Line(text: $0, isHook: true) }
            lines += [executor.remote].compactMap { $0 }.map { Line(text: $0) }
            lines = lines.map { Line(text: renderer.truncated($0.text, 48), isHook: $0.isHook) }
            let textWidth = max(Double(name.count) * renderer.nameCharWidth,
                                lines.map { Double($0.text.count) * renderer.detailCharWidth }.max() ?? 0)
            return Box(id: executor.id, kind: executor.remote == nil ? .executor : .remote, name: name, lines: lines,
                       tooltip: ([executor.name] + executor.details).joined(separator: "\n"),
                       cardWidth: max(120, (textWidth + 2 * renderer.cardPadding).rounded(.up)),
                       cardHeight: 10 + 18 + 16 * Double(lines.count) + 8,
                       cardsBehind: min(executor.shards, 3) - 1, stackOffset: renderer.stackOffset)
        }

        func svg(x: Double, y: Double, _ r: SVGRenderer) -> [String] {
            let n = r.num
            var out: [String] = []
            let kindClass = kind == .gateway ? "gateway" : kind == .remote ? "executor remote" : "executor"
            out.append(#"<g class="node" id="node-\#(id)" data-kind="\#(kindClass)">"#)
            out.append("<title>\(Escape.xml(tooltip))</title>")
            out.append(#"<g class="\#(kindClass)">"#)
            if kind == .gateway {
                out.append(#"<rect x="\#(n(x))" y="\#(n(y))" width="\#(n(cardWidth))" height="\#(n(cardHeight))" rx="\#(n(cardHeight / 2))"/>"#)
                out.append(#"<text x="\#(n(x + cardWidth / 2))" y="\#(n(y + cardHeight / 2 + 4.5))">gateway</text>"#)
            } else {
                for depth in stride(from: cardsBehind, to: 0, by: -1) {
                    let offset = Double(depth) * stackOffset
                    out.append(#"<rect class="card behind" x="\#(n(x + offset))" y="\#(n(y + offset))" width="\#(n(cardWidth))" height="\#(n(cardHeight))" rx="6"/>"#)
                }
                out.append(#"<rect class="card" x="\#(n(x))" y="\#(n(y))" width="\#(n(cardWidth))" height="\#(n(cardHeight))" rx="6"/>"#)
                let textX = n(x + r.cardPadding)
                out.append(#"<text class="name" x="\#(textX)" y="\#(n(y + 24))">\#(Escape.xml(name))</text>"#)
                for (i, line) in lines.enumerated() {
                    let style = line.isHook ? "detail hook" : "detail"
                    out.append(#"<text class="\#(style)" x="\#(textX)" y="\#(n(y + 40 + 16 * Double(i)))">\#(Escape.xml(line.text))</text>"#)
                }
            }
            out.append("</g>")
            out.append("</g>")
            return out
        }
    }
}
