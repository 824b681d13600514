import Foundation
import JinaConfig
import SeededRandom
import Testing

/// Bounded fuzzing of `lint`: mutated fixtures and valid flows, and random bytes, must never crash
/// the loader, and every diagnostic must point somewhere real.
@Suite struct LintFuzzTests {
    /// JINA_FUZZ_SEED and JINA_FUZZ_INPUTS widen a local run; the defaults keep `swift test` short.
    static let environment = ProcessInfo.processInfo.environment
    static let seed = environment["JINA_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x4A49_4E41_2D43_4647
    static let maxInputs = environment["JINA_FUZZ_INPUTS"].flatMap { Int($0) } ?? 3_000
    static let timeBudget = environment["JINA_FUZZ_INPUTS"] == nil ? Duration.seconds(20) : .seconds(3_600)

    static let fixtureDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/lint").path

    /// Valid flows in the shapes people write; the executor files they name are copied beside them.
    static let validFlows: [String] = [
        "jtype: Flow\nexecutors:\n  - name: a\n  - name: b\n",
        "jtype: Flow\nversion: '1'\nwith:\n  protocol: http\n  port: 12345\nexecutors:\n  - name: encode\n    uses: executors/encoder.yml\n    uses_with: {dim: 64}\n",
        "!Flow\nexecutors:\n  - name: p1\n    needs: gateway\n  - name: p2\n    needs: gateway\n  - name: join\n    needs: [p1, p2]\n",
        "jtype: Flow\nexecutors:\n  - name: p1\n    needs: gateway\n  - name: p2\n    needs: gateway\n  - name: all\n    method: needs_all\n",
        "jtype: Flow\nexecutors:\n  - name: idx\n    shards: 2\n    replicas: 2\n    polling: {/index: ANY, /search: ALL, '*': ANY}\n",
        "jtype: Flow\nwith:\n  timeout_ready: 5000\n  replicas: 2\nexecutors:\n  - name: a\n  - name: b\n    timeout_ready: -1\n",
        "jtype: Flow\nexecutors:\n  - &base\n    name: first\n    uses: BaseExecutor\n  - <<: *base\n    name: second\n  - <<: [*base]\n    name: third\n",
        "jtype: Flow\nexecutors:\n  - name: a\n    uses: '!BaseExecutor'\n  - name: b\n    uses: |\n      jtype: BaseExecutor\n      metas:\n        name: inline\n",
        "jtype: Flow\nexecutors:\n  - name: remote\n    host: '10.0.0.5:8000'\n  - name: local\n    uses: {jtype: BaseExecutor, metas: {name: m}}\n",
        "jtype: Flow\nversion: legacy\npods:\n  encode:\n    uses: BaseExecutor\n  index:\n    needs: encode\n",
        "jtype: Flow\nwith:\n  port: ${{ ENV.PORT:-8080 }}\nexecutors:\n  - name: a\n    shards: ${SHARDS:-2}\n    env: {HOME_DIR: '$$HOME'}\n",
        "jtype: Flow\nexecutors:\n  - name: enc\n    uses: MyEncoder\n    py_modules: [executors/encoder.py]\n    uses_before: BaseExecutor\n    uses_after: BaseExecutor\n    uses_requests: {/search: encode}\n",
        "jtype: MyEncoder\nwith: {dim: 8}\nmetas:\n  name: enc\n  py_modules: executors/encoder.py\nrequests:\n  /index: encode\n",
    ]

    static let insertions: [[UInt8]] = [
        "\t", ":", ": ", "[", "{", "]", "}", "&a ", "*a", "<<: *a", "<<", "!Tag ", "!Flow ", "${{", "}}", "${{ ENV.X }}",
        "$X", "- ", "\n", "'", "\"", "#", "|", ">", "---\n", "? ", ",", "  ", "needs: ", "uses: ", "executors:\n",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82], [0x00], [0xEF, 0xBB, 0xBF], [0x0D]]

