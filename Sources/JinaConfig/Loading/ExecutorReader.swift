import Foundation

/// Resolving `uses` (SPEC §2.3) and reading executor documents (SPEC §2.2).
extension LoadSession {
    /// What a `uses` (or `uses_before`/`uses_after`) names, as an executor config; nil after an error.
    func resolveUses(_ node: YAMLNode?, path: String, directory: String, modules: [String], overrides: Overrides,
                     at entry: YAMLNode) -> ExecutorConfig? {
        var reader = NodeReader()
        defer { diagnostics.append(contentsOf: reader.diagnostics.all) }
        guard let node, ImplicitScalar.resolve(node.scalar ?? "x", style: .plain) != .null || node.tag != nil else {
            let base = ExecutorConfig(kind: .builtin(defaultExecutorClass), jtype: defaultExecutorClass, directory: directory)
            return apply(overrides, to: base, modules: modules, node: entry, path: path)
        }
        if node.mapping != nil || node.localTagName != nil {
            return readExecutorDocument(node, path: path, directory: directory, file: nil, modules: modules, overrides: overrides)
        }
        guard let text = reader.string(node, path)?.trimmingWhitespace else { return nil }

        if text.hasPrefix("docker://") || text.hasPrefix("jinahub://") || text.hasPrefix("jinahub+docker://") || text.hasPrefix("jinahub+sandbox://") {
            reader.diagnostics.error(node, path, "'\(text)': this build of jina does not run containers or Jina Hub images",
                                     hint: "run the executor as a local program with exec://, a Python class with py_modules, or a YAML file")
            return nil
        }
        if text.hasPrefix("exec://") {
            return resolveProgram(String(text.dropFirst("exec://".count)), node: node, path: path, directory: directory, overrides: overrides)
        }
        if text.hasPrefix("!") || text.hasPrefix("jtype") || text.hasPrefix("{") {
            guard let inline = parseEmbedded(text, in: node) else { return nil }
            return readExecutorDocument(inline, path: path, directory: directory, file: nil, modules: modules, overrides: overrides)
        }
        if text.hasSuffix(".yml") || text.hasSuffix(".yaml") {
            let absolute = LoadSession.existing(text, in: directory)
            guard var config = loadExecutorFile(absolute, node: node, path: path, written: text) else { return nil }
            config.metas.pyModules = Self.unique(modules + config.metas.pyModules)
            return apply(overrides, to: config, modules: [], node: node, path: path)
        }
        if Self.isClassName(text) {
            guard let kind = classKind(text, modules: modules, node: node, path: path, reader: &reader) else { return nil }
            let base = ExecutorConfig(kind: kind, jtype: text, metas: .init(pyModules: modules), directory: directory)
            return apply(overrides, to: base, modules: [], node: node, path: path)
        }
        reader.diagnostics.error(node, path, "cannot tell what 'uses: \(text)' names",
                                 hint: "expected a YAML file (.yml/.yaml), a class name, inline YAML ('!Class' or 'jtype: …') or exec://program")
        return nil
    }

    /// Reads an executor YAML file once per load, however many entries name it.
    private func loadExecutorFile(_ absolute: String, node: YAMLNode, path: String, written: String) -> ExecutorConfig? {
        if let cached = executorFiles[absolute] { return cached }
        if loading.contains(absolute) {
            diagnostics.error(node, path, "'\(written)' names itself")
            return nil
        }
        let display = LoadSession.displayName(absolute)
        let bytes: [UInt8]
        do {
            bytes = try FileReader.read(absolute)
        } catch {
            diagnostics.error(node, path, "executor YAML '\(written)': \(error.message)",
                              hint: error.message == "no such file" ? Self.lookedFor(absolute) : nil)
            executorFiles[absolute] = .some(nil)
            return nil
        }
        loading.insert(absolute)
        defer { loading.remove(absolute) }
        var config: ExecutorConfig?
        if let root = parse(bytes, file: display) {
            if root.localTagName == "Flow" || root["jtype"]?.scalar == "Flow" {
                diagnostics.error(node, path, "'\(written)' is a Flow, not an executor config")
            } else {
                config = readExecutorDocument(root, path: "", directory: (absolute as NSString).deletingLastPathComponent,
                                              file: absolute, modules: [], overrides: Overrides())
            }
        }
        executorFiles[absolute] = .some(config)
        return config
    }

