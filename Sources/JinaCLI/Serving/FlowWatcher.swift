import Foundation
import JinaConfig
import JinaRuntime
import JinaWire

/// `--watch`: looks at the Flow's file and every file it reaches (executor YAML, py_modules)
/// a few times a second; when one changes, lints the Flow again and, if it is valid, starts the
/// new Flow beside the old one and switches to it once it is ready (`FlowSwitch`). An invalid
/// edit, a Flow that does not start, or a file that is removed keeps the old Flow serving; each
/// is logged, as is each reload with what changed. The gateway's own settings (`with: port`,
/// `protocol`, `cors`, TLS …) are read once, at start: an edit of them is warned about, not applied.
struct FlowWatcher {
    let path: String
    let loader: ConfigLoader
    let flow: FlowSwitch
    /// The Flow's runtime for a graph (the same settings as the first one).
    let makeRuntime: (FlowGraph) throws -> FlowRuntime
    /// How long a replaced Flow gets to answer what it holds.
    let grace: Duration
    /// The Flow's `with:` as the gateway started with it: the gateway keeps these settings.
    let gatewaySettings: FlowSettings
    var interval = Duration.milliseconds(300)

    /// When a file last changed, as far as stat(2) tells; nil when it is not there.
    struct Stamp: Equatable {
        let modified: timespec
        let size: Int

        static func == (a: Stamp, b: Stamp) -> Bool {
            a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec && a.size == b.size
        }
    }

    static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Stamp(modified: info.st_mtim, size: Int(info.st_size))
    }

    /// The Flow's file and the files it reaches.
    static func files(of path: String, _ graph: FlowGraph) -> [String] {
        var files = [path]
        for entry in graph.flow.executors {
            for config in [entry.executor, entry.usesBefore, entry.usesAfter].compactMap({ $0 }) {
                if let file = config.file { files.append(file) }
                files += config.metas.pyModules.map { $0.hasPrefix("/") ? $0 : config.directory + "/" + $0 }
            }
        }
        var seen = Set<String>()
        return files.filter { seen.insert($0).inserted }
    }

    /// The files a Flow reaches as they are now: taken before the Flow starts, so that an edit
    /// made while it starts (or just after its ready line) is seen.
    static func stamps(of path: String, _ graph: FlowGraph) -> [String: Stamp?] {
        Dictionary(uniqueKeysWithValues: files(of: path, graph).map { ($0, stamp($0)) })
    }

    /// Watches, from `stamps`, until the task is cancelled.
    func run(from stamps: [String: Stamp?]) async {
        var stamps = stamps
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            var changed: [String] = []
            for (file, old) in stamps {
                let now = Self.stamp(file)
                guard now != old else { continue }
                stamps[file] = now
                if now == nil {
                    Log.warning("\(file) was removed; still serving the Flow as it was")
                } else {
                    changed.append(file)
                }
            }
            guard !changed.isEmpty, !Task.isCancelled else { continue }
            if let files = await reload(because: changed.sorted()) {
                stamps = Dictionary(uniqueKeysWithValues: files.map { ($0, stamps[$0] ?? Self.stamp($0)) })
            }
        }
    }

    /// Lints and starts the edited Flow and switches to it; the files it reaches, or nil when the
    /// old Flow keeps serving.
    private func reload(because changed: [String]) async -> [String]? {
        let what = changed.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
        let (graph, diagnostics) = loader.loadFlowGraph(path: path)
        guard let graph else {
            for d in diagnostics where d.severity == .error { Terminal.show(d) }
            Log.warning("\(what) changed, but the Flow has errors; still serving the previous Flow")
            return nil
        }
        let next: FlowRuntime
        do {
            next = try makeRuntime(graph)
            try await next.start()
        } catch {
            Log.warning("\(what) changed, but the new Flow did not start (\(error)); still serving the previous Flow")
            return nil
        }
        guard !Task.isCancelled else {
            await next.stop(grace: .zero)
            return nil
        }
        await flow.replace(with: next, grace: grace)
        Log.info("reloaded \(path) (\(what) changed): \(graph.executors.count) executor(s)")
        let unapplied = gatewaySettings.gatewayKeysChanged(in: graph.flow.settings)
        if !unapplied.isEmpty {
            let keys = unapplied.map { "with.\($0)" }.joined(separator: ", "), them = unapplied.count == 1 ? "it" : "them"
            Log.warning("\(path): \(keys) changed, but the gateway reads \(them) only at start; "
                + "it still serves as it started (restart the Flow to apply \(them))")
        }
        return Self.files(of: path, graph)
    }
}
