/// What runs inside one executor process: an executor YAML (SPEC §2.2) after `uses_*` overrides.
public struct ExecutorConfig: Sendable {
    /// How the executor is implemented.
    public enum Kind: Sendable, Equatable {
        /// A Swift executor shipped with `jina` (`jina executor list`).
        case builtin(String)
        /// A Python class from `py_modules`, run by the bundled Python executor host.
        case python(className: String, modules: [String])
        /// `exec://program args…`: any program that speaks the executor protocol.
        case program(executable: String, arguments: [String])
    }

    public var kind: Kind
    /// The `jtype` as written (class name); for programs, the program's file name.
    public var jtype: String
    /// Constructor parameters (`with:`), overridden by the Flow entry's `uses_with`.
    public var with: ConfigValue
    public var metas: Metas
    /// Endpoint → method name (`requests:`), overridden by `uses_requests`.
    public var requests: [(endpoint: String, method: String)]
    /// The executor YAML file this came from, if any (absolute path).
    public var file: String?
    /// The directory relative paths in this config are resolved against.
    public var directory: String
    /// How `uses` named it, when that reads better than the resolved form (`exec://./enc.py`
    /// rather than an absolute path that differs from machine to machine).
    public var writtenAs: String?

    public struct Metas: Sendable, Equatable {
        public var name: String?
        public var description: String?
        public var workspace: String?
        /// Absolute paths of the Python modules to import.
        public var pyModules: [String]

        public init(name: String? = nil, description: String? = nil, workspace: String? = nil, pyModules: [String] = []) {
            self.name = name
            self.description = description
            self.workspace = workspace
            self.pyModules = pyModules
        }
    }

    public init(kind: Kind, jtype: String, with: ConfigValue = .object([]), metas: Metas = Metas(),
                requests: [(endpoint: String, method: String)] = [], file: String? = nil, directory: String) {
        self.kind = kind
        self.jtype = jtype
        self.with = with
        self.metas = metas
        self.requests = requests
        self.file = file
        self.directory = directory
    }

    /// The name used for per-executor `parameters`: `metas.name`, else the class name (Jina's rule).
    public var parameterScope: String { metas.name ?? jtype }

    /// A short label of what runs, for plots and logs: `MyExecutor`, `exec://./enc.py`.
    public var summary: String {
        if let writtenAs { return writtenAs }
        switch kind {
        case .builtin(let name): return name
        case .python(let className, _): return className
        case .program(let executable, let arguments):
            return "exec://" + ([executable] + arguments).joined(separator: " ")
        }
    }
}

/// The pass-through executor Jina uses when `uses` is absent.
public let defaultExecutorClass = "BaseExecutor"
