import Foundation
import Testing

/// man/ and completions/ are generated from the command tree and committed; these fail when
/// they are stale (regenerate with scripts/generate-docs.sh).
@Suite struct GeneratedFilesTests {
    @Test(arguments: [("bash", "jina.bash"), ("zsh", "_jina"), ("fish", "jina.fish")])
    func completionScriptsAreCurrent(shell: String, file: String) throws {
        let run = try JinaBinary.run(["--generate-completion-script", shell])
        #expect(run.status == 0)
        let committed = try? String(contentsOfFile: JinaBinary.packageRoot + "/completions/" + file, encoding: .utf8)
        #expect(committed == run.stdout, "completions/\(file) is stale: run scripts/generate-docs.sh")
    }

    @Test func manPagesWereMadeFromTheCurrentCommandTree() throws {
        let run = try JinaBinary.run(["--experimental-dump-help"])
        #expect(run.status == 0)
        let committed = try? String(contentsOfFile: JinaBinary.packageRoot + "/man/command-tree.json", encoding: .utf8)
        #expect(committed == run.stdout, "man/ is stale: run scripts/generate-docs.sh")
        let pages = (try? FileManager.default.contentsOfDirectory(atPath: JinaBinary.packageRoot + "/man")) ?? []
        for page in ["jina.1", "jina.flow.1", "jina.flow.lint.1", "jina.flow.plot.1", "jina.plot.1"] {
            #expect(pages.contains(page), "man/\(page) is missing")
        }
    }

    /// Sources/JinaProto/Generated was made from Protos/ as they are (regenerate with
    /// scripts/generate-protos.sh): by regenerating when protoc is installed, else by the hashes.
    @Test func protobufCodeIsCurrent() throws {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/bin/bash")
        check.arguments = [JinaBinary.packageRoot + "/scripts/generate-protos.sh", "--check"]
        let output = Pipe()
        check.standardError = output
        try check.run()
        let message = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "\(message)")
    }

    @Test func versionAndHelp() throws {
        let version = try JinaBinary.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        let help = try JinaBinary.run(["--help"])
        #expect(help.stdout.contains("flow") && help.stdout.contains("plot"))
    }
}
