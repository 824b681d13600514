/// The validated DAG of a Flow (SPEC §3 "Graph"): executors plus the gateway's start and end.
///
/// Build it with `FlowGraph.build(_:)`; a graph exists only when the `needs` edges are sound
/// (every name known, no duplicates, no cycle).
public struct FlowGraph: Sendable {
    /// The name `needs` uses for the Flow's entry; reserved.
    public static let gateway = "gateway"

    public let flow: FlowConfig
    /// Indexes into `executors`, upstream before downstream, file order among equals.
    public let order: [Int]
    /// The executors whose output the gateway returns: the last executor in file order (Jina's rule).
    public let endNeeds: [String]
    /// Executors nothing needs and that are not last: their output is discarded.
    public let orphans: [String]

    public var executors: [ExecutorEntry] { flow.executors }

    public func executor(named name: String) -> ExecutorEntry? {
        executors.first { $0.name == name }
    }

    /// Executors that need `name` (or that need the gateway, for `gateway`), in file order.
    public func downstream(of name: String) -> [String] {
        executors.filter { $0.needs.contains(name) }.map(\.name)
    }

    /// Every edge as (from, to); `gateway` is the start, `FlowGraph.gatewayEnd` the end.
    public var edges: [(from: String, to: String)] {
        var result: [(from: String, to: String)] = []
        for i in order {
            for need in executors[i].needs { result.append((need, executors[i].name)) }
        }
        let ends = endNeeds.isEmpty ? [Self.gateway] : endNeeds
        for end in ends { result.append((end, Self.gatewayEnd)) }
        return result
    }

    /// The node name used for the gateway's end in `edges`.
    public static let gatewayEnd = "gateway_END"

    /// Validates the `needs` edges of a Flow. Errors make the graph nil; warnings (orphans) do not.
    public static func build(_ flow: FlowConfig) -> (graph: FlowGraph?, diagnostics: [Diagnostic]) {
        var diagnostics = DiagnosticBag()
        let executors = flow.executors
        var indexByName: [String: Int] = [:]
        var sound = true

        for (i, entry) in executors.enumerated() {
            if entry.name == gateway {
                diagnostics.append(Diagnostic(.error, at: entry.location(of: "name"), path: "executors[\(entry.index)].name",
                                              "'gateway' is reserved for the Flow's entry", hint: "choose another name"))
                sound = false
            } else if let first = indexByName[entry.name] {
                diagnostics.append(Diagnostic(.error, at: entry.location(of: "name"), path: "executors[\(entry.index)].name",
                                              "duplicate executor name '\(entry.name)' (also executors[\(executors[first].index)] at line \(executors[first].location.mark.line))"))
                sound = false
            } else {
                indexByName[entry.name] = i
            }
        }

        var upstream: [[Int]] = Array(repeating: [], count: executors.count)
        let known = [gateway] + executors.map(\.name)
        for (i, entry) in executors.enumerated() {
            for (j, need) in entry.needs.enumerated() {
                let location = j < entry.needsLocations.count ? entry.needsLocations[j] : entry.location(of: "needs")
                let path = "executors[\(entry.index)].needs" + (entry.needsLocations.count > 1 ? "[\(j)]" : "")
                if need == gateway { continue }
                guard let k = indexByName[need] else {
                    diagnostics.append(Diagnostic(.error, at: location, path: path, "unknown executor '\(need)'",
                                                  hint: Suggestion.hint(for: need, in: known)))
                    sound = false
                    continue
                }
                if k == i {
                    diagnostics.append(Diagnostic(.error, at: location, path: path, "executor '\(need)' needs itself"))
                    sound = false
                    continue
                }
                if !upstream[i].contains(k) { upstream[i].append(k) }
            }
        }

        guard sound else { return (nil, diagnostics.all) }

        // Kahn's algorithm, always taking the lowest file index that is ready: a stable order.
        var remaining = upstream.map(\.count)
        var downstream: [[Int]] = Array(repeating: [], count: executors.count)
        for (i, ups) in upstream.enumerated() { for k in ups { downstream[k].append(i) } }
        var ready = Set(remaining.indices.filter { remaining[$0] == 0 })
        var order: [Int] = []
        while let next = ready.min() {
            ready.remove(next)
            order.append(next)
            for d in downstream[next] {
                remaining[d] -= 1
                if remaining[d] == 0 { ready.insert(d) }
            }
        }
        if order.count < executors.count {
            let cycle = findCycle(upstream: upstream, among: Set(executors.indices).subtracting(order))
            let names = cycle.map { executors[$0].name }
            let first = cycle[0]
            diagnostics.append(Diagnostic(.error, at: executors[first].location(of: "needs"), path: "executors[\(executors[first].index)].needs",
                                          "needs form a cycle: " + (names + [names[0]]).joined(separator: " → ")))
            return (nil, diagnostics.all)
        }

        let endNeeds = executors.last.map { [$0.name] } ?? []
        var orphans: [String] = []
        for (i, entry) in executors.enumerated() where i != executors.count - 1 && downstream[i].isEmpty {
            orphans.append(entry.name)
            diagnostics.append(Diagnostic(.warning, at: entry.location, path: "executors[\(entry.index)]",
                                          "executor '\(entry.name)' is an orphan: nothing needs it and it is not last, so its output is discarded",
                                          hint: "add it to a later executor's needs, or give the last executor 'method: needs_all'"))
        }
        return (FlowGraph(flow: flow, order: order, endNeeds: endNeeds, orphans: orphans), diagnostics.all)
    }

    /// A cycle among `nodes` (each has an upstream inside the set), in needs order.
    private static func findCycle(upstream: [[Int]], among nodes: Set<Int>) -> [Int] {
        var path: [Int] = []
        var position: [Int: Int] = [:]
        var current = nodes.min()!
        while position[current] == nil {
            position[current] = path.count
            path.append(current)
            current = upstream[current].filter(nodes.contains).min()!
        }
        // Walked against the edges; reverse so the cycle reads upstream → downstream, and start
        // at the first executor in file order so the message is stable.
        let cycle = Array(path[position[current]!...].reversed())
        let start = cycle.firstIndex(of: cycle.min()!)!
        return Array(cycle[start...] + cycle[..<start])
    }
}
