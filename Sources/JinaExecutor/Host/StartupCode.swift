import Foundation

/// Code that runs once at start-up (argument parsing, YAML, linting, spawning) stays mapped in a
/// long-running process and counts in its memory (PSS) until the process ends. Once a process
/// serves, `release()` unmaps this executable's code pages: they stay in the page cache, and those
/// still used come back on the next touch (a minor fault). Only the read-only executable segment
/// is dropped; it holds no data, so nothing is lost (docs/architecture.md, measured).
public enum StartupCode {
    /// Once per process: an executor serving TCP says hello on every connection, and dropping
    /// the code again would only make the connections already served fault it back in.
    public static func release() { _ = released }

    private static let released: Void = unmapCode()

    static func unmapCode() {
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8),
              let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return }
        for line in maps.split(separator: "\n") {
            // start-end perms offset dev inode path
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[1] == "r-xp",
                  fields[5].trimmingCharacters(in: .whitespaces) == executable else { continue }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16), end > start else { continue }
            _ = madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_DONTNEED)
        }
    }
}
