/// The file formats `jina flow plot` writes.
public enum PlotFormat: String, CaseIterable, Sendable {
    /// A standalone SVG drawn by our own layered layout (no Graphviz, no network).
    case svg
    /// Mermaid `flowchart` text, as Jina's own `Flow.plot` produces (without the mermaid.ink round trip).
    case mermaid
    /// Graphviz DOT text.
    case dot

    /// The format an output file's extension asks for: `svg`, `mmd`/`mermaid`, `dot`/`gv` (any case, dot optional).
    public init?(fileExtension: String) {
        var ext = fileExtension.lowercased()
        if ext.hasPrefix(".") { ext.removeFirst() }
        switch ext {
        case "svg": self = .svg
        case "mmd", "mermaid": self = .mermaid
        case "dot", "gv": self = .dot
        default: return nil
        }
    }
}

/// Which way the Flow reads: from the gateway on the left (Jina's default) or at the top (`vertical_layout`).
public enum PlotDirection: Sendable {
    case leftToRight, topToBottom
}