    /// An executor document: `jtype` (or a `!Tag`), `with`, `metas`, `requests`.
    func readExecutorDocument(_ node: YAMLNode, path: String, directory: String, file: String?,
                              modules: [String] = [], overrides: Overrides = Overrides()) -> ExecutorConfig? {
        var reader = NodeReader()
        defer { diagnostics.append(contentsOf: reader.diagnostics.all) }
        let prefix = path.isEmpty ? "" : path + "."
        var jtype = node.localTagName
        var pairs: [(key: YAMLNode, value: YAMLNode)] = []
        if let text = node.scalar, node.tag != nil {
            if !text.trimmingWhitespace.isEmpty {
                reader.diagnostics.error(node, path, "unexpected '\(text)' after '\(node.tag!)'",
                                         hint: "write settings as a mapping: '\(node.tag!) {with: {…}}'")
            }
        } else {
            guard let p = reader.mapping(node, path) else { return nil }
            pairs = p
        }
        var with = ConfigValue.object([])
        var metas = ExecutorConfig.Metas()
        var requests: [(endpoint: String, method: String)] = []
        for (key, value) in pairs {
            guard let name = checkKey(key, in: .executorDocument, path: path, reader: &reader) else { continue }
            switch name {
            case "jtype":
                if let text = reader.string(value, prefix + "jtype") {
                    if jtype != nil { reader.diagnostics.error(key, prefix + "jtype", "both a '!\(jtype!)' tag and 'jtype' are given") }
                    jtype = text
                }
            case "with":
                if reader.mapping(value, prefix + "with") != nil { with = ConfigValue(value) }
            case "metas":
                if let metaPairs = reader.mapping(value, prefix + "metas") {
                    metas = readMetas(metaPairs, path: prefix + "metas", directory: directory, reader: &reader)
                }
            default:
                requests = readRequests(value, path: prefix + "requests", reader: &reader)
            }
        }
        guard let jtype else {
            reader.diagnostics.error(node, path, "executor config has no 'jtype'", hint: "add 'jtype: ClassName' (a built-in or a class in py_modules)")
            return nil
        }
        let allModules = Self.unique(modules + metas.pyModules + extraPythonModules)
        guard let kind = classKind(jtype, modules: allModules, node: node["jtype"] ?? node, path: prefix + "jtype", reader: &reader) else { return nil }
        metas.pyModules = allModules
        let config = ExecutorConfig(kind: kind, jtype: jtype, with: with, metas: metas, requests: requests, file: file, directory: directory)
        checkBuiltinParameters(config, own: node["with"], path: prefix + "with", reader: &reader)
        return apply(overrides, to: config, modules: [], node: node, path: path)
    }

    func readMetas(_ pairs: [(key: YAMLNode, value: YAMLNode)], path: String, directory: String, reader: inout NodeReader) -> ExecutorConfig.Metas {
        var metas = ExecutorConfig.Metas()
        for (key, value) in pairs {
            guard let name = checkKey(key, in: .metas, path: path, reader: &reader) else { continue }
            let keyPath = "\(path).\(name)"
            switch name {
            case "name":
                metas.name = reader.string(value, keyPath)
            case "description": metas.description = reader.string(value, keyPath)
            case "workspace": metas.workspace = reader.string(value, keyPath).map { LoadSession.absolute($0, in: directory) }
            default: metas.pyModules = pythonModules(value, keyPath, directory: directory, reader: &reader)
            }
        }
        return metas
    }

    func readRequests(_ node: YAMLNode, path: String, reader: inout NodeReader) -> [(endpoint: String, method: String)] {
        guard let pairs = reader.mapping(node, path) else { return [] }
        var result: [(endpoint: String, method: String)] = []
        for (key, value) in pairs {
            guard let endpoint = key.scalar, let method = reader.string(value, "\(path).\(key.scalar ?? "")") else { continue }
            if !endpoint.hasPrefix("/") {
                reader.diagnostics.warning(key, "\(path).\(endpoint)", "endpoint '\(endpoint)' does not start with '/'; clients send '/\(endpoint)'")
            }
            result.append((endpoint, method))
        }
        return result
    }

