import Foundation

/// Variable substitution in scalar values (SPEC §2.4), applied after parsing so comments stay inert.
///
/// Forms: `${{ ENV.NAME }}` (environment), `${{ CONTEXT.NAME }}` (`--var`), `${{ NAME }}`
/// (environment, then `--var`), `$NAME` and `${NAME}` (environment); `:-default` in the braced
/// forms; `$$` for a literal `$`. An unset variable without a default is an error at its position.
public struct Substitution: Sendable {
    public var environment: [String: String]
    public var context: [String: String]
    /// Lint's rule: an unset variable is a warning (the app may set it before it runs the Flow);
    /// running a Flow keeps it an error.
    public var unsetIsWarning = false

    public init(environment: [String: String], context: [String: String] = [:]) {
        self.environment = environment
        self.context = context
    }

    /// Substitutes every scalar value (not keys) of the tree. A scalar that changed is re-read as a
    /// plain scalar, so its type follows what it now says (`"3"` from the environment is an int).
    ///
    /// `source` is the text the tree was parsed from; with it, errors point at the exact `$`
    /// even in quoted scalars with escapes and in scalars that span lines.
    public func apply(to node: YAMLNode, source: [UInt8]? = nil, diagnostics: inout DiagnosticBag) -> YAMLNode {
        let lines = source.map { String(decoding: $0, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) }
        return apply(to: node, lines: lines, diagnostics: &diagnostics)
    }

    private func apply(to node: YAMLNode, lines: [Substring]?, diagnostics: inout DiagnosticBag) -> YAMLNode {
        var result = node
        switch node.content {
        case .scalar(let text, let style):
            guard text.contains("$") else { return node }
            let (expanded, problems) = expand(text)
            for problem in problems {
                let at = location(of: problem, in: node, text: text, style: style, lines: lines)
                if problem.isUnsetVariable && unsetIsWarning {
                    diagnostics.append(Diagnostic(.warning, at: at, problem.message + "; set it before `flow run`", hint: problem.hint))
                } else {
                    diagnostics.append(Diagnostic(.error, at: at, problem.message, hint: problem.hint))
                }
            }
            if !problems.isEmpty {
                // Reported once here; readers skip the node instead of adding "expected an integer".
                result.tag = Self.failedTag
            } else if expanded != text {
                result.content = Self.substitutedContent(expanded, node: node)
            }
        case .sequence(let items):
            result.content = .sequence(items.map { apply(to: $0, lines: lines, diagnostics: &diagnostics) })
        case .mapping(let pairs):
            result.content = .mapping(pairs.map { ($0.key, apply(to: $0.value, lines: lines, diagnostics: &diagnostics)) })
        }
        return result
    }

    /// What a substituted value says, read as Jina 2 read it (`parse_arg` in jina/helper.py, 2.x):
    /// `[a, b]` is a list of scalars, `'x'` or `"x"` a string without its quotes, anything else a
    /// plain scalar (so `3` is an int, `true` a bool).
    static func substitutedContent(_ text: String, node: YAMLNode) -> YAMLNode.Content {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count >= 2, let first = trimmed.first, first == "'" || first == "\"", trimmed.last == first {
            return .scalar(String(trimmed.dropFirst().dropLast()), .singleQuoted)
        }
        if trimmed.hasPrefix("["), trimmed.hasSuffix("]") {
            let inner = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
            if inner.isEmpty { return .sequence([]) }
            let items = inner.split(separator: ",", omittingEmptySubsequences: false).map { item -> YAMLNode in
                var element = node
                element.tag = nil
                element.content = substitutedContent(item.trimmingCharacters(in: .whitespaces), node: node)
                return element
            }
            return .sequence(items)
        }
        return .scalar(text, .plain)
    }

    /// Marks a scalar whose substitution failed (already reported).
    public static let failedTag = "tag:jina.ai,2021:substitution-failed"