    static func seeds() throws -> [[UInt8]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: fixtureDirectory).filter { $0.hasSuffix(".yml") }.sorted()
        let fixtures = try names.map { try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixtureDirectory + "/" + $0))) }
        return fixtures + validFlows.map { Array($0.utf8) }
    }

    fileprivate static func mutate(_ input: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
            switch Int.random(in: 0..<8, using: &rng) {
            case 0 where !lines.isEmpty:
                lines.remove(at: Int.random(in: 0..<lines.count, using: &rng))
            case 1 where !lines.isEmpty:
                let i = Int.random(in: 0..<lines.count, using: &rng)
                lines.insert(lines[i], at: Int.random(in: 0...lines.count, using: &rng))
            case 2 where lines.count > 1:
                lines.swapAt(Int.random(in: 0..<lines.count, using: &rng), Int.random(in: 0..<lines.count, using: &rng))
            case 3 where !lines.isEmpty:
                let i = Int.random(in: 0..<lines.count, using: &rng)
                if Bool.random(using: &rng) {
                    lines[i] = Array(repeating: Bool.random(using: &rng) ? UInt8(ascii: " ") : UInt8(ascii: "\t"),
                                     count: Int.random(in: 1...4, using: &rng)) + lines[i]
                } else {
                    // Re-indent: strip the leading spaces, then indent by 0–6.
                    lines[i] = Array(repeating: UInt8(ascii: " "), count: Int.random(in: 0...6, using: &rng))
                        + lines[i].drop { $0 == UInt8(ascii: " ") }
                }
            case 5 where !bytes.isEmpty:
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
                continue
            case 6 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                continue
            default:
                // Insert a YAML-significant token or a bad byte (twice as likely as the others).
                let at = Int.random(in: 0...bytes.count, using: &rng)
                bytes.insert(contentsOf: insertions.randomElement(using: &rng)!, at: at)
                continue
            }
            bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
        }
        return bytes
    }

    fileprivate static func randomBytes(using rng: inout SplitMix64) -> [UInt8] {
        let count = Int.random(in: 0...256, using: &rng)
        if Bool.random(using: &rng) {
            return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        let alphabet = Array("abc :-[]{}&*!<>|'\"#$\t\n,?%@`~.0123456789".utf8)
        return (0..<count).map { _ in alphabet.randomElement(using: &rng)! }
    }

    static func printable(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).debugDescription
    }

    @Test func lintSurvivesMutatedAndRandomInputsWithSaneDiagnostics() throws {
        let fm = FileManager.default
        let url = fm.temporaryDirectory.appendingPathComponent("jina-lint-fuzz-\(UUID().uuidString)")
        try fm.createDirectory(at: url, withIntermediateDirectories: true)
        let directory = url.resolvingSymlinksInPath().path
        defer { try? fm.removeItem(atPath: directory) }
        try fm.copyItem(atPath: Self.fixtureDirectory + "/executors", toPath: directory + "/executors")
        let path = directory + "/fuzz.yml"

        let seeds = try Self.seeds()
        #expect(seeds.count >= Self.validFlows.count + 15, "expected the lint fixtures next to the tests")
        var rng = SplitMix64(seed: Self.seed)
        let loader = ConfigLoader(environment: [:])
        let start = ContinuousClock.now
        var ran = 0, withDiagnostics = 0, failures = 0

        while ran < Self.maxInputs, ContinuousClock.now - start < Self.timeBudget, failures < 5 {
            let input: [UInt8]
            if ran < seeds.count {
                input = seeds[ran]
            } else if ran % 5 == 0 {
                input = Self.randomBytes(using: &rng)
            } else {
                input = Self.mutate(seeds.randomElement(using: &rng)!, using: &rng)
            }
            try Data(input).write(to: URL(fileURLWithPath: path))
            let diagnostics = loader.lint(path: path)
            ran += 1
            if !diagnostics.isEmpty { withDiagnostics += 1 }

            for d in diagnostics {
                let file = d.location.file
                let namedFile = file.hasPrefix(directory + "/") && fm.fileExists(atPath: file)
                let sane = d.location.mark.line >= 1 && d.location.mark.column >= 1 && !d.message.isEmpty && (file == path || namedFile)
                if !sane {
                    failures += 1
                    Issue.record("input #\(ran) \(Self.printable(input)) gave \(d.formatted)")
                    break
                }
            }
        }
        print("LintFuzzTests: linted \(ran) inputs (\(withDiagnostics) with diagnostics) in \(ContinuousClock.now - start)")
        #expect(ran >= seeds.count)
    }

    @Test func mutationsAreDeterministic() throws {
        let seed = Array(Self.validFlows[0].utf8)
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        let first = (0..<20).map { _ in Self.mutate(seed, using: &a) }
        let second = (0..<20).map { _ in Self.mutate(seed, using: &b) }
        #expect(first == second)
        #expect(first.contains { $0 != seed })
    }
}
