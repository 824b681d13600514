/// Variable substitution in scalar values (SPEC §2.4), applied after parsing so comments stay inert.
///
/// Forms: `${{ ENV.NAME }}` (environment), `${{ CONTEXT.NAME }}` (`--var`), `${{ NAME }}`
/// (environment, then `--var`), `$NAME` and `${NAME}` (environment); `:-default` in the braced
/// forms; `$$` for a literal `$`. An unset variable without a default is an error at its position.
public struct Substitution: Sendable {
    public var environment: [String: String]
    public var context: [String: String]

    public init(environment: [String: String], context: [String: String] = [:]) {
        self.environment = environment
        self.context = context
    }

    /// Substitutes every scalar value (not keys) of the tree. A scalar that changed is re-read as a
    /// plain scalar, so its type follows what it now says (`"3"` from the environment is an int).
    public func apply(to node: YAMLNode, diagnostics: inout DiagnosticBag) -> YAMLNode {
        var result = node
        switch node.content {
        case .scalar(let text, let style):
            guard text.contains("$") else { return node }
            let (expanded, problems) = expand(text)
            for problem in problems {
                diagnostics.append(Diagnostic(.error, at: location(of: problem.offset, in: node, style: style), problem.message, hint: problem.hint))
            }
            if !problems.isEmpty {
                // Reported once here; readers skip the node instead of adding "expected an integer".
                result.tag = Self.failedTag
            } else if expanded != text {
                result.content = .scalar(expanded, .plain)
            }
        case .sequence(let items):
            result.content = .sequence(items.map { apply(to: $0, diagnostics: &diagnostics) })
        case .mapping(let pairs):
            result.content = .mapping(pairs.map { ($0.key, apply(to: $0.value, diagnostics: &diagnostics)) })
        }
        return result
    }

    /// Marks a scalar whose substitution failed (already reported).
    public static let failedTag = "tag:jina.ai,2021:substitution-failed"

    public struct Problem: Sendable, Equatable {
        /// Offset in characters from the scalar's start.
        public var offset: Int
        public var message: String
        public var hint: String?
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
        return Problem(offset: offset, message: "variable '\(name)' is not set in \(from)", hint: hint)
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

    /// The position of a character of a scalar: exact on the scalar's first line, else the scalar's start.
    private func location(of offset: Int, in node: YAMLNode, style: ScalarStyle) -> SourceLocation {
        guard case .scalar(let text, _) = node.content, style == .plain || style == .singleQuoted || style == .doubleQuoted,
              !text.prefix(offset).contains("\n") else { return node.location }
        let shift = style == .plain ? 0 : 1
        return SourceLocation(file: node.file, mark: SourceMark(line: node.mark.line, column: node.mark.column + shift + offset))
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
