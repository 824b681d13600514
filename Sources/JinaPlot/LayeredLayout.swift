/// A layered (Sugiyama-style) drawing of a DAG, independent of any output format:
///
/// 1. layers by longest path from the sources (optionally one node alone first and one alone last);
/// 2. edges spanning several layers get a dummy vertex in every layer they cross, so they take a
///    slot of their own there and pass between boxes, never through them;
/// 3. the order within each layer comes from barycenter sweeps, keeping the order with fewest crossings;
/// 4. positions across the layers pull each vertex towards its neighbours while keeping a minimum
///    separation (an isotonic regression per layer), so boxes never overlap;
/// 5. edges are routed straight inside a layer and as S-curves in the gaps between layers.
///
/// "Main" is the axis the layers follow (x when left-to-right), "cross" the other one.
struct LayeredLayout {
    struct Point: Equatable {
        var x: Double
        var y: Double
    }

    struct Rect: Equatable {
        var x: Double
        var y: Double
        var width: Double
        var height: Double
    }

    struct Node {
        var width: Double
        var height: Double
        /// Where edges attach, relative to the node's top-left corner; the whole node when nil.
        /// (A stack of cards reserves more room than its front card, which the edges should reach.)
        var anchor: Rect?
    }

    enum Segment: Equatable {
        case line(to: Point)
        case curve(control1: Point, control2: Point, to: Point)
    }

    /// One edge, from the side of its source to the side of its target (which the arrowhead touches).
    struct Route {
        var start: Point
        var segments: [Segment]
    }

    struct Result {
        /// One per node, in the order given.
        var frames: [Rect]
        /// One per edge, in the order given.
        var routes: [Route]
        var width: Double
        var height: Double
    }

    var direction: PlotDirection
    /// Smallest space between two layers; it grows when edges there have far to go across.
    var layerGap = 72.0
    /// Space between two boxes of a layer.
    var nodeGap = 24.0
    /// Space beside an edge passing through a layer.
    var edgeGap = 14.0
    var sweeps = 8
    var placementRounds = 12

    /// Lays out `nodes` and `edges` (indexes into `nodes`, which must form a DAG). `first` is drawn
    /// alone in the first layer, `last` alone in the last.
    func layout(nodes: [Node], edges: [(from: Int, to: Int)], first: Int? = nil, last: Int? = nil) -> Result {
        var graph = Layering(nodes: nodes.map { VertexShape($0, direction) }, edges: edges, first: first, last: last)
        graph.orderLayers(sweeps: sweeps)
        graph.placeAcross(nodeGap: nodeGap, edgeGap: edgeGap, rounds: placementRounds)
        graph.placeAlong(layerGap: layerGap)

        let frames = nodes.indices.map { i -> Rect in
            let v = graph.vertices[i]
            let mainStart = graph.mainStart(of: i)
            let crossStart = graph.cross[i] - v.shape.crossBefore
            return direction == .leftToRight
                ? Rect(x: mainStart, y: crossStart, width: nodes[i].width, height: nodes[i].height)
                : Rect(x: crossStart, y: mainStart, width: nodes[i].width, height: nodes[i].height)
        }
        let routes = graph.chains.indices.map { graph.route(ofEdge: $0, direction: direction) }
        let mainExtent = graph.layerStart.last.map { $0 + graph.layerThickness.last! } ?? 0
        let crossExtent = graph.vertices.indices.map { graph.cross[$0] + graph.vertices[$0].shape.crossAfter }.max() ?? 0
        return direction == .leftToRight
            ? Result(frames: frames, routes: routes, width: mainExtent, height: crossExtent)
            : Result(frames: frames, routes: routes, width: crossExtent, height: mainExtent)
    }
}

/// A node's extent on the main and cross axes. Its cross position is the centre of its anchor,
/// so that aligning two vertices aligns the points where their edges attach.
private struct VertexShape {
    var mainSize = 0.0
    /// Where edges attach along the main axis, from the node's main start.
    var anchorMainStart = 0.0
    var anchorMainEnd = 0.0
    /// Reserved room on either side of the anchor centre, across.
    var crossBefore = 0.0
    var crossAfter = 0.0
    /// Half the anchor's size across: how far ports may spread.
    var anchorCrossHalf = 0.0

    /// A dummy vertex: an edge passing through.
    init() {}

