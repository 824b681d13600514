import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import JinaPlot

/// An SVG written by `SVGRenderer`, parsed back with an XML parser: its size, the box of every
/// `g.node` (the union of its rects) and the geometry of every `path.edge`.
struct SVGDocument {
    struct Box {
        var minX: Double, minY: Double, maxX: Double, maxY: Double

        func overlaps(_ other: Box) -> Bool {
            minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
        }

        /// Strictly inside, `margin` away from every side.
        func contains(_ p: LayeredLayout.Point, margin: Double) -> Bool {
            p.x > minX + margin && p.x < maxX - margin && p.y > minY + margin && p.y < maxY - margin
        }
    }

    struct Edge {
        var from: String
        var to: String
        var route: LayeredLayout.Route
    }

    var root: XMLElement
    var width: Double
    var height: Double
    var viewBox: [Double]
    /// By `id` attribute (`node-…`), in document order.
    var nodes: [(id: String, box: Box)] = []
    var edges: [Edge] = []

    init(_ svg: String) throws {
        let document = try XMLDocument(xmlString: svg, options: [])
        root = try requireElement(document.rootElement())
        width = Double(root.attribute("width") ?? "") ?? -1
        height = Double(root.attribute("height") ?? "") ?? -1
        viewBox = (root.attribute("viewBox") ?? "").split(separator: " ").compactMap { Double($0) }
        for element in Self.descendants(of: root) {
            let name = element.localName ?? element.name ?? ""
            let classes = (element.attribute("class") ?? "").split(separator: " ")
            if name == "g" && classes.contains("node") {
                let rects = Self.descendants(of: element).filter { ($0.localName ?? $0.name) == "rect" }.map(Self.box)
                guard let first = rects.first else { throw ParseError("node without rect") }
                let box = rects.dropFirst().reduce(first) {
                    Box(minX: min($0.minX, $1.minX), minY: min($0.minY, $1.minY), maxX: max($0.maxX, $1.maxX), maxY: max($0.maxY, $1.maxY))
                }
                nodes.append((element.attribute("id") ?? "", box))
            } else if name == "path" && classes.contains("edge") {
                edges.append(Edge(from: element.attribute("data-from") ?? "",
                                  to: element.attribute("data-to") ?? "",
                                  route: try Self.route(element.attribute("d") ?? "")))
            }
        }
    }

    func box(_ id: String) -> Box? {
        nodes.first { $0.id == id }?.box
    }

    /// Every element below `element`, depth first.
    static func descendants(of element: XMLElement) -> [XMLElement] {
        (element.children ?? []).compactMap { $0 as? XMLElement }.flatMap { [$0] + descendants(of: $0) }
    }

    private static func box(_ rect: XMLElement) -> Box {
        let value = { (name: String) in Double(rect.attribute(name) ?? "") ?? .nan }
        return Box(minX: value("x"), minY: value("y"), maxX: value("x") + value("width"), maxY: value("y") + value("height"))
    }

    /// Reads the `M`, `L` and `C` commands the renderer writes.
    static func route(_ d: String) throws -> LayeredLayout.Route {
        var commands: [(Character, [Double])] = []
        for token in d.replacingOccurrences(of: ",", with: " ").split(separator: " ") {
            if let first = token.first, first.isLetter {
                commands.append((first, []))
                if token.count > 1 { commands[commands.count - 1].1.append(try number(token.dropFirst())) }
            } else if !commands.isEmpty {
                commands[commands.count - 1].1.append(try number(token))
            }
        }
        guard let move = commands.first, move.0 == "M", move.1.count == 2 else { throw ParseError("path must start with M x,y: \(d)") }
        var route = LayeredLayout.Route(start: .init(x: move.1[0], y: move.1[1]), segments: [])
        for (command, n) in commands.dropFirst() {
            switch (command, n.count) {
            case ("L", 2): route.segments.append(.line(to: .init(x: n[0], y: n[1])))
            case ("C", 6): route.segments.append(.curve(control1: .init(x: n[0], y: n[1]), control2: .init(x: n[2], y: n[3]), to: .init(x: n[4], y: n[5])))
            default: throw ParseError("unexpected \(command) with \(n.count) numbers in \(d)")
            }
        }
        return route
    }

    private static func number(_ text: Substring) throws -> Double {
        guard let value = Double(text) else { throw ParseError("not a number: \(text)") }
        return value
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// `#require` for an optional element, as a throwing helper usable in an initialiser.
private func requireElement(_ element: XMLElement?) throws -> XMLElement {
    guard let element else { throw SVGDocument.ParseError("no root element") }
    return element
}

extension LayeredLayout.Route {
    /// Points along the route, every few pixels (exact at the ends of segments).
    func samples(per steps: Int = 24) -> [LayeredLayout.Point] {
        var points = [start]
        var current = start
        for segment in segments {
            switch segment {
            case .line(let to):
                for i in 1...steps {
                    let t = Double(i) / Double(steps)
                    points.append(.init(x: current.x + (to.x - current.x) * t, y: current.y + (to.y - current.y) * t))
                }
                current = to
            case .curve(let c1, let c2, let to):
                for i in 1...steps {
                    let t = Double(i) / Double(steps), u = 1 - t
                    let a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t
                    points.append(.init(x: a * current.x + b * c1.x + c * c2.x + d * to.x,
                                        y: a * current.y + b * c1.y + c * c2.y + d * to.y))
                }
                current = to
            }
        }
        return points
    }

    var end: LayeredLayout.Point {
        switch segments.last {
        case .line(let to)?, .curve(_, _, let to)?: return to
        case nil: return start
        }
    }
}

extension XMLElement {
    /// An attribute's value. (`attribute(forName:)` finds nothing on Linux's FoundationXML when
    /// the document has a default namespace, as SVG does.)
    func attribute(_ name: String) -> String? {
        attributes?.first { $0.name == name }?.stringValue
    }
}
