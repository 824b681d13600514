import JinaConfig

/// Draws a validated Flow graph in one of the `PlotFormat`s.
public struct FlowPlotter: Sendable {
    public var direction: PlotDirection

    public init(direction: PlotDirection = .leftToRight) {
        self.direction = direction
    }

    public func render(_ graph: FlowGraph, as format: PlotFormat) -> String {
        let model = PlotModel(graph)
        switch format {
        case .mermaid: return MermaidRenderer(direction: direction).render(model)
        case .dot: return DOTRenderer(direction: direction).render(model)
        case .svg: return SVGRenderer(direction: direction).render(model)
        }
    }
}