    public struct Problem: Sendable, Equatable {
        /// Offset in characters from the scalar's start.
        public var offset: Int
        public var message: String
        public var hint: String?
        /// A reference to a variable that is not set (the rest are malformed references).
        public var isUnsetVariable = false
    }

    /// Expands one string; problems carry the character offset of the reference.
    public func expand(_ text: String) -> (String, [Problem]) {
        let chars = Array(text)
        var out = ""
        var problems: [Problem] = []
        var i = 0
        while i < chars.count {
            guard chars[i] == "$", i + 1 < chars.count else {
                out.append(chars[i])
                i += 1
                continue
            }
            let start = i
            if chars[i + 1] == "$" {
                out.append("$")
                i += 2
            } else if chars[i + 1] == "{", i + 2 < chars.count, chars[i + 2] == "{" {
                guard let close = find("}}", in: chars, from: i + 3) else {
                    problems.append(Problem(offset: start, message: "'${{' is not closed by '}}'"))
                    out.append(contentsOf: chars[i...])
                    break
                }
                let inner = String(chars[(i + 3)..<close]).trimmingWhitespace
                i = close + 2
                resolveBraced(inner, offset: start, out: &out, problems: &problems, text: String(chars[start..<i]))
            } else if chars[i + 1] == "{" {
                guard let close = chars[(i + 2)...].firstIndex(of: "}") else {
                    problems.append(Problem(offset: start, message: "'${' is not closed by '}'"))
                    out.append(contentsOf: chars[i...])
                    break
                }
                let inner = String(chars[(i + 2)..<close])
                i = close + 1
                let (name, fallback) = splitDefault(inner)
                guard Self.isName(name) else {
                    problems.append(Problem(offset: start, message: "'${\(inner)}' is not a variable reference", hint: "write '$$' for a literal '$'"))
                    continue
                }
                if let value = environment[name] ?? fallback {
                    out += value
                } else {
                    problems.append(unset(name, offset: start, from: "the environment"))
                }
            } else if chars[i + 1] == "_" || (chars[i + 1].isASCII && chars[i + 1].isLetter) {
                var end = i + 1
                while end < chars.count, chars[end] == "_" || (chars[end].isASCII && (chars[end].isLetter || chars[end].isNumber)) { end += 1 }
                let name = String(chars[(i + 1)..<end])
                i = end
                if let value = environment[name] {
                    out += value
                } else {
                    problems.append(unset(name, offset: start, from: "the environment", hintDefault: "${\(name):-default}"))
                }
            } else {
                // `$5`, `$(`, `$` at a word's end: not a reference.
                out.append("$")
                i += 1
            }
        }
        return (out, problems)
    }

    private func resolveBraced(_ inner: String, offset: Int, out: inout String, problems: inout [Problem], text: String) {
        let (reference, fallback) = splitDefault(inner)
        var name = reference
        var scope = "either"
        for (prefix, s) in [("ENV.", "env"), ("env.", "env"), ("CONTEXT.", "context"), ("context.", "context")] where reference.hasPrefix(prefix) {
            name = String(reference.dropFirst(prefix.count))
            scope = s
        }
        if scope == "either", name.hasPrefix("root.") || name.hasPrefix("this.") {
            problems.append(Problem(offset: offset, message: "'\(text)': references into the YAML document (root./this.) are not supported",
                                    hint: "repeat the value, or use a YAML anchor and alias"))
            return
        }
        guard Self.isName(name) else {
            problems.append(Problem(offset: offset, message: "'\(text)' is not a variable reference", hint: "expected ${{ ENV.NAME }}, ${{ NAME }} or ${{ NAME:-default }}"))
            return
        }
        let value: String?
        switch scope {
        case "env": value = environment[name]
        case "context": value = context[name]
        default: value = environment[name] ?? context[name]
        }
        if let value = value ?? fallback {
            out += value
            return
        }
        let from = scope == "env" ? "the environment" : scope == "context" ? "--var" : "the environment or --var"
        problems.append(unset(name, offset: offset, from: from, hintDefault: "${{ \(reference):-default }}", isContext: scope != "env"))
    }

