import Foundation
import JinaWire
import Testing
@testable import JinaExecutor

/// A serving process gives back the code pages start-up touched (docs/architecture.md): they
/// leave its resident set, and the code still runs (its pages come back from the page cache).
@Suite struct StartupCodeTests {
    /// Resident kilobytes of this executable's code segment, from /proc/self/smaps.
    func residentCodeKB() throws -> Int {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let smaps = try String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)
        var inCode = false
        var total = 0
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.first?.contains("-") == true, fields.count >= 2, fields[0].first?.isHexDigit == true, !line.hasSuffix(":") {
                inCode = fields.count >= 6 && fields[1] == "r-xp" && fields.last.map(String.init) == executable
            } else if inCode, fields.first == "Rss:", let kb = Int(fields[1]) {
                total += kb
            }
        }
        return total
    }

    @Test func releasingLeavesFewerCodePagesResidentAndTheCodeStillRuns() throws {
        let before = try residentCodeKB()
        #expect(before > 1024)
        StartupCode.unmapCode()
        let after = try residentCodeKB()
        #expect(after < before / 2, "resident code: \(before) KB before, \(after) KB after")
        let executor = try LoadedExecutor(ExecutorSpec(jtype: "UpperCase", name: "up"))
        let answer = executor.handle(Frame(.call, id: 1, body: Array(#"[{"text":"still runs"}]"#.utf8), [("endpoint", .string("/x"))]))
        #expect(try DocumentArray.decode(answer.body).map(\.text) == ["STILL RUNS"])
    }
}
