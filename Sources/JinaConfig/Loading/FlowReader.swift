import JinaWire

/// Reading a Flow document (SPEC §2.1): top-level keys, `with:`, and each executor entry.
extension LoadSession {
    func readFlow(_ root: YAMLNode, file: String, directory: String) -> FlowConfig? {
        var reader = NodeReader()
        defer { diagnostics.append(contentsOf: reader.diagnostics.all) }
        guard let pairs = reader.mapping(root, "") else { return nil }
        var flow = FlowConfig(file: file, directory: directory)
        if root["jtype"] == nil, root.localTagName == nil {
            reader.diagnostics.warning(root, "", "no 'jtype: Flow'; read as a Flow because it has an executors list",
                                       hint: "start the file with 'jtype: Flow'")
        }

        var executorsNode: YAMLNode?
        var withNode: YAMLNode?
        var seen: [String: YAMLNode] = [:]
        for (key, value) in pairs {
            guard let name = checkKey(key, in: .flowDocument, path: "", reader: &reader) else { continue }
            if let first = seen[name] {
                reader.diagnostics.error(key, key.scalar ?? name, "'\(name)' is given twice (as '\(first.scalar ?? name)' at line \(first.mark.line) too)")
                continue
            }
            seen[name] = key
            switch name {
            case "jtype":
                if value.scalar != "Flow" { reader.diagnostics.error(value, "jtype", "a Flow file must say 'jtype: Flow'") }
            case "version":
                let text = value.scalar ?? ""
                if text == "legacy" {
                    reader.diagnostics.note(value, "version", "'legacy' is Jina 1's Flow format; 'pods' may be a mapping of name to settings")
                } else if text != "1" && text != "1.0" {
                    reader.diagnostics.error(value, "version", "unsupported Flow version '\(text)'", hint: "use version: '1' or leave it out")
                }
                flow.version = text
            case "with": withNode = value
            default: executorsNode = value
            }
        }

        var inherited: [(key: String, node: YAMLNode)] = []
        if let withNode, let withPairs = reader.mapping(withNode, "with") {
            readSettings(withPairs, into: &flow.settings, inherited: &inherited, directory: directory, reader: &reader)
        }

        guard let executorsNode else { return flow }
        let items = entryNodes(executorsNode, reader: &reader)
        for (index, item) in items.enumerated() {
            if let entry = readEntry(item, index: index, previous: flow.executors, inherited: inherited, directory: directory) {
                flow.executors.append(entry)
            }
        }
        return flow
    }

    /// The executor items: a list, or Jina 1's legacy mapping of name → settings.
    private func entryNodes(_ node: YAMLNode, reader: inout NodeReader) -> [YAMLNode] {
        if let items = node.sequence { return items }
        if let pairs = node.mapping {
            return pairs.map { key, value in
                var item = value
                let nameKey = YAMLNode(.scalar("name", .plain), mark: key.mark, file: key.file)
                item.content = .mapping([(nameKey, key)] + (value.mapping ?? []))
                return item
            }
        }
        if ImplicitScalar.resolve(node.scalar ?? "x", style: .plain) == .null { return [] }
        reader.diagnostics.error(node, "executors", "expected a list of executors, found \(node.kindDescription)")
        return []
    }