    init(_ node: LayeredLayout.Node, _ direction: PlotDirection) {
        let anchor = node.anchor ?? LayeredLayout.Rect(x: 0, y: 0, width: node.width, height: node.height)
        if direction == .leftToRight {
            mainSize = node.width
            anchorMainStart = anchor.x
            anchorMainEnd = anchor.x + anchor.width
            crossBefore = anchor.y + anchor.height / 2
            crossAfter = node.height - crossBefore
            anchorCrossHalf = anchor.height / 2
        } else {
            mainSize = node.height
            anchorMainStart = anchor.y
            anchorMainEnd = anchor.y + anchor.height
            crossBefore = anchor.x + anchor.width / 2
            crossAfter = node.width - crossBefore
            anchorCrossHalf = anchor.width / 2
        }
    }
}

private struct Vertex {
    var shape: VertexShape
    var isDummy: Bool
    var layer: Int
    var predecessors: [Int] = []
    var successors: [Int] = []
}

/// The layered graph being laid out: real vertices first (same indexes as the nodes), then dummies.
private struct Layering {
    var vertices: [Vertex]
    /// Per edge: its source, its dummies, its target.
    var chains: [[Int]] = []
    /// Vertex indexes per layer, in drawing order.
    var layers: [[Int]] = []
    /// Per vertex: cross coordinate of its anchor centre.
    var cross: [Double] = []
    var layerStart: [Double] = []
    var layerThickness: [Double] = []

    init(nodes: [VertexShape], edges: [(from: Int, to: Int)], first: Int?, last: Int?) {
        let layerOf = Self.longestPathLayers(count: nodes.count, edges: edges, first: first, last: last)
        vertices = nodes.indices.map { Vertex(shape: nodes[$0], isDummy: false, layer: layerOf[$0]) }
        for edge in edges {
            var chain = [edge.from]
            for layer in (layerOf[edge.from] + 1)..<max(layerOf[edge.to], layerOf[edge.from] + 1) {
                vertices.append(Vertex(shape: VertexShape(), isDummy: true, layer: layer))
                chain.append(vertices.count - 1)
            }
            chain.append(edge.to)
            for (a, b) in zip(chain, chain.dropFirst()) {
                vertices[a].successors.append(b)
                vertices[b].predecessors.append(a)
            }
            chains.append(chain)
        }
        layers = Array(repeating: [], count: (layerOf.max() ?? -1) + 1)
        for (i, vertex) in vertices.enumerated() { layers[vertex.layer].append(i) }
        cross = Array(repeating: 0, count: vertices.count)
    }

    /// Each node one layer after its furthest predecessor (visited in Kahn's order), and at least
    /// one after `first`.
    static func longestPathLayers(count: Int, edges: [(from: Int, to: Int)], first: Int?, last: Int?) -> [Int] {
        var successors = Array(repeating: [Int](), count: count)
        var waiting = Array(repeating: 0, count: count)
        for edge in edges where edge.from != edge.to && edge.to != first && edge.from != last {
            successors[edge.from].append(edge.to)
            waiting[edge.to] += 1
        }
        var layer = (0..<count).map { $0 == first ? 0 : (first == nil ? 0 : 1) }
        var ready = (0..<count).filter { waiting[$0] == 0 }
        while !ready.isEmpty {
            let v = ready.removeFirst()
            for s in successors[v] {
                layer[s] = max(layer[s], layer[v] + 1)
                waiting[s] -= 1
                if waiting[s] == 0 { ready.append(s) }
            }
        }
        if let last {
            let others = (0..<count).filter { $0 != last }.map { layer[$0] }
            layer[last] = (others.max() ?? -1) + 1
        }
        return layer
    }

    // MARK: Order within layers

    /// Barycenter sweeps down and up; keeps the order with the fewest crossings seen.
    mutating func orderLayers(sweeps: Int) {
        var best = layers
        var bestCrossings = crossings()
        for _ in 0..<sweeps where bestCrossings > 0 {
            for l in layers.indices.dropFirst() { sortLayer(l, byPositionsOf: \.predecessors) }
            for l in layers.indices.dropLast().reversed() { sortLayer(l, byPositionsOf: \.successors) }
            transpose()
            let count = crossings()
            if count < bestCrossings {
                best = layers
                bestCrossings = count
            }
        }
        layers = best
    }

