/// Typed reads of YAML nodes that report what was expected when the type is wrong.
///
/// Scalars are coerced as Jina's argparse did: `'3'` fills an integer, `'true'` a boolean.
struct NodeReader {
    var diagnostics = DiagnosticBag()

    mutating func mapping(_ node: YAMLNode, _ path: String) -> [(key: YAMLNode, value: YAMLNode)]? {
        if node.substitutionFailed { return nil }
        if let pairs = node.mapping { return pairs }
        if case .scalar(_, .plain) = node.content, ImplicitScalar.resolve(node.scalar!, style: .plain) == .null { return [] }
        diagnostics.error(node, path, "expected a mapping, found \(node.kindDescription)")
        return nil
    }

    mutating func string(_ node: YAMLNode, _ path: String) -> String? {
        if node.substitutionFailed { return nil }
        if let text = node.scalar { return text }
        diagnostics.error(node, path, "expected a string, found \(node.kindDescription)")
        return nil
    }

    mutating func int(_ node: YAMLNode, _ path: String, atLeast minimum: Int? = nil) -> Int? {
        if node.substitutionFailed { return nil }
        guard let text = node.scalar else {
            diagnostics.error(node, path, "expected an integer, found \(node.kindDescription)")
            return nil
        }
        guard let value = ImplicitScalar.parseInt(text.trimmingWhitespace) else {
            diagnostics.error(node, path, "expected an integer, found '\(text)'")
            return nil
        }
        if let minimum, value < minimum {
            diagnostics.error(node, path, "must be at least \(minimum), found \(value)")
            return nil
        }
        return value
    }

    mutating func bool(_ node: YAMLNode, _ path: String) -> Bool? {
        if node.substitutionFailed { return nil }
        if let text = node.scalar, case .bool(let b) = ImplicitScalar.resolve(text.trimmingWhitespace, style: .plain) { return b }
        diagnostics.error(node, path, "expected true or false, found \(node.scalar.map { "'\($0)'" } ?? node.kindDescription)")
        return nil
    }

    /// A string or a list of strings (Jina accepts both for `needs` and `py_modules`).
    mutating func stringList(_ node: YAMLNode, _ path: String) -> [(String, YAMLNode)]? {
        if node.substitutionFailed { return nil }
        if let text = node.scalar { return [(text, node)] }
        guard let items = node.sequence else {
            diagnostics.error(node, path, "expected a string or a list of strings, found \(node.kindDescription)")
            return nil
        }
        var result: [(String, YAMLNode)] = []
        for (i, item) in items.enumerated() {
            if let text = item.scalar { result.append((text, item)) } else {
                diagnostics.error(item, "\(path)[\(i)]", "expected a string, found \(item.kindDescription)")
            }
        }
        return result
    }

    /// A mapping of names to scalar values (`env:`), or a list of `KEY=VALUE` strings.
    mutating func stringMap(_ node: YAMLNode, _ path: String) -> [(key: String, value: String)]? {
        if node.substitutionFailed { return nil }
        if let items = node.sequence {
            var result: [(key: String, value: String)] = []
            for (i, item) in items.enumerated() {
                guard let text = item.scalar, let eq = text.firstIndex(of: "=") else {
                    diagnostics.error(item, "\(path)[\(i)]", "expected KEY=VALUE, found \(item.scalar.map { "'\($0)'" } ?? item.kindDescription)")
                    continue
                }
                result.append((String(text[..<eq]), String(text[text.index(after: eq)...])))
            }
            return result
        }
        guard let pairs = mapping(node, path) else { return nil }
        var result: [(key: String, value: String)] = []
        for pair in pairs {
            guard let key = pair.key.scalar else { continue }
            if pair.value.substitutionFailed { continue }
            if let value = pair.value.scalar {
                result.append((key, ImplicitScalar.resolve(value, style: .plain) == .null && value.isEmpty ? "" : value))
            } else {
                diagnostics.error(pair.value, "\(path).\(key)", "expected a string, found \(pair.value.kindDescription)")
            }
        }
        return result
    }

    /// A case-insensitive choice among `options`.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: YAMLNode, _ path: String, _ type: T.Type) -> T? where T.RawValue == String {
        guard let text = string(node, path) else { return nil }
        if let match = T.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) { return match }
        let names = T.allCases.map(\.rawValue)
        diagnostics.error(node, path, "expected one of \(names.joined(separator: ", ")), found '\(text)'", hint: Suggestion.hint(for: text, in: names))
        return nil
    }
}

extension YAMLNode {
    /// True when substitution failed for this scalar; the error was reported then.
    var substitutionFailed: Bool { tag == Substitution.failedTag }
}