    /// `py_modules`, resolved against the YAML that names them (or the working directory); each must exist.
    func pythonModules(_ node: YAMLNode, _ path: String, directory: String, reader: inout NodeReader) -> [String] {
        guard let list = reader.stringList(node, path) else { return [] }
        var result: [String] = []
        for (i, (text, item)) in list.enumerated() {
            let absolute = LoadSession.existing(text, in: directory)
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) {
                reader.diagnostics.error(item, list.count > 1 ? "\(path)[\(i)]" : path, "Python module '\(text)' not found",
                                         hint: Self.lookedFor(absolute))
            } else {
                result.append(absolute)
            }
        }
        return result
    }

    /// A class name is a built-in, or a Python class in one of `modules`.
    private func classKind(_ name: String, modules: [String], node: YAMLNode, path: String, reader: inout NodeReader) -> ExecutorConfig.Kind? {
        if !modules.isEmpty {
            if !modules.contains(where: { Self.module($0, definesClass: name) }) {
                if BuiltinExecutorCatalog.named(name) != nil { return .builtin(name) }
                let names = modules.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
                reader.diagnostics.warning(node, path, "no 'class \(name)' found in \(names)",
                                           hint: Suggestion.hint(for: name, in: modules.flatMap(Self.classNames(in:))))
            }
            if PythonInterpreter.find(environment: substitution.environment) == nil {
                reader.diagnostics.error(node, path, "the Python class \(name) needs Python: \(PythonInterpreter.missingMessage(environment: substitution.environment))",
                                         hint: "install python3, or set JINA_PYTHON to its path")
            }
            return .python(className: name, modules: modules)
        }
        if BuiltinExecutorCatalog.named(name) != nil { return .builtin(name) }
        reader.diagnostics.error(node, path, "unknown executor class '\(name)'",
                                 hint: Suggestion.hint(for: name, in: BuiltinExecutorCatalog.names)
                                    ?? "not a built-in ('jina executor list'); for a Python class add its file to metas.py_modules or py_modules")
        return nil
    }

    /// `exec://program args…`: the program must exist and be executable.
    private func resolveProgram(_ command: String, node: YAMLNode, path: String, directory: String, overrides: Overrides) -> ExecutorConfig? {
        let words = Self.splitCommandLine(command)
        guard let program = words.first else {
            diagnostics.error(node, path, "'exec://' needs a program", hint: "e.g. exec://./my-executor.py --flag")
            return nil
        }
        let executable: String
        if program.contains("/") {
            executable = LoadSession.absolute(program, in: directory)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: executable, isDirectory: &isDirectory), !isDirectory.boolValue else {
                diagnostics.error(node, path, "program '\(program)' not found", hint: Self.lookedFor(executable))
                return nil
            }
            guard FileManager.default.isExecutableFile(atPath: executable) else {
                diagnostics.error(node, path, "program '\(program)' is not executable", hint: "chmod +x \(LoadSession.displayName(executable))")
                return nil
            }
        } else {
            guard let found = Self.searchPath(program) else {
                diagnostics.error(node, path, "program '\(program)' not found on PATH", hint: "give a path such as ./\(program)")
                return nil
            }
            executable = found
        }
        var config = ExecutorConfig(kind: .program(executable: executable, arguments: Array(words.dropFirst())),
                                    jtype: (program as NSString).lastPathComponent, directory: directory)
        config.writtenAs = "exec://" + command.trimmingWhitespace
        return apply(overrides, to: config, modules: [], node: node, path: path)
    }

    /// A built-in's `with:` (and an entry's `uses_with` for it) should name only its parameters;
    /// others are ignored with a warning, as Jina warns about unknown constructor arguments.
    private func checkBuiltinParameters(_ config: ExecutorConfig, own: YAMLNode?, path: String, reader: inout NodeReader) {
        guard case .builtin(let builtin) = config.kind, let spec = BuiltinExecutorCatalog.named(builtin),
              let pairs = own?.mapping else { return }
        for (key, _) in pairs {
            guard let name = key.scalar, !spec.parameters.contains(where: { $0.name == name }) else { continue }
            reader.diagnostics.warning(key, "\(path).\(name)", "\(builtin) has no parameter '\(name)'; ignored",
                                     hint: Suggestion.hint(for: name, in: spec.parameters.map(\.name))
                                        ?? (spec.parameters.isEmpty ? "it takes no parameters" : "see 'jina executor list'"))
        }
    }

    /// Lays an entry's `uses_with` / `uses_metas` / `uses_requests` over a config.
    private func apply(_ overrides: Overrides, to config: ExecutorConfig, modules: [String], node: YAMLNode, path: String) -> ExecutorConfig {
        var config = config
        if let with = overrides.with {
            var reader = NodeReader()
            checkBuiltinParameters(config, own: overrides.withNode, path: overrides.withPath, reader: &reader)
            diagnostics.append(contentsOf: reader.diagnostics.all)
            config.with = config.with.merging(with)
        }
        if let metas = overrides.metas {
            config.metas.name = metas.name ?? config.metas.name
            config.metas.description = metas.description ?? config.metas.description
            config.metas.workspace = metas.workspace ?? config.metas.workspace
            config.metas.pyModules = Self.unique(config.metas.pyModules + metas.pyModules)
        }
        for request in overrides.requests {
            config.requests.removeAll { $0.endpoint == request.endpoint }
            config.requests.append(request)
        }
        config.metas.pyModules = Self.unique(modules + config.metas.pyModules)
        return config
    }

    /// YAML inside a scalar (inline `uses`, a JSON-string `polling`), with positions mapped back
    /// into the enclosing file. Not substituted again: the scalar already was.
    func parseEmbedded(_ text: String, in node: YAMLNode) -> YAMLNode? {
        guard case .scalar(_, let style) = node.content else { return nil }
        do {
            guard let parsed = try YAMLParser().parse(Array(text.utf8), file: node.file) else { return nil }
            return remap(parsed, node, style)
        } catch {
            diagnostics.append(contentsOf: error.diagnostics.map { var d = $0; d.location = mapInline(d.location.mark, node, style); return d })
            return nil
        }
    }

    private func remap(_ inner: YAMLNode, _ outer: YAMLNode, _ style: ScalarStyle) -> YAMLNode {
        var node = inner
        node.mark = mapInline(inner.mark, outer, style).mark
        switch inner.content {
        case .scalar: break
        case .sequence(let items): node.content = .sequence(items.map { remap($0, outer, style) })
        case .mapping(let pairs): node.content = .mapping(pairs.map { (remap($0.key, outer, style), remap($0.value, outer, style)) })
        }
        return node
    }

    /// Where a position inside inline YAML lies in the file: block scalars (`uses: |`) start on the
    /// next line at that line's indentation; other scalars on their own line after any quote.
    private func mapInline(_ mark: SourceMark, _ outer: YAMLNode, _ style: ScalarStyle) -> SourceLocation {
        switch style {
        case .literal, .folded:
            // libyaml strips the block's indentation, which its first content line sets.
            let line = outer.mark.line + mark.line
            return SourceLocation(file: outer.file, mark: SourceMark(line: line, column: mark.column + indentation(ofLine: outer.mark.line + 1, in: outer.file)))
        default:
            let shift = style == .plain ? 0 : 1
            let column = mark.line == 1 ? outer.mark.column + shift + mark.column - 1 : mark.column
            return SourceLocation(file: outer.file, mark: SourceMark(line: outer.mark.line + mark.line - 1, column: column))
        }
    }

    private func indentation(ofLine line: Int, in file: String) -> Int {
        guard let bytes = sources[file] else { return 0 }
        var current = 1, index = 0
        while current < line, index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") { current += 1 }
            index += 1
        }
        var spaces = 0
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { spaces += 1; index += 1 }
        return spaces
    }

    /// The hint for a file not found: where it was looked for (paths are relative to the naming YAML).
    static func lookedFor(_ absolute: String) -> String {
        "looked for \(LoadSession.displayName(absolute)), relative to the YAML file that names it"
    }

    static func isClassName(_ text: String) -> Bool {
        guard let first = text.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return text.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    /// The `class X` names a Python file defines at any indentation (a cheap scan, not an import).
    static func classNames(in module: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: module) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("class ") else { return nil }
            let name = trimmed.dropFirst(6).prefix { $0 == "_" || $0.isLetter || $0.isNumber }
            return name.isEmpty ? nil : String(name)
        }
    }

    static func module(_ module: String, definesClass name: String) -> Bool {
        classNames(in: module).contains(name)
    }

    static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    static func searchPath(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Splits `prog --flag 'two words'` as a shell would for simple quoting (no expansion).
    static func splitCommandLine(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        var escaped = false
        for c in text {
            if escaped { current.append(c); escaped = false; continue }
            if c == "\\" && quote != "'" { escaped = true; inWord = true; continue }
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c.isWhitespace {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(c)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
