import JinaConfig

/// What a plot shows of a Flow, whatever the format, so that every format tells the same story:
/// the executors with their labels, identifiers safe in every format, and the edges.
struct PlotModel {
    /// One executor as the plots describe it.
    struct Executor {
        let name: String
        /// Identifier of the executor's node (or of its group, when drawn as a group of parts).
        let id: String
        /// What it runs: `MyExecutor`, `exec://./enc.py`.
        let uses: String
        let shards: Int
        let replicas: Int
        /// `3 shards × 2 replicas`, when either is more than one.
        let scale: String?
        /// `polling: ALL`, when there are shards to poll.
        let polling: String?
        /// `uses_before: X` / `uses_after: X`.
        let usesBefore: String?
        let usesAfter: String?
        /// `remote: host:port`.
        let remote: String?
        /// Identifiers of the parts of a group: one per shard, the head (uses_before), the tail (uses_after).
        let shardIDs: [String]
        let headID: String?
        let tailID: String?

        /// Mermaid and DOT draw it as a group (subgraph/cluster) with one node per shard plus head and tail.
        var isGroup: Bool { shards > 1 || usesBefore != nil || usesAfter != nil }

        /// Everything below the name, for a single box.
        var details: [String] {
            [uses, scale, polling, usesBefore, usesAfter, remote].compactMap { $0 }
        }

        /// The title of the group: the name and what applies to all of its shards.
        var groupTitle: [String] {
            [name, scale, polling, remote].compactMap { $0 }
        }

        /// One node inside a group: the head (uses_before), a shard, or the tail (uses_after).
        struct Part {
            let id: String
            let label: [String]
            let isHeadOrTail: Bool
        }

        /// The nodes of a group in drawing order: head, shards, tail.
        var parts: [Part] {
            var parts: [Part] = []
            if let headID, let usesBefore { parts.append(Part(id: headID, label: [usesBefore], isHeadOrTail: true)) }
            for (index, shard) in shardIDs.enumerated() { parts.append(Part(id: shard, label: shardLabel(index), isHeadOrTail: false)) }
            if let tailID, let usesAfter { parts.append(Part(id: tailID, label: [usesAfter], isHeadOrTail: true)) }
            return parts
        }

        /// The edges inside a group: the head feeds every shard and every shard feeds the tail.
        var innerEdges: [(from: String, to: String)] {
            (headID.map { head in shardIDs.map { (head, $0) } } ?? []) + (tailID.map { tail in shardIDs.map { ($0, tail) } } ?? [])
        }

        /// The label of shard `index` inside the group.
        func shardLabel(_ index: Int) -> [String] {
            let title = shards > 1 ? "\(name)/shard-\(index)" : name
            return [title, uses] + (replicas > 1 ? [count(replicas, "replica")] : [])
        }
    }

    /// The plot's title: the Flow file as named.
    let title: String
    let gatewayStartID: String
    let gatewayEndID: String
    /// In topological order (upstream first), as the graph orders them.
    let executors: [Executor]
    /// As `FlowGraph.edges`: executor names, `FlowGraph.gateway` and `FlowGraph.gatewayEnd`.
    let edges: [(from: String, to: String)]
    private let idByName: [String: String]

    init(_ graph: FlowGraph) {
        title = graph.flow.file.isEmpty ? "Flow" : graph.flow.file
        var ids = IdentifierPool()
        gatewayStartID = ids.claim(FlowGraph.gateway)
        gatewayEndID = ids.claim(FlowGraph.gatewayEnd)
        let entries = graph.order.map { graph.executors[$0] }
        // Executors claim their plain names before any shard/head/tail part does, so the
        // names people look for (`node-<name>`) stay predictable.
        let baseIDs = entries.map { ids.claim($0.name) }
        var executors: [Executor] = []
        for (entry, id) in zip(entries, baseIDs) {
            let shards = max(entry.shards, 1)
            let replicas = max(entry.replicas, 1)
            let summary = entry.executor.summary
            let isGroup = shards > 1 || entry.usesBefore != nil || entry.usesAfter != nil
            executors.append(Executor(
                name: entry.name,
                id: id,
                uses: summary.isEmpty ? (entry.usesText ?? defaultExecutorClass) : summary,
                shards: shards,
                replicas: replicas,
                scale: shards > 1 || replicas > 1 ? "\(count(shards, "shard")) × \(count(replicas, "replica"))" : nil,
                polling: shards > 1 ? "polling: \(entry.polling.description)" : nil,
                usesBefore: entry.usesBefore.map { "uses_before: \($0.summary)" },
                usesAfter: entry.usesAfter.map { "uses_after: \($0.summary)" },
                remote: entry.remotes.isEmpty ? nil : "remote: " + entry.remotes.map(\.description).joined(separator: ", "),
                shardIDs: isGroup ? (0..<shards).map { ids.claim("\(id)_shard_\($0)") } : [],
                headID: isGroup && entry.usesBefore != nil ? ids.claim("\(id)_head") : nil,
                tailID: isGroup && entry.usesAfter != nil ? ids.claim("\(id)_tail") : nil))
        }
        self.executors = executors
        // `needs` may name an executor twice; draw each edge once.
        var edges: [(from: String, to: String)] = []
        for edge in graph.edges where !edges.contains(where: { $0 == edge }) { edges.append(edge) }
        self.edges = edges
        var idByName = [FlowGraph.gateway: gatewayStartID, FlowGraph.gatewayEnd: gatewayEndID]
        for executor in executors { idByName[executor.name] = executor.id }
        self.idByName = idByName
    }

    /// The identifier of a node named as in `edges`.
    func id(of name: String) -> String {
        idByName[name] ?? IdentifierPool.sanitize(name)
    }

    func executor(named name: String) -> Executor? {
        executors.first { $0.name == name }
    }
}

/// Hands out identifiers made of `[A-Za-z0-9_]` only (safe as Mermaid ids, DOT ids and, prefixed,
/// XML ids), each one different from all others handed out before.
struct IdentifierPool {
    // Words Mermaid's flowchart grammar reads as keywords when used as a node id.
    private var taken: Set<String> = ["end", "graph", "flowchart", "subgraph", "direction", "style", "class",
                                      "classDef", "click", "linkStyle", "default"]

    /// Every character outside `[A-Za-z0-9_]` becomes `_` (names may contain `-`, `.`, spaces…).
    static func sanitize(_ name: String) -> String {
        let safe = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
        return safe.isEmpty ? "_" : safe
    }

    /// `sanitize(name)`, or with `_2`, `_3`… appended when that is already taken.
    mutating func claim(_ name: String) -> String {
        let base = Self.sanitize(name)
        var candidate = base
        var suffix = 2
        while taken.contains(candidate) {
            candidate = "\(base)_\(suffix)"
            suffix += 1
        }
        taken.insert(candidate)
        return candidate
    }
}

/// `1 shard`, `3 shards`.
func count(_ n: Int, _ noun: String) -> String {
    "\(n) \(noun)\(n == 1 ? "" : "s")"
}
