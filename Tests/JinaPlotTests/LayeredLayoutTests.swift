@testable import JinaPlot
import Testing

/// The layout algorithm on small graphs where the right answer is known.
struct LayeredLayoutTests {
    typealias Node = LayeredLayout.Node

    private func box(_ r: LayeredLayout.Rect) -> SVGDocument.Box {
        SVGDocument.Box(minX: r.x, minY: r.y, maxX: r.x + r.width, maxY: r.y + r.height)
    }

    @Test("barycenter ordering removes a crossing the input order has")
    func uncrosses() {
        // s → a, b;  a → d;  b → c;  c, d → t. Listed c before d, so a naive order crosses.
        let nodes = Array(repeating: Node(width: 80, height: 30), count: 6)
        let (s, a, b, c, d, t) = (0, 1, 2, 3, 4, 5)
        let result = LayeredLayout(direction: .leftToRight)
            .layout(nodes: nodes, edges: [(s, a), (s, b), (a, d), (b, c), (c, t), (d, t)], first: s, last: t)
        let y = result.frames.map(\.y)
        #expect((y[a] < y[b]) == (y[d] < y[c]))
    }

    @Test("layers by longest path; the last node alone after all others")
    func layers() {
        // s → a → b → c, s → c, s → x (x needs nothing else and nothing needs it).
        let nodes = Array(repeating: Node(width: 80, height: 30), count: 6)
        let (s, a, b, c, x, t) = (0, 1, 2, 3, 4, 5)
        let result = LayeredLayout(direction: .leftToRight)
            .layout(nodes: nodes, edges: [(s, a), (a, b), (b, c), (s, c), (s, x), (c, t)], first: s, last: t)
        let column = result.frames.map(\.x)
        #expect(column[s] < column[a] && column[a] < column[b] && column[b] < column[c] && column[c] < column[t])
        #expect(column[x] == column[a])
    }

    @Test("an edge skipping layers goes around the boxes in between")
    func longEdge() {
        let nodes = [Node(width: 60, height: 30), Node(width: 200, height: 120), Node(width: 200, height: 120),
                     Node(width: 60, height: 30), Node(width: 60, height: 30)]
        let edges = [(from: 0, to: 1), (from: 1, to: 2), (from: 2, to: 3), (from: 0, to: 3), (from: 3, to: 4)]
        let result = LayeredLayout(direction: .topToBottom).layout(nodes: nodes, edges: edges, first: 0, last: 4)
        let skipping = result.routes[3]
        for middle in [1, 2] {
            #expect(!skipping.samples().contains { box(result.frames[middle]).contains($0, margin: 0) })
        }
    }

    @Test("a stack of cards attaches edges to its front card")
    func anchors() {
        let stacked = Node(width: 110, height: 50, anchor: .init(x: 0, y: 0, width: 100, height: 40))
        let nodes = [Node(width: 60, height: 30), stacked, Node(width: 60, height: 30)]
        let result = LayeredLayout(direction: .leftToRight).layout(nodes: nodes, edges: [(0, 1), (1, 2)], first: 0, last: 2)
        let front = result.frames[1]
        let into = result.routes[0].end, out = result.routes[1].start
        #expect(into.x == front.x && out.x == front.x + 100)
        // Aligned on the front card's centre, so the chain is straight.
        #expect(into.y == front.y + 20 && out.y == front.y + 20)
        #expect(result.routes[0].start.y == into.y)
    }
}