    private func readSettings(_ pairs: [(key: YAMLNode, value: YAMLNode)], into settings: inout FlowSettings,
                              inherited: inout [(key: String, node: YAMLNode)], directory: String, reader: inout NodeReader) {
        var seen: [String: YAMLNode] = [:]
        var protocolNode: YAMLNode?, portNode: YAMLNode?, certNode: YAMLNode?, keyNode: YAMLNode?
        defer {
            checkPorts(settings, protocolNode: protocolNode, portNode: portNode, reader: &reader)
            checkTLSPair(certNode: certNode, keyNode: keyNode, reader: &reader)
        }
        for (key, value) in pairs {
            guard let raw = key.scalar else { continue }
            let path = "with.\(raw)"
            let canonical = KeyTable.flowSettings.renamed[raw].map { $0 == "protocol" ? raw : $0 } ?? KeyTable.executorEntry.renamed[raw] ?? raw
            if let first = seen[canonical] {
                reader.diagnostics.error(key, path, "'\(canonical)' is given twice (as '\(first.scalar ?? canonical)' at line \(first.mark.line) too)")
                continue
            }
            seen[canonical] = key
            if KeyTable.flowSettings.supported.contains(raw) || KeyTable.flowSettings.renamed[raw] != nil {
                switch raw {
                case "protocol":
                    protocolNode = value
                    var protocols: [GatewayProtocol] = []
                    for (i, item) in (value.sequence ?? [value]).enumerated() {
                        let itemPath = value.sequence == nil ? path : "\(path)[\(i)]"
                        guard let p = reader.choice(item, itemPath, GatewayProtocol.self) else { continue }
                        if protocols.contains(p) {
                            reader.diagnostics.error(item, itemPath, "protocol '\(p.rawValue)' is listed twice; each protocol is served once")
                        } else {
                            protocols.append(p)
                        }
                    }
                    if !protocols.isEmpty { settings.protocols = protocols }
                case "restful", "rest_api":
                    reader.diagnostics.note(key, path, "'\(raw)' is Jina 1's switch; write 'protocol: http' (the default) or 'protocol: grpc'")
                    _ = reader.bool(value, path)
                case "port", "port_expose":
                    if raw == "port_expose" { reader.diagnostics.note(key, path, "'port_expose' is the Jina 2 name of 'port'") }
                    portNode = value
                    var ports: [Int] = []
                    for (i, item) in (value.sequence ?? [value]).enumerated() {
                        let itemPath = value.sequence == nil ? path : "\(path)[\(i)]"
                        guard let port = reader.int(item, itemPath, atLeast: 0) else { continue }
                        if port > 65535 { reader.diagnostics.error(item, itemPath, "port must be at most 65535, found \(port)") } else { ports.append(port) }
                    }
                    settings.ports = ports
                case "host": settings.host = reader.string(value, path) ?? settings.host
                case "cors": settings.cors = reader.bool(value, path) ?? false
                case "title": settings.title = reader.string(value, path)
                case "description": settings.description = reader.string(value, path)
                case "max_body_size": settings.maxBodySize = reader.int(value, path, atLeast: 1) ?? settings.maxBodySize
                case "name": settings.name = reader.string(value, path)
                case "workspace": settings.workspace = reader.string(value, path).map { LoadSession.absolute($0, in: directory) }
                case "ssl_certfile":
                    certNode = value
                    settings.sslLocation = key.location
                    settings.sslCertfile = tlsFile(value, path, holding: .certificate, directory: directory, reader: &reader)
                case "ssl_keyfile":
                    keyNode = value
                    settings.sslKeyfile = tlsFile(value, path, holding: .privateKey, directory: directory, reader: &reader)
                default: settings.env = reader.stringMap(value, path) ?? []
                }
                continue
            }
            // Jina's rule: other `with` keys are defaults for every executor.
            let entryKind = KeyTable.executorEntry.classify(raw)
            switch entryKind {
            case .supported(let name) where !["name", "needs", "method", "uses"].contains(name):
                inherited.append((raw, value))
                continue
            case .renamed(let from, let to) where !["name", "needs", "method", "uses"].contains(to):
                reader.diagnostics.note(key, path, "'\(from)' is the Jina 2 name of '\(to)'")
                inherited.append((raw, value))
                continue
            default: break
            }
            if KeyTable.flowSettings.ignored.contains(raw) || KeyTable.executorEntry.ignored.contains(raw) {
                reader.diagnostics.warning(key, path, "'\(raw)' is a Jina setting this build does not act on; ignored")
                continue
            }
            let candidates = KeyTable.flowSettings.supported.union(KeyTable.executorEntry.supported).subtracting(["name", "needs", "method", "uses"]).sorted()
            reader.diagnostics.error(key, path, "unknown key '\(raw)'", hint: Suggestion.hint(for: raw, in: candidates))
        }
    }

