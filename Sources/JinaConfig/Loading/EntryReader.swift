import JinaWire
/// Reading one item of a Flow's `executors:` list.
extension LoadSession {
    func readEntry(_ node: YAMLNode, index: Int, previous: [ExecutorEntry], inherited: [(key: String, node: YAMLNode)],
                   directory: String) -> ExecutorEntry? {
        var reader = NodeReader()
        defer { diagnostics.append(contentsOf: reader.diagnostics.all) }
        let path = "executors[\(index)]"
        guard let pairs = reader.mapping(node, path) else { return nil }

        // Gather keys first: `uses` needs `py_modules`, defaults come from the Flow's `with`.
        var keys: [String: (key: YAMLNode, value: YAMLNode, path: String)] = [:]
        for (key, value) in pairs {
            guard let name = checkKey(key, in: .executorEntry, path: path, reader: &reader) else { continue }
            if keys[name] != nil {
                reader.diagnostics.error(key, "\(path).\(key.scalar ?? name)", "'\(name)' is set twice (once under its old name)")
                continue
            }
            keys[name] = (key, value, "\(path).\(key.scalar ?? name)")
        }
        for (raw, value) in inherited {
            let name = KeyTable.executorEntry.renamed[raw] ?? raw
            if keys[name] == nil { keys[name] = (value, value, "with.\(raw)") }
        }

        var keyLocations: [String: SourceLocation] = [:]
        for (name, item) in keys { keyLocations[name] = item.key.location }

        let name: String
        if let item = keys["name"], let text = reader.string(item.value, item.path) {
            name = text
            if !Self.isValidName(text) {
                reader.diagnostics.error(item.value, item.path, "executor name '\(text)' may hold only letters, digits, '_' and '-', and must start with a letter or '_'")
            }
        } else {
            name = "pod\(index)"
        }

        var method = ExecutorEntry.JoinMethod.add
        if let item = keys["method"], let text = reader.string(item.value, item.path) {
            if text.lowercased() == "inspect" {
                reader.diagnostics.error(item.value, item.path, "'method: inspect' is not supported", hint: "add the inspecting executor as a normal executor")
            } else if let m = ExecutorEntry.JoinMethod(rawValue: text.lowercased()) {
                method = m
            } else {
                reader.diagnostics.error(item.value, item.path, "expected one of add, needs, needs_all, found '\(text)'",
                                         hint: Suggestion.hint(for: text, in: ["add", "needs", "needs_all"]))
            }
        }

        var needs: [String] = []
        var needsLocations: [SourceLocation] = []
        var needsGiven = false
        if let item = keys["needs"], let list = reader.stringList(item.value, item.path) {
            for (i, (need, itemNode)) in list.enumerated() {
                if needs.contains(need) {
                    reader.diagnostics.warning(itemNode, "\(item.path)[\(i)]", "'\(need)' is listed twice")
                    continue
                }
                needs.append(need)
                needsLocations.append(itemNode.location)
            }
            needsGiven = true
            if method == .needsAll {
                reader.diagnostics.warning(item.key, item.path, "'needs' is ignored with 'method: needs_all'")
            }
        }
        switch method {
        case .needsAll:
            let needed = Set(previous.flatMap(\.needs))
            needs = previous.map(\.name).filter { !needed.contains($0) }
            if needs.isEmpty { needs = [FlowGraph.gateway] }
            needsLocations = needs.map { _ in node.location }
        default:
            if method == .needs, keys["needs"] == nil {
                reader.diagnostics.error(node, path, "'method: needs' requires a 'needs' list")
            }
            // Absent, empty or unreadable: the previous executor, as Jina's `add` does.
            if !needsGiven || needs.isEmpty {
                needs = [previous.last?.name ?? FlowGraph.gateway]
                needsLocations = [keys["needs"]?.key.location ?? node.location]
            }
        }

        // py_modules of the entry are imported before the class is looked up (Jina's order).
        var entryModules: [String] = []
        if let item = keys["py_modules"] {
            entryModules = pythonModules(item.value, item.path, directory: directory, reader: &reader)
        }
        entryModules += extraPythonModules.filter { !entryModules.contains($0) }

        var overrides = Overrides()
        if let item = keys["uses_with"], reader.mapping(item.value, item.path) != nil {
            overrides.with = ConfigValue(item.value)
            overrides.withNode = item.value
            overrides.withPath = item.path
        }
        if let item = keys["uses_metas"], let metaPairs = reader.mapping(item.value, item.path) {
            overrides.metas = readMetas(metaPairs, path: item.path, directory: directory, reader: &reader)
        }
        if let item = keys["uses_requests"] {
            overrides.requests = readRequests(item.value, path: item.path, reader: &reader)
        }

        let usesItem = keys["uses"]
        let executor = resolveUses(usesItem?.value, path: usesItem?.path ?? "\(path).uses", directory: directory,
                                   modules: entryModules, overrides: overrides, at: node)
        let usesBefore = keys["uses_before"].flatMap {
            resolveUses($0.value, path: $0.path, directory: directory, modules: entryModules, overrides: Overrides(), at: node)
        }
        let usesAfter = keys["uses_after"].flatMap {
            resolveUses($0.value, path: $0.path, directory: directory, modules: entryModules, overrides: Overrides(), at: node)
        }

        let shards = keys["shards"].flatMap { reader.int($0.value, $0.path, atLeast: 1) } ?? 1
        let replicas = keys["replicas"].flatMap { reader.int($0.value, $0.path, atLeast: 1) } ?? 1
        let polling = keys["polling"].flatMap { readPolling($0.value, path: $0.path, reader: &reader) } ?? PollingSpec()
        let env = keys["env"].flatMap { reader.stringMap($0.value, $0.path) } ?? []
        var timeoutReady = ExecutorEntry.defaultTimeoutReady
        if let item = keys["timeout_ready"], let t = reader.int(item.value, item.path, atLeast: -1) { timeoutReady = t }
        let workspace = keys["workspace"].flatMap { reader.string($0.value, $0.path) }.map { LoadSession.absolute($0, in: directory) }
        let framing = keys["framing"].flatMap { reader.choice($0.value, $0.path, Framing.self) } ?? .frames
        if let item = keys["external"] { _ = reader.bool(item.value, item.path) }
        let remotes = readRemotes(keys["host"], keys["port"], entry: node, path: path, reader: &reader)
        if shards > 1, remotes.count > 1, remotes.count != shards, let hostItem = keys["host"] {
            reader.diagnostics.error(hostItem.value, hostItem.path,
                                     "with shards: \(shards), host lists one address per shard; found \(remotes.count)",
                                     hint: "a name that resolves to several addresses gives a shard its replicas")
        }

        // An entry whose `uses` failed stays in the Flow (as a pass-through) so that the graph is
        // still checked and its name is known to `needs`; the load has errors, so it never runs.
        let placeholder = ExecutorConfig(kind: .builtin(defaultExecutorClass), jtype: defaultExecutorClass, directory: directory)
        var entry = ExecutorEntry(name: name, index: index, needs: needs, method: method, usesText: usesItem?.value.scalar,
                                  executor: executor ?? placeholder, usesBefore: usesBefore, usesAfter: usesAfter, shards: shards,
                                  replicas: replicas, polling: polling, env: env, timeoutReady: timeoutReady, remotes: remotes,
                                  workspace: workspace, framing: framing, location: node.location, keyLocations: keyLocations,
                                  needsLocations: needsLocations)
        if let item = keys["retries"], let r = reader.int(item.value, item.path, atLeast: -1) { entry.retries = r }
        return entry
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return name.allSatisfy { $0 == "_" || $0 == "-" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    /// `polling: ALL`, or per endpoint `{/index: ANY, /search: ALL, '*': ANY}` (also as a JSON string).
    private func readPolling(_ node: YAMLNode, path: String, reader: inout NodeReader) -> PollingSpec? {
        var node = node
        if let text = node.scalar, text.trimmingWhitespace.hasPrefix("{") {
            guard let parsed = parseEmbedded(text, in: node) else { return nil }
            node = parsed
        }
        guard let pairs = node.mapping else {
            return reader.choice(node, path, Polling.self).map { PollingSpec($0) }
        }
        var spec = PollingSpec()
        for (key, value) in pairs {
            guard let endpoint = key.scalar, let polling = reader.choice(value, "\(path).\(key.scalar ?? "")", Polling.self) else { continue }
            if endpoint == "*" { spec.fallback = polling } else { spec.byEndpoint.append((endpoint, polling)) }
        }
        return spec
    }

    /// `host` + `port`, `host: 'IP:PORT'` (Jina 2's form), or a list of hosts (each with its own
    /// port, or `port:`'s): a remote executor, one replica per address.
    private func readRemotes(_ hostItem: (key: YAMLNode, value: YAMLNode, path: String)?,
                             _ portItem: (key: YAMLNode, value: YAMLNode, path: String)?,
                             entry: YAMLNode, path: String, reader: inout NodeReader) -> [RemoteAddress] {
        guard let hostItem else {
            if let portItem {
                reader.diagnostics.error(portItem.key, portItem.path, "'port' names a remote executor and needs 'host' too",
                                         hint: "add host: 127.0.0.1 for an executor served by 'jina executor --port'")
            }
            return []
        }
        var port: Int?
        if let portItem {
            port = reader.int(portItem.value, portItem.path, atLeast: 1)
            if let given = port, given > 65535 {
                reader.diagnostics.error(portItem.value, portItem.path, "port must be at most 65535, found \(given)")
                port = nil
            }
        }
        let items = hostItem.value.sequence.map { $0.enumerated().map { ($1, "\(hostItem.path)[\($0)]") } } ?? [(hostItem.value, hostItem.path)]
        if items.isEmpty { reader.diagnostics.error(hostItem.value, hostItem.path, "expected a host or a list of hosts, found an empty list") }
        var remotes: [RemoteAddress] = []
        for (node, itemPath) in items {
            guard var host = reader.string(node, itemPath) else { continue }
            var own: Int?
            // Jina 2's 'HOST:PORT'; an IPv6 address has several colons, so only '[::1]:8000' splits.
            let colons = host.filter { $0 == ":" }.count
            if let colon = host.lastIndex(of: ":"), colons == 1 || host.hasPrefix("["), let p = Int(host[host.index(after: colon)...]) {
                own = p
                host = String(host[..<colon])
            }
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            if let own, own < 1 || own > 65535 {
                reader.diagnostics.error(node, itemPath, "port must be from 1 to 65535, found \(own)")
                continue
            }
            guard let chosen = own ?? port else {
                if portItem == nil {
                    reader.diagnostics.error(node, itemPath, "'\(host)' names a remote executor and needs a port",
                                             hint: "write '\(host):PORT', or add port: with the port it was served on with 'jina executor --port'")
                }
                continue
            }
            remotes.append(RemoteAddress(host: host, port: chosen))
        }
        return remotes
    }
}

/// An entry's `uses_with`, `uses_metas` and `uses_requests`, laid over the executor's own config.
struct Overrides {
    var with: ConfigValue?
    /// Where `uses_with` was written, for diagnostics about its keys.
    var withNode: YAMLNode?
    var withPath = ""
    var metas: ExecutorConfig.Metas?
    var requests: [(endpoint: String, method: String)] = []
}