    private func unset(_ name: String, offset: Int, from: String, hintDefault: String? = nil, isContext: Bool = false) -> Problem {
        var hint = isContext ? "pass --var \(name)=VALUE or export \(name)" : "export \(name)"
        if let hintDefault { hint += ", or give a default: \(hintDefault)" }
        return Problem(offset: offset, message: "variable '\(name)' is not set in \(from)", hint: hint, isUnsetVariable: true)
    }

    private func splitDefault(_ text: String) -> (String, String?) {
        guard let range = text.range(of: ":-") else { return (text.trimmingWhitespace, nil) }
        return (String(text[..<range.lowerBound]).trimmingWhitespace, String(text[range.upperBound...]).trimmingWhitespace)
    }

    private func find(_ needle: String, in chars: [Character], from: Int) -> Int? {
        let n = Array(needle)
        var i = from
        while i + n.count <= chars.count {
            if Array(chars[i..<(i + n.count)]) == n { return i }
            i += 1
        }
        return nil
    }

    static func isName(_ s: String) -> Bool {
        guard let first = s.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return s.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    /// Where a reference was written. Plain one-line scalars map offsets exactly; otherwise the
    /// reference text is looked up in the source from the scalar's start (quotes may hold
    /// escapes, folded scalars span lines). Falls back to the scalar's start.
    private func location(of problem: Problem, in node: YAMLNode, text: String, style: ScalarStyle, lines: [Substring]?) -> SourceLocation {
        let chars = Array(text)
        let offset = problem.offset
        if style == .plain, lines == nil || !spansLines(node, lines!), !chars.prefix(offset).contains("\n") {
            return SourceLocation(file: node.file, mark: SourceMark(line: node.mark.line, column: node.mark.column + offset))
        }
        guard let lines else { return node.location }
        // The reference as written: from the `$` to the end of the name or closing brace.
        let reference = Self.referenceText(chars, at: offset)
        let earlier = String(chars.prefix(offset)).components(separatedBy: reference).count - 1
        var seen = 0
        var lineIndex = node.mark.line - 1
        var startColumn = node.mark.column - 1
        while lineIndex < lines.count, lineIndex < node.mark.line + 200 {
            let line = Array(lines[lineIndex].unicodeScalars)
            let needle = Array(reference.unicodeScalars)
            var column = startColumn
            while column + needle.count <= line.count {
                if Array(line[column..<(column + needle.count)]) == needle {
                    if seen == earlier {
                        return SourceLocation(file: node.file, mark: SourceMark(line: lineIndex + 1, column: column + 1))
                    }
                    seen += 1
                }
                column += 1
            }
            lineIndex += 1
            startColumn = 0
        }
        return node.location
    }

    private func spansLines(_ node: YAMLNode, _ lines: [Substring]) -> Bool {
        guard case .scalar(let text, _) = node.content, node.mark.line - 1 < lines.count else { return false }
        let line = lines[node.mark.line - 1].unicodeScalars
        return line.count - (node.mark.column - 1) < text.unicodeScalars.count
    }

    /// `$NAME`, `${…}` or `${{ … }}` starting at `offset`.
    static func referenceText(_ chars: [Character], at offset: Int) -> String {
        var end = offset + 1
        if end < chars.count, chars[end] == "{" {
            let closing: [Character] = end + 1 < chars.count && chars[end + 1] == "{" ? ["}", "}"] : ["}"]
            while end < chars.count, !(Array(chars[max(offset, end - closing.count + 1)...end]) == closing) { end += 1 }
            end = min(end + 1, chars.count)
        } else {
            while end < chars.count, chars[end] == "_" || (chars[end].isASCII && (chars[end].isLetter || chars[end].isNumber)) { end += 1 }
        }
        return String(chars[offset..<end])
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