    /// Jina 3's rule: one port per protocol, in the same order (a single port with a single protocol).
    private func checkPorts(_ settings: FlowSettings, protocolNode: YAMLNode?, portNode: YAMLNode?, reader: inout NodeReader) {
        guard let portNode, !settings.ports.isEmpty, settings.ports.count != settings.protocols.count else { return }
        let protocols = settings.protocols.map(\.rawValue).joined(separator: ", ")
        reader.diagnostics.error(portNode, "with.port",
                                 "\(settings.ports.count) port(s) for \(settings.protocols.count) protocol(s) (\(protocols)); give one port per protocol, in the same order",
                                 hint: protocolNode == nil ? "add protocol: [...] naming a protocol for each port" : nil)
    }

    /// A certificate or key file named in `with:`, made absolute and checked now, so that lint
    /// reports what `flow serve` would refuse (whether the key fits the certificate is checked
    /// when the gateway starts).
    private func tlsFile(_ value: YAMLNode, _ path: String, holding content: PEMFile.Content, directory: String,
                         reader: inout NodeReader) -> String? {
        guard let written = reader.string(value, path) else { return nil }
        let absolute = LoadSession.absolute(written, in: directory)
        do { _ = try PEMFile(path: absolute, holding: content, option: path) } catch {
            reader.diagnostics.error(value, path, "\(content.rawValue) file '\(written)': \(error.reason)",
                                     hint: error.reason == "no such file" ? Self.lookedFor(absolute) : nil)
        }
        return absolute
    }

    /// TLS needs both the certificate and its key: one alone is an error naming the other.
    private func checkTLSPair(certNode: YAMLNode?, keyNode: YAMLNode?, reader: inout NodeReader) {
        if let certNode, keyNode == nil {
            reader.diagnostics.error(certNode, "with.ssl_certfile", "ssl_certfile is given without ssl_keyfile; TLS needs both",
                                     hint: "add ssl_keyfile: the certificate's private key (PEM)")
        } else if let keyNode, certNode == nil {
            reader.diagnostics.error(keyNode, "with.ssl_keyfile", "ssl_keyfile is given without ssl_certfile; TLS needs both",
                                     hint: "add ssl_certfile: the certificate (PEM)")
        }
    }

    /// Classifies a key against a table, reporting renamed, ignored and unknown keys.
    /// Returns the current name of a key to act on, nil for one to skip.
    func checkKey(_ key: YAMLNode, in table: KeyTable, path: String, reader: inout NodeReader) -> String? {
        guard let raw = key.scalar else {
            reader.diagnostics.error(key, path, "expected a string key, found \(key.kindDescription)")
            return nil
        }
        let keyPath = path.isEmpty ? raw : "\(path).\(raw)"
        switch table.classify(raw) {
        case .supported(let name):
            return name
        case .renamed(let from, let to):
            reader.diagnostics.note(key, keyPath, "'\(from)' is the Jina 2 name of '\(to)'")
            return to
        case .ignored(let name):
            reader.diagnostics.warning(key, keyPath, "'\(name)' is a Jina setting this build does not act on; ignored")
            return nil
        case .unknown(let name, let suggestion):
            reader.diagnostics.error(key, keyPath, "unknown key '\(name)'", hint: suggestion.map { "did you mean '\($0)'?" })
            return nil
        }
    }
}

extension DiagnosticBag {
    mutating func note(_ node: YAMLNode, _ path: String, _ message: String, hint: String? = nil) {
        append(Diagnostic(.note, at: node.location, path: path, message, hint: hint))
    }
}
