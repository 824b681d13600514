import Foundation

/// Reads a Flow test file into a `FlowTestSuite`, reporting what is wrong as lint does:
/// file:line:col, key path, did-you-mean for unknown keys.
public enum FlowTestReader {
    static let suiteKeys = ["flow", "tests"]
    static let caseKeys = ["name", "on", "parameters", "inputs", "inputs_file", "expect", "expect_count", "expect_error"]

    /// Whether the file is a Flow test file rather than a Flow or executor: a mapping with
    /// `tests` and without `jtype` (so that `jina flow lint` checks it as one).
    public static func isTestFile(path: String) -> Bool {
        guard let root = try? YAMLParser().parseFile(atPath: path), root.mapping != nil else { return false }
        return root["tests"] != nil && root["jtype"] == nil
    }

    /// The suite (nil when the file has errors) and every diagnostic.
    public static func read(path: String) -> (suite: FlowTestSuite?, diagnostics: [Diagnostic]) {
        let root: YAMLNode?
        do { root = try YAMLParser().parseFile(atPath: path) } catch { return (nil, error.diagnostics) }
        var reader = NodeReader()
        guard let root else {
            reader.diagnostics.append(Diagnostic(.error, at: SourceLocation(file: path), "the test file is empty: it needs 'flow' and 'tests'"))
            return (nil, reader.diagnostics.sorted)
        }
        let suite = read(root, file: path, reader: &reader)
        return (reader.diagnostics.hasErrors ? nil : suite, reader.diagnostics.sorted)
    }

    static func read(_ root: YAMLNode, file: String, reader: inout NodeReader) -> FlowTestSuite? {
        guard let pairs = reader.mapping(root, "") else { return nil }
        let directory = (file as NSString).deletingLastPathComponent
        var flow: String?
        var tests: [FlowTestCase] = []
        var sawTests = false
        for (key, value) in pairs {
            let name = key.scalar ?? ""
            switch name {
            case "flow":
                if let text = reader.string(value, "flow") {
                    let path = resolve(text, in: directory)
                    if FileManager.default.fileExists(atPath: path) { flow = path } else {
                        reader.diagnostics.error(value, "flow", "no such Flow file: \(text)")
                    }
                }
            case "tests":
                sawTests = true
                guard let items = value.sequence else {
                    reader.diagnostics.error(value, "tests", "expected a list of tests, found \(value.kindDescription)")
                    continue
                }
                for (index, item) in items.enumerated() {
                    if let test = readCase(item, path: "tests[\(index)]", directory: directory, reader: &reader) { tests.append(test) }
                }
            default:
                reader.diagnostics.error(key, name, "unknown key '\(name)'", hint: Suggestion.hint(for: name, in: suiteKeys))
            }
        }
        if flow == nil && !pairs.contains(where: { $0.key.scalar == "flow" }) {
            reader.diagnostics.error(root, "", "missing 'flow': the Flow file the tests run, relative to this file")
        }
        if !sawTests { reader.diagnostics.error(root, "", "missing 'tests': a list of tests") }
        guard let flow else { return nil }
        return FlowTestSuite(file: file, flowPath: flow, tests: tests)
    }

    static func readCase(_ node: YAMLNode, path: String, directory: String, reader: inout NodeReader) -> FlowTestCase? {
        guard let pairs = reader.mapping(node, path) else { return nil }
        var name: String?
        var endpoint = "/default"
        var parameters: [ConfigField] = []
        var inputs: FlowTestCase.Inputs?
        var expect: [ConfigValue]?
        var expectCount: Int?
        var expectError: String?
        for (key, value) in pairs {
            let field = key.scalar ?? ""
            let at = path + "." + field
            switch field {
            case "name": name = reader.string(value, at)
            case "on": endpoint = reader.string(value, at) ?? endpoint
            case "parameters":
                if case .object(let fields) = ConfigValue(value) { parameters = fields } else {
                    reader.diagnostics.error(value, at, "expected a mapping, found \(value.kindDescription)")
                }
            case "inputs", "inputs_file":
                if inputs != nil {
                    reader.diagnostics.error(key, at, "give 'inputs' or 'inputs_file', not both")
                } else if field == "inputs_file" {
                    if let text = reader.string(value, at) {
                        let file = resolve(text, in: directory)
                        if FileManager.default.fileExists(atPath: file) || file.contains("*") { inputs = .file(file) } else {
                            reader.diagnostics.error(value, at, "no such inputs file: \(text)")
                        }
                    }
                } else if let items = documents(value, at, reader: &reader) {
                    inputs = .documents(items)
                }
            case "expect": expect = documents(value, at, reader: &reader)
            case "expect_count": expectCount = reader.int(value, at, atLeast: 0)
            case "expect_error": expectError = reader.string(value, at)
            default:
                reader.diagnostics.error(key, at, "unknown key '\(field)'", hint: Suggestion.hint(for: field, in: caseKeys))
            }
        }
        let label = name ?? "\(path)"
        if inputs == nil && !pairs.contains(where: { $0.key.scalar == "inputs" || $0.key.scalar == "inputs_file" }) {
            reader.diagnostics.error(node, path, "test '\(label)' has no 'inputs' (documents) or 'inputs_file'")
        }
        if expect == nil && expectCount == nil && expectError == nil
            && !pairs.contains(where: { ["expect", "expect_count", "expect_error"].contains($0.key.scalar ?? "") }) {
            reader.diagnostics.warning(node, path, "test '\(label)' asserts nothing: give 'expect', 'expect_count' or 'expect_error'")
        }
        guard let inputs else { return nil }
        return FlowTestCase(name: label, location: node.location, endpoint: endpoint, parameters: parameters, inputs: inputs,
                            expect: expect, expectCount: expectCount, expectError: expectError)
    }

    /// A list of documents: each a mapping.
    static func documents(_ node: YAMLNode, _ path: String, reader: inout NodeReader) -> [ConfigValue]? {
        guard let items = node.sequence else {
            reader.diagnostics.error(node, path, "expected a list of documents, found \(node.kindDescription)")
            return nil
        }
        var documents: [ConfigValue] = []
        for (index, item) in items.enumerated() {
            guard item.mapping != nil else {
                reader.diagnostics.error(item, "\(path)[\(index)]", "expected a document (a mapping such as {text: hello}), found \(item.kindDescription)")
                return nil
            }
            documents.append(ConfigValue(item))
        }
        return documents
    }

    static func resolve(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") || directory.isEmpty ? path : directory + "/" + path
    }
}
