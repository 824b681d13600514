import Foundation

/// A process and all its descendants, read from /proc: who is in the tree, and how much memory
/// the tree holds. RSS counts a shared library's pages once per process that maps them; PSS
/// splits shared pages between the processes sharing them, so the PSS sum is what the tree
/// really costs the machine. Both are reported.
struct ProcessTree {
    let root: pid_t

    /// The root and its descendants alive now (from /proc/PID/task/TID/children).
    func members() -> [pid_t] {
        var result: [pid_t] = []
        var queue = [root]
        while let pid = queue.popLast() {
            guard Self.isAlive(pid) else { continue }
            result.append(pid)
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            for task in tasks {
                let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
                queue += text.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
        }
        return result
    }

    /// Sum of resident set sizes (bytes), from /proc/PID/statm: cheap enough to sample often.
    static func rss(_ pids: [pid_t]) -> Double {
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        return pids.reduce(0.0) { total, pid in
            let text = (try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8)) ?? ""
            let fields = text.split(separator: " ")
            return total + (fields.count > 1 ? (Double(fields[1]) ?? 0) * page : 0)
        }
    }

    /// Sum of proportional set sizes (bytes), from /proc/PID/smaps_rollup.
    static func pss(_ pids: [pid_t]) -> Double {
        pids.reduce(0.0) { total, pid in
            let text = (try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)) ?? ""
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Pss:") }) else { return total }
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0
            return total + kilobytes * 1024
        }
    }

    /// Alive and not a zombie (a zombie holds no memory and no longer runs).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)...].first
        return state != "Z" && state != "X"
    }

    /// Processes whose executable is `path` (symlinks resolved).
    static func running(executable path: String) -> [pid_t] {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(pid_t.init).filter { pid in
            pid != getpid() && (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) == target
        }
    }

    /// Ends every process in the tree at once (cleanup after a failure or a hang).
    func killAll() {
        for pid in members() { kill(pid, SIGKILL) }
    }
}

/// Samples the tree's memory on its own thread until stopped: the peaks of the RSS sum (every
/// 20 ms) and of the PSS sum (every 100 ms; the kernel walks page tables for it). Who is in the
/// tree is looked up every 500 ms: walking every thread's children file of a Python Flow each
/// tick would cost the machine more than the Flow being measured.
final class MemorySampler: @unchecked Sendable {  // fields guarded by `lock`
    private let tree: ProcessTree
    private let lock = NSLock()
    private var running = true
    private var peakRSS = 0.0
    private var peakPSS = 0.0
    private let done = DispatchSemaphore(value: 0)

    init(_ tree: ProcessTree) {
        self.tree = tree
        let thread = Thread { [self] in sample() }
        thread.start()
    }

    private func sample() {
        var pids = tree.members()
        var tick = 0
        while lock.withLock({ running }) {
            if tick % 25 == 0 { pids = tree.members() }
            record(rss: ProcessTree.rss(pids), pss: tick % 5 == 0 ? ProcessTree.pss(pids) : 0)
            tick += 1
            usleep(20_000)
        }
        done.signal()
    }

    private func record(rss: Double, pss: Double) {
        lock.withLock {
            peakRSS = max(peakRSS, rss)
            peakPSS = max(peakPSS, pss)
        }
    }

    /// One full sample at a moment that matters (a run shorter than the period would be missed).
    func sampleNow() {
        let pids = tree.members()
        record(rss: ProcessTree.rss(pids), pss: ProcessTree.pss(pids))
    }

    /// Stops sampling; the peaks in bytes.
    func stop() -> (rss: Double, pss: Double) {
        lock.withLock { running = false }
        done.wait()
        // One last look, so a short run is not reported as its first sample only.
        sampleNow()
        return lock.withLock { (peakRSS, peakPSS) }
    }
}
