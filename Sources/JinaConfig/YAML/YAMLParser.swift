import CLibYAML

/// Parses YAML text with libyaml's event API into a `YAMLNode` tree.
///
/// Bounded against YAML bombs: nesting deeper than `maxDepth` and documents that aliases expand
/// beyond `maxNodes` nodes are errors, not hangs.
public struct YAMLParser {
    public var maxDepth = 128
    public var maxNodes = 200_000

    public init() {}

    /// Parses one document. Returns nil for an empty stream (no document at all).
    public func parse(_ bytes: [UInt8], file: String) throws(ConfigError) -> YAMLNode? {
        var builder = TreeBuilder(file: file, maxDepth: maxDepth, maxNodes: maxNodes)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw ConfigError([Diagnostic(.error, at: SourceLocation(file: file), "cannot start the YAML parser (out of memory)")])
        }
        defer { yaml_parser_delete(&parser) }

        return try bytes.withUnsafeBufferPointer { buffer throws(ConfigError) -> YAMLNode? in
            // libyaml wants a non-null pointer even for empty input.
            let empty: [UInt8] = [0]
            return try empty.withUnsafeBufferPointer { fallback throws(ConfigError) -> YAMLNode? in
                let base = buffer.baseAddress ?? fallback.baseAddress!
                yaml_parser_set_input_string(&parser, base, buffer.count)
                while true {
                    var event = yaml_event_t()
                    guard yaml_parser_parse(&parser, &event) == 1 else {
                        throw ConfigError([syntaxError(parser, bytes: bytes, file: file)])
                    }
                    defer { yaml_event_delete(&event) }
                    if event.type == YAML_STREAM_END_EVENT { break }
                    try builder.consume(event)
                }
                return builder.root
            }
        }
    }

    /// Reads a file and parses it, turning file-system problems into diagnostics.
    public func parseFile(atPath path: String, displayName: String? = nil) throws(ConfigError) -> YAMLNode? {
        let name = displayName ?? path
        let bytes: [UInt8]
        do {
            bytes = try FileReader.read(path)
        } catch {
            throw ConfigError([Diagnostic(.error, at: SourceLocation(file: name), error.message)])
        }
        return try parse(bytes, file: name)
    }

    private func syntaxError(_ parser: yaml_parser_t, bytes: [UInt8], file: String) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        let context = parser.context.map { String(cString: $0) }
        var mark: SourceMark
        if parser.error == YAML_READER_ERROR {
            mark = Self.mark(ofOffset: parser.problem_offset, in: bytes)
        } else {
            mark = SourceMark(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
        }
        var message = "invalid YAML: \(problem)"
        if let context {
            message += " \(context)"
            let start = parser.context_mark
            if parser.error != YAML_READER_ERROR, Int(start.line) + 1 != mark.line || Int(start.column) + 1 != mark.column {
                message += " that starts at line \(start.line + 1), column \(start.column + 1)"
            }
        }
        var hint: String?
        let offset = parser.error == YAML_READER_ERROR ? parser.problem_offset : parser.problem_mark.index
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "\t") {
            hint = "YAML does not allow tabs for indentation; use spaces"
        } else if parser.error == YAML_READER_ERROR {
            hint = "the file must be UTF-8 text"
        }
        if parser.error != YAML_READER_ERROR, mark.line > 1 || mark.column > 1,
           problem.contains("could not find expected ':'") || problem.contains("mapping values are not allowed") {
            hint = hint ?? "check the indentation and the ':' after each key"
        }
        if parser.error == YAML_READER_ERROR { mark = mark.line == 0 ? SourceMark(line: 1, column: 1) : mark }
        return Diagnostic(.error, at: SourceLocation(file: file, mark: mark), message, hint: hint)
    }

    static func mark(ofOffset offset: Int, in bytes: [UInt8]) -> SourceMark {
        var line = 1, column = 1
        for b in bytes.prefix(offset) {
            if b == UInt8(ascii: "\n") { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return SourceMark(line: line, column: column)
    }
}

/// Turns the event stream into nodes: a stack of open collections, anchors by name.
private struct TreeBuilder {
    let file: String
    let maxDepth: Int
    let maxNodes: Int

    /// A collection still being read; a class so that appending does not copy the items.
    private final class Open {
        let isMapping: Bool
        let tag: String?
        let anchor: String?
        let mark: SourceMark
        var items: [YAMLNode] = []
        var weight = 1
        /// Levels of nesting below this collection (aliases count with their full depth).
        var childDepth = 0

        init(isMapping: Bool, tag: String?, anchor: String?, mark: SourceMark) {
            self.isMapping = isMapping
            self.tag = tag
            self.anchor = anchor
            self.mark = mark
        }
    }

    private var stack: [Open] = []
    private var anchors: [String: (node: YAMLNode, weight: Int, depth: Int)] = [:]
    private var documents = 0
    private(set) var root: YAMLNode?

    init(file: String, maxDepth: Int, maxNodes: Int) {
        self.file = file
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    private func mark(_ m: yaml_mark_t) -> SourceMark {
        SourceMark(line: Int(m.line) + 1, column: Int(m.column) + 1)
    }

    private func fail(_ at: SourceMark, _ message: String, hint: String? = nil) -> ConfigError {
        ConfigError([Diagnostic(.error, at: SourceLocation(file: file, mark: at), message, hint: hint)])
    }

    private static func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        p.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }

    mutating func consume(_ event: yaml_event_t) throws(ConfigError) {
        let at = mark(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw fail(at, "expected one YAML document, found a second one", hint: "split it into its own file")
            }
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            let style: ScalarStyle
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            var tag = Self.string(s.tag)
            var finalStyle = style
            if tag == "tag:yaml.org,2002:str" { finalStyle = style == .plain ? .doubleQuoted : style; tag = nil }
            let node = YAMLNode(.scalar(text, finalStyle), tag: tag, mark: at, file: file)
            try add(node, weight: 1, depth: 0, anchor: Self.string(s.anchor), at: at)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                throw fail(at, "unknown alias '*\(name)'", hint: Suggestion.closest(to: name, in: anchors.keys).map { "did you mean '*\($0)'?" })
            }
            var node = target.node
            node.mark = at
            try add(node, weight: target.weight, depth: target.depth, anchor: nil, at: at)
        case YAML_SEQUENCE_START_EVENT:
            let s = event.data.sequence_start
            try push(Open(isMapping: false, tag: Self.string(s.tag), anchor: Self.string(s.anchor), mark: at), at: at)
        case YAML_MAPPING_START_EVENT:
            let m = event.data.mapping_start
            try push(Open(isMapping: true, tag: Self.string(m.tag), anchor: Self.string(m.anchor), mark: at), at: at)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let open = stack.popLast() else { return }
            let content: YAMLNode.Content = open.isMapping ? .mapping(try mergedPairs(open.items)) : .sequence(open.items)
            try add(YAMLNode(content, tag: open.tag, mark: open.mark, file: file), weight: open.weight, depth: open.childDepth + 1,
                    anchor: open.anchor, at: open.mark)
        default:
            break
        }
    }

    private mutating func push(_ open: Open, at: SourceMark) throws(ConfigError) {
        if stack.count >= maxDepth {
            throw fail(at, "YAML nested deeper than \(maxDepth) levels", hint: "a configuration never needs this; is the file generated?")
        }
        stack.append(open)
    }

    private mutating func add(_ node: YAMLNode, weight: Int, depth: Int, anchor: String?, at: SourceMark) throws(ConfigError) {
        if let anchor { anchors[anchor] = (node, weight, depth) }
        // An alias brings its whole depth along: nesting through aliases is bounded too.
        if stack.count + depth > maxDepth {
            throw fail(at, "YAML nested deeper than \(maxDepth) levels through aliases", hint: "a configuration never needs this; is the file generated?")
        }
        guard let top = stack.last else {
            if root == nil { root = node }
            return
        }
        top.items.append(node)
        top.weight += weight
        top.childDepth = max(top.childDepth, depth)
        try checkBudget(top.weight, at: at)
    }

    private func checkBudget(_ weight: Int, at: SourceMark) throws(ConfigError) {
        if weight > maxNodes {
            throw fail(at, "YAML expands to more than \(maxNodes) nodes through aliases", hint: "is this an alias bomb?")
        }
    }

    /// Pairs up keys and values, applies merge keys (`<<: *base`, explicit keys win, earlier merges
    /// win over later ones) and rejects duplicate keys.
    private func mergedPairs(_ items: [YAMLNode]) throws(ConfigError) -> [(key: YAMLNode, value: YAMLNode)] {
        var explicit: [(key: YAMLNode, value: YAMLNode)] = []
        var merged: [(key: YAMLNode, value: YAMLNode)] = []
        var diagnostics: [Diagnostic] = []
        var index = 0
        while index + 1 < items.count {
            let key = items[index], value = items[index + 1]
            index += 2
            if case .scalar("<<", .plain) = key.content, key.tag == nil || key.tag == "tag:yaml.org,2002:merge" {
                let sources: [YAMLNode]
                switch value.content {
                case .mapping: sources = [value]
                case .sequence(let list) where list.allSatisfy({ $0.mapping != nil }): sources = list
                default:
                    diagnostics.append(Diagnostic(.error, at: value.location, "merge key '<<' needs a mapping or a list of mappings, found \(value.kindDescription)"))
                    continue
                }
                for source in sources {
                    for pair in source.mapping ?? [] where !merged.contains(where: { same($0.key, pair.key) }) {
                        merged.append(pair)
                    }
                }
                continue
            }
            if let first = explicit.first(where: { same($0.key, key) }) {
                diagnostics.append(Diagnostic(.error, at: key.location, "duplicate key '\(key.scalar ?? "")' (first defined at line \(first.key.mark.line))"))
                continue
            }
            explicit.append((key, value))
        }
        if !diagnostics.isEmpty { throw ConfigError(diagnostics) }
        return explicit + merged.filter { m in !explicit.contains(where: { same($0.key, m.key) }) }
    }

    private func same(_ a: YAMLNode, _ b: YAMLNode) -> Bool {
        guard let x = a.scalar, let y = b.scalar else { return false }
        return x == y
    }
}
