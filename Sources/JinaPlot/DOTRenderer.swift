/// Graphviz DOT text: gateway start and end as ellipses, executors as boxes with one line per
/// fact, a sharded executor as a `cluster_<id>` holding its shards and head/tail.
struct DOTRenderer {
    let direction: PlotDirection

    func render(_ model: PlotModel) -> String {
        var out: [String] = []
        out.append("digraph flow {")
        out.append("    rankdir=\(direction == .leftToRight ? "LR" : "TB");")
        // compound: edges may end at a cluster's border (lhead/ltail) instead of at one shard.
        out.append("    compound=true;")
        out.append("    label=\(quoted(model.title)); labelloc=t; fontname=\"Helvetica\"; fontsize=14;")
        out.append("    node [shape=box, style=\"rounded,filled\", fillcolor=\"#32C8CD\", color=\"#009999\", fontname=\"Helvetica\", fontsize=11];")
        out.append("    edge [color=\"#6E7278\", arrowsize=0.8];")
        out.append("    \(quoted(model.gatewayStartID)) [\(gatewayAttributes)];")
        for executor in model.executors {
            let style = executor.remote == nil ? "" : ", style=\"rounded,filled,dashed\", fillcolor=\"white\""
            guard executor.isGroup else {
                out.append("    \(quoted(executor.id)) [label=\(quoted([executor.name] + executor.details))\(style)];")
                continue
            }
            out.append("    subgraph \(quoted("cluster_" + executor.id)) {")
            out.append("        label=\(quoted(executor.groupTitle));")
            out.append("        style=\"rounded,filled\"; fillcolor=\"#F0FAFA\"; color=\"#009999\";")
            for part in executor.parts {
                let attributes = part.isHeadOrTail ? ", \(headTailAttributes)" : style
                out.append("        \(quoted(part.id)) [label=\(quoted(part.label))\(attributes)];")
            }
            for edge in executor.innerEdges { out.append("        \(quoted(edge.from)) -> \(quoted(edge.to));") }
            out.append("    }")
        }
        out.append("    \(quoted(model.gatewayEndID)) [\(gatewayAttributes)];")
        for edge in model.edges {
            let from = model.executor(named: edge.from)
            let to = model.executor(named: edge.to)
            var attributes: [String] = []
            if let from, from.isGroup { attributes.append("ltail=\(quoted("cluster_" + from.id))") }
            if let to, to.isGroup { attributes.append("lhead=\(quoted("cluster_" + to.id))") }
            let suffix = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
            let fromNode = from.map(exitNode) ?? model.id(of: edge.from)
            let toNode = to.map(entryNode) ?? model.id(of: edge.to)
            out.append("    \(quoted(fromNode)) -> \(quoted(toNode))\(suffix);")
        }
        out.append("}")
        return out.joined(separator: "\n") + "\n"
    }

    private let gatewayAttributes = "label=\"gateway\", shape=ellipse, style=filled, fillcolor=\"#6E7278\", color=\"#4D5157\", fontcolor=\"white\""
    private let headTailAttributes = "fillcolor=\"#FFCC66\", color=\"#C99A2E\""

    /// The node an edge into this executor points at: its head, else its middle shard (clipped at the cluster).
    private func entryNode(_ executor: PlotModel.Executor) -> String {
        guard executor.isGroup else { return executor.id }
        return executor.headID ?? executor.shardIDs[executor.shardIDs.count / 2]
    }

    /// The node an edge out of this executor starts at: its tail, else its middle shard.
    private func exitNode(_ executor: PlotModel.Executor) -> String {
        guard executor.isGroup else { return executor.id }
        return executor.tailID ?? executor.shardIDs[executor.shardIDs.count / 2]
    }

    private func quoted(_ text: String) -> String {
        "\"" + Escape.dot(text) + "\""
    }

    /// A multi-line label: one centred line per item.
    private func quoted(_ lines: [String]) -> String {
        "\"" + lines.map(Escape.dot).joined(separator: "\\n") + "\""
    }
}