    private mutating func sortLayer(_ l: Int, byPositionsOf neighbours: KeyPath<Vertex, [Int]>) {
        let position = positions()
        // A vertex without neighbours on that side keeps its place.
        let key = layers[l].map { v -> (Double, Int) in
            let others = vertices[v][keyPath: neighbours]
            let centre = others.isEmpty ? Double(position[v])
                : Double(others.map { position[$0] }.reduce(0, +)) / Double(others.count)
            return (centre, position[v])
        }
        layers[l] = zip(layers[l], key).sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// Swaps neighbours within a layer while that removes crossings (the "transpose" refinement):
    /// barycenters alone leave some that one swap would undo.
    private mutating func transpose() {
        var position = positions()
        var improved = true
        var passes = 0
        while improved && passes < 20 {
            improved = false
            passes += 1
            for l in layers.indices {
                for i in layers[l].indices.dropLast() {
                    let (u, v) = (layers[l][i], layers[l][i + 1])
                    if crossings(u, before: v, position) > crossings(v, before: u, position) {
                        layers[l].swapAt(i, i + 1)
                        (position[u], position[v]) = (position[v], position[u])
                        improved = true
                    }
                }
            }
        }
    }

    /// Crossings between the edges of `u` and those of `v` when `u` comes first in their layer.
    private func crossings(_ u: Int, before v: Int, _ position: [Int]) -> Int {
        var count = 0
        for side in [\Vertex.predecessors, \Vertex.successors] {
            for a in vertices[u][keyPath: side] {
                for b in vertices[v][keyPath: side] where position[a] > position[b] { count += 1 }
            }
        }
        return count
    }

    /// Index of each vertex within its layer.
    private func positions() -> [Int] {
        var position = Array(repeating: 0, count: vertices.count)
        for layer in layers { for (i, v) in layer.enumerated() { position[v] = i } }
        return position
    }

    /// Pairs of edges that cross between adjacent layers.
    func crossings() -> Int {
        let position = positions()
        var total = 0
        for layer in layers {
            let segments = layer.flatMap { v in vertices[v].successors.map { (position[v], position[$0]) } }
            for i in segments.indices {
                for j in segments.indices where j > i {
                    let (a, b) = (segments[i], segments[j])
                    if (a.0 - b.0) * (a.1 - b.1) < 0 { total += 1 }
                }
            }
        }
        return total
    }

    // MARK: Positions across

    /// Alternately pulls every layer towards its predecessors and its successors, then towards both.
    mutating func placeAcross(nodeGap: Double, edgeGap: Double, rounds: Int) {
        for layer in layers {
            var next = 0.0
            for (i, v) in layer.enumerated() {
                if i > 0 { next += separation(layer[i - 1], v, nodeGap: nodeGap, edgeGap: edgeGap) }
                cross[v] = next
            }
        }
        for round in 0..<rounds {
            if round < rounds - 2 {
                for l in layers.indices { place(layer: l, towards: [\.predecessors], nodeGap: nodeGap, edgeGap: edgeGap) }
                for l in layers.indices.reversed() { place(layer: l, towards: [\.successors], nodeGap: nodeGap, edgeGap: edgeGap) }
            } else {
                // The last rounds balance each vertex between both sides.
                for l in layers.indices { place(layer: l, towards: [\.predecessors, \.successors], nodeGap: nodeGap, edgeGap: edgeGap) }
            }
        }
        let low = vertices.indices.map { cross[$0] - vertices[$0].shape.crossBefore }.min() ?? 0
        for v in vertices.indices { cross[v] -= low }
    }

    /// Minimum distance between the anchor centres of two neighbours in a layer.
    private func separation(_ a: Int, _ b: Int, nodeGap: Double, edgeGap: Double) -> Double {
        let gap = vertices[a].isDummy || vertices[b].isDummy ? edgeGap : nodeGap
        return vertices[a].shape.crossAfter + gap + vertices[b].shape.crossBefore
    }

    /// Moves the vertices of layer `l` as close as the layer's order and separations allow (least
    /// squares) to the mean position of their neighbours: pool-adjacent-violators on the desired
    /// positions minus the cumulative gaps. Dummies weigh more, so long edges stay straight.
    private mutating func place(layer l: Int, towards sides: [KeyPath<Vertex, [Int]>], nodeGap: Double, edgeGap: Double) {
        let layer = layers[l]
        let desired = layer.map { v -> Double in
            let others = sides.flatMap { vertices[v][keyPath: $0] }
            return others.isEmpty ? cross[v] : others.map { cross[$0] }.reduce(0, +) / Double(others.count)
        }
        var offset = [0.0]
        for i in layer.indices.dropFirst() {
            offset.append(offset[i - 1] + separation(layer[i - 1], layer[i], nodeGap: nodeGap, edgeGap: edgeGap))
        }
        var blocks: [(sum: Double, weight: Double, count: Int)] = []
        for i in layer.indices {
            let weight = vertices[layer[i]].isDummy ? 2.0 : 1.0
            blocks.append(((desired[i] - offset[i]) * weight, weight, 1))
            while blocks.count > 1,
                  blocks[blocks.count - 2].sum / blocks[blocks.count - 2].weight > blocks[blocks.count - 1].sum / blocks[blocks.count - 1].weight {
                let top = blocks.removeLast()
                blocks[blocks.count - 1].sum += top.sum
                blocks[blocks.count - 1].weight += top.weight
                blocks[blocks.count - 1].count += top.count
            }
        }
        var i = 0
        for block in blocks {
            for _ in 0..<block.count {
                cross[layer[i]] = block.sum / block.weight + offset[i]
                i += 1
            }
        }
    }

    // MARK: Positions along

    /// Layers one after the other; the gap after a layer widens with the distance its edges travel across.
    mutating func placeAlong(layerGap: Double) {
        var next = 0.0
        for layer in layers {
            let thickness = layer.map { vertices[$0].shape.mainSize }.max() ?? 0
            layerStart.append(next)
            layerThickness.append(thickness)
            let travel = layer.flatMap { v in vertices[v].successors.map { abs(cross[$0] - cross[v]) } }.max() ?? 0
            next += thickness + min(max(layerGap, travel * 0.25), layerGap * 3.5)
        }
    }

    /// Main coordinate of a vertex's start: centred in its layer.
    func mainStart(of v: Int) -> Double {
        let l = vertices[v].layer
        return layerStart[l] + (layerThickness[l] - vertices[v].shape.mainSize) / 2
    }

    // MARK: Edge routes

    /// Where edge `e` leaves its source and enters its target, across: edges are spread over the
    /// anchor's side in the order of where they go, so they neither bunch up nor cross at the box.
    private func portOffset(ofEdge e: Int, atSource: Bool) -> Double {
        let vertex = atSource ? chains[e].first! : chains[e].last!
        let siblings = chains.indices.filter { atSource ? chains[$0].first == vertex : chains[$0].last == vertex }
        guard siblings.count > 1 else { return 0 }
        let neighbour = { (edge: Int) -> Double in
            let chain = self.chains[edge]
            return self.cross[atSource ? chain[1] : chain[chain.count - 2]]
        }
        let sorted = siblings.sorted { (neighbour($0), $0) < (neighbour($1), $1) }
        let room = max(vertices[vertex].shape.anchorCrossHalf * 2 - 16, 0)
        let spacing = min(10, room / Double(siblings.count - 1))
        let rank = Double(sorted.firstIndex(of: e)!)
        return (rank - Double(siblings.count - 1) / 2) * spacing
    }

    func route(ofEdge e: Int, direction: PlotDirection) -> LayeredLayout.Route {
        let chain = chains[e]
        let source = chain.first!, target = chain.last!
        // (main, cross) points the edge passes; straight between points at the same cross.
        var points: [(Double, Double)] = []
        let sourceCross = cross[source] + portOffset(ofEdge: e, atSource: true)
        points.append((mainStart(of: source) + vertices[source].shape.anchorMainEnd, sourceCross))
        points.append((layerEnd(vertices[source].layer), sourceCross))
        for dummy in chain.dropFirst().dropLast() {
            points.append((layerStart[vertices[dummy].layer], cross[dummy]))
            points.append((layerEnd(vertices[dummy].layer), cross[dummy]))
        }
        let targetCross = cross[target] + portOffset(ofEdge: e, atSource: false)
        points.append((layerStart[vertices[target].layer], targetCross))
        points.append((mainStart(of: target) + vertices[target].shape.anchorMainStart, targetCross))

        let point = { (p: (Double, Double)) -> LayeredLayout.Point in
            direction == .leftToRight ? .init(x: p.0, y: p.1) : .init(x: p.1, y: p.0)
        }
        var segments: [LayeredLayout.Segment] = []
        var current = points[0]
        for next in points.dropFirst() {
            if abs(next.0 - current.0) < 0.01 && abs(next.1 - current.1) < 0.01 { continue }
            if abs(next.1 - current.1) < 0.01 {
                segments.append(.line(to: point(next)))
            } else {
                // Tangent along the main axis at both ends: smooth where curves meet straight parts.
                let middle = (current.0 + next.0) / 2
                segments.append(.curve(control1: point((middle, current.1)), control2: point((middle, next.1)), to: point(next)))
            }
            current = next
        }
        return LayeredLayout.Route(start: point(points[0]), segments: segments)
    }

    private func layerEnd(_ l: Int) -> Double {
        layerStart[l] + layerThickness[l]
    }
}
