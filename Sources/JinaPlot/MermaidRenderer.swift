/// Mermaid `flowchart` text in the spirit of Jina 3's `Flow.plot`: gateway start and end,
/// executors as teal nodes, sharded executors as subgraphs of shards with head/tail.
struct MermaidRenderer {
    let direction: PlotDirection

    func render(_ model: PlotModel) -> String {
        var out: [String] = []
        out.append(##"%%{init: {"theme": "base", "themeVariables": {"primaryColor": "#32C8CD", "edgeLabelBackground": "#fff", "clusterBkg": "#F0FAFA", "clusterBorder": "#009999"}}}%%"##)
        out.append("flowchart \(direction == .leftToRight ? "LR" : "TD")")
        out.append("    \(model.gatewayStartID)([\"gateway\"]):::gateway")
        for executor in model.executors {
            let style = executor.remote == nil ? "executor" : "remote"
            guard executor.isGroup else {
                out.append("    \(executor.id)[\(label([executor.name] + executor.details))]:::\(style)")
                continue
            }
            // Edges reach the subgraph as a whole; inside, the head feeds every shard and every shard the tail.
            out.append("    subgraph \(executor.id)[\(label(executor.groupTitle))]")
            for part in executor.parts {
                out.append("        \(part.id)[\(label(part.label))]:::\(part.isHeadOrTail ? "headtail" : style)")
            }
            for edge in executor.innerEdges { out.append("        \(edge.from) --> \(edge.to)") }
            out.append("    end")
        }
        out.append("    \(model.gatewayEndID)([\"gateway\"]):::gateway")
        for edge in model.edges {
            out.append("    \(model.id(of: edge.from)) --> \(model.id(of: edge.to))")
        }
        out.append("    classDef gateway fill:#6E7278,stroke:#4D5157,color:#fff")
        out.append("    classDef executor fill:#32C8CD,stroke:#009999,color:#000")
        out.append("    classDef remote fill:#fff,stroke:#009999,stroke-dasharray:5 5,color:#000")
        out.append("    classDef headtail fill:#FFCC66,stroke:#C99A2E,color:#000")
        return out.joined(separator: "\n") + "\n"
    }

    /// A quoted label, one line per item.
    private func label(_ lines: [String]) -> String {
        "\"" + lines.map(Escape.mermaid).joined(separator: "<br/>") + "\""
    }
}
