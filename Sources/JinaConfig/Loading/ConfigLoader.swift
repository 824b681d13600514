import Foundation

/// Loads Flow and executor YAML files into typed configs, collecting every diagnostic.
///
/// The one way configs are read: `lint`, `plot` and the runtime all go through it, so what lint
/// accepts is what runs.
public struct ConfigLoader: Sendable {
    public var environment: [String: String]
    /// `--var NAME=value` context variables for `${{ NAME }}`.
    public var variables: [String: String]
    /// Python files every executor entry may take its class from, after its own `py_modules`
    /// (absolute paths): how the Python Flow API lends a script's classes to a loaded YAML.
    public var extraPythonModules: [String] = []
    /// Unset variables are warnings (what `lint` does unless --strict).
    public var unsetVariablesAreWarnings = false

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, variables: [String: String] = [:]) {
        self.environment = environment
        self.variables = variables
    }

    /// A loaded file: a Flow or a single executor config.
    public enum Document: Sendable {
        case flow(FlowConfig)
        case executor(ExecutorConfig)
    }

    public struct Result: Sendable {
        /// nil when the file could not be read as either kind of config.
        public var document: Document?
        /// Sorted by file and position.
        public var diagnostics: [Diagnostic]

        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

        public var flow: FlowConfig? {
            if case .flow(let flow) = document { return flow }
            return nil
        }
    }

    private var substitution: Substitution {
        var substitution = Substitution(environment: environment, context: variables)
        substitution.unsetIsWarning = unsetVariablesAreWarnings
        return substitution
    }

    /// Loads a Flow or executor YAML file; which one it is follows from its `jtype`.
    public func load(path: String) -> Result {
        let session = LoadSession(substitution: substitution,
                                  extraPythonModules: extraPythonModules)
        let document = session.loadTopLevel(path: path)
        return Result(document: document, diagnostics: session.diagnostics.sorted)
    }

    /// Loads YAML text as if read from `file` in `directory` (for tests and inline use).
    public func load(yaml: String, file: String, directory: String) -> Result {
        let session = LoadSession(substitution: substitution,
                                  extraPythonModules: extraPythonModules)
        let document = session.loadTopLevel(bytes: Array(yaml.utf8), file: file, directory: directory)
        return Result(document: document, diagnostics: session.diagnostics.sorted)
    }

    /// Everything `jina flow lint` reports for one file: the load, and for a Flow its graph.
    public func lint(path: String) -> [Diagnostic] {
        if FlowTestReader.isTestFile(path: path) { return FlowTestReader.read(path: path).diagnostics }
        let result = load(path: path)
        guard let flow = result.flow else { return result.diagnostics }
        var bag = DiagnosticBag()
        bag.append(contentsOf: result.diagnostics + FlowGraph.build(flow).diagnostics)
        return bag.sorted
    }

    /// Loads a Flow and validates its graph. The graph is nil when there are errors.
    public func loadFlowGraph(path: String) -> (graph: FlowGraph?, diagnostics: [Diagnostic]) {
        var result = load(path: path)
        guard case .flow(let flow) = result.document else {
            if result.document != nil {
                result.diagnostics.append(Diagnostic(.error, at: SourceLocation(file: path), "this is an executor config, not a Flow",
                                                     hint: "a Flow file has 'jtype: Flow' and an 'executors' list"))
            }
            return (nil, result.diagnostics)
        }
        let (graph, graphDiagnostics) = FlowGraph.build(flow)
        var bag = DiagnosticBag()
        bag.append(contentsOf: result.diagnostics + graphDiagnostics)
        return (bag.hasErrors ? nil : graph, bag.sorted)
    }
}

/// The state of one load: diagnostics, and executor files already read (each is read once).
final class LoadSession {
    let substitution: Substitution
    var diagnostics = DiagnosticBag()
    /// Absolute path → config, nil when it failed to load.
    var executorFiles: [String: ExecutorConfig?] = [:]
    /// Absolute paths being loaded, to stop a file that names itself.
    var loading: Set<String> = []
    /// File text by display name, for positions inside inline YAML.
    var sources: [String: [UInt8]] = [:]

    let extraPythonModules: [String]

    init(substitution: Substitution, extraPythonModules: [String] = []) {
        self.substitution = substitution
        self.extraPythonModules = extraPythonModules
    }

    func loadTopLevel(path: String) -> ConfigLoader.Document? {
        do {
            let bytes = try FileReader.read(path)
            return loadTopLevel(bytes: bytes, file: path, directory: Self.directory(of: path))
        } catch {
            diagnostics.append(Diagnostic(.error, at: SourceLocation(file: path), error.message))
            return nil
        }
    }

    func loadTopLevel(bytes: [UInt8], file: String, directory: String) -> ConfigLoader.Document? {
        guard let root = parse(bytes, file: file) else { return nil }
        if isFlow(root) {
            return readFlow(root, file: file, directory: directory).map { .flow($0) }
        }
        return readExecutorDocument(root, path: "", directory: directory, file: Self.absolute(file, in: FileManager.default.currentDirectoryPath))
            .map { .executor($0) }
    }

    /// Parses and substitutes one document; diagnostics are recorded, nil when nothing usable.
    func parse(_ bytes: [UInt8], file: String) -> YAMLNode? {
        sources[file] = bytes
        do {
            guard let root = try YAMLParser().parse(bytes, file: file) else {
                diagnostics.append(Diagnostic(.error, at: SourceLocation(file: file), "the file is empty",
                                              hint: "a Flow starts with 'jtype: Flow'; an executor with 'jtype: ClassName'"))
                return nil
            }
            if case .scalar(let text, .plain) = root.content, text.isEmpty, root.tag == nil {
                diagnostics.append(Diagnostic(.error, at: root.location, "the document is empty",
                                              hint: "a Flow starts with 'jtype: Flow'; an executor with 'jtype: ClassName'"))
                return nil
            }
            return substitution.apply(to: root, source: bytes, diagnostics: &diagnostics)
        } catch {
            diagnostics.append(contentsOf: error.diagnostics)
            return nil
        }
    }

    private func isFlow(_ root: YAMLNode) -> Bool {
        if root.localTagName == "Flow" || root["jtype"]?.scalar == "Flow" { return true }
        return root["jtype"] == nil && root.localTagName == nil && (root["executors"] != nil || root["pods"] != nil)
    }

    static func directory(of path: String) -> String {
        let absolute = absolute(path, in: FileManager.default.currentDirectoryPath)
        return (absolute as NSString).deletingLastPathComponent
    }

    static func absolute(_ path: String, in directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
        return (joined as NSString).standardizingPath
    }

    /// A file a config names (`uses:` YAML, `py_modules`): relative to the config's directory, or, as Jina
    /// also looked there, relative to the working directory when only that one exists.
    static func existing(_ path: String, in directory: String) -> String {
        let primary = absolute(path, in: directory)
        if path.hasPrefix("/") || FileManager.default.fileExists(atPath: primary) { return primary }
        let fallback = absolute(path, in: FileManager.default.currentDirectoryPath)
        return FileManager.default.fileExists(atPath: fallback) ? fallback : primary
    }

    /// How a file reached from a config is named in diagnostics: relative to the working directory when inside it.
    static func displayName(_ absolutePath: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return absolutePath.hasPrefix(prefix) ? String(absolutePath.dropFirst(prefix.count)) : absolutePath
    }
}

extension FileReader.ReadError {
    var diagnosticsMessage: String { message }
}
