import Foundation
import SeededRandom
import Testing

/// Mutated and random configs fed to the real binary: it must always exit 0 or 1, print a
/// diagnostic for every file with an error, and never crash or hang. Bounded in count and time.
@Suite struct LintFuzzThroughBinaryTests {
    typealias Random = SplitMix64

    static let fragments: [[UInt8]] = ["\t", ":", "- ", "[", "{", "}", "&a ", "*a", "<<: ", "!Flow ", "${{ X }}", "$", "\"",
                                        "'", "\n", "    ", "needs: ", "uses: ", "jtype: Flow\n", "executors:\n", "#"]
        .map { Array($0.utf8) } + [[0xFF], [0xC3], [0x00], [0xE2, 0x82]]

    static func mutate(_ input: [UInt8], _ random: inout Random) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + random.next(below: 4)) {
            let at = random.next(below: bytes.count + 1)
            switch random.next(below: 5) {
            case 0: bytes.insert(contentsOf: fragments[random.next(below: fragments.count)], at: at)
            case 1: if !bytes.isEmpty { bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.next(below: 12))) }
            case 2: bytes = Array(bytes.prefix(at))
            case 3: if at < bytes.count { bytes[at] = UInt8(truncatingIfNeeded: random.next()) }
            default:
                let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                if lines.count > 1 {
                    var shuffled = Array(lines)
                    shuffled.swapAt(random.next(below: lines.count), random.next(below: lines.count))
                    bytes = Array(shuffled.joined(separator: [UInt8(ascii: "\n")]))
                }
            }
        }
        return bytes
    }

    @Test func mutatedConfigsNeverCrashLint() throws {
        let seeds = JinaBinary.exampleFlows.compactMap { FileManager.default.contents(atPath: JinaBinary.packageRoot + "/" + $0) }
        #expect(!seeds.isEmpty)
        var random = Random(seed: 20_261_123)
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let deadline = Date().addingTimeInterval(30)
        var checked = 0
        for batch in 0..<8 where Date() < deadline {
            var files: [String] = []
            for i in 0..<40 {
                let bytes: [UInt8]
                if i % 10 == 9 {
                    bytes = (0..<random.next(below: 200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                } else {
                    bytes = Self.mutate([UInt8](seeds[random.next(below: seeds.count)]), &random)
                }
                let name = "case-\(batch)-\(i).yml"
                try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
                files.append(name)
            }
            let run = try JinaBinary.run(["flow", "lint", "--format", "json"] + files, in: dir, timeout: 30)
            #expect(run.status == 0 || run.status == 1, "batch \(batch) exited \(run.status): \(run.stderr.suffix(500))")
            let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            let diagnostics = json?["diagnostics"] as? [[String: Any]] ?? []
            #expect((run.status == 1) == diagnostics.contains { $0["severity"] as? String == "error" })
            for d in diagnostics {
                #expect((d["line"] as? Int ?? 0) >= 1 && (d["column"] as? Int ?? 0) >= 1)
                #expect(!(d["message"] as? String ?? "").isEmpty)
            }
            checked += files.count
        }
        #expect(checked >= 80)
    }
}
