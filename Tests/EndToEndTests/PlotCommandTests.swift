import Foundation
import Testing

@Suite struct PlotCommandTests {
    @Test(arguments: ["svg", "mmd", "dot"])
    func writesTheFormatOfTheExtension(ext: String) throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = "\(dir)/flow.\(ext)"
        let run = try JinaBinary.run(["flow", "plot", "--uses", "configs/seeds/mixed-parallelism.yml", "-o", out])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        switch ext {
        case "svg": #expect(text.contains("<svg") && text.contains("</svg>"))
        case "mmd": #expect(text.hasPrefix("flowchart LR") || text.contains("\nflowchart LR"))
        default: #expect(text.hasPrefix("digraph"))
        }
        for name in ["p1", "p2", "p3", "r1", "gateway"] { #expect(text.contains(name)) }
    }

    @Test func plotIsAlsoATopLevelCommand() throws {
        let a = try JinaBinary.run(["plot", "configs/seeds/merge-abc.yml", "--format", "dot"])
        let b = try JinaBinary.run(["flow", "plot", "--uses", "configs/seeds/merge-abc.yml", "--format", "dot"])
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout.contains("pod0") && a.stdout.contains("pod2"))
    }

    @Test func aBrokenFlowIsAConfigErrorWithDiagnostics() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "jtype: Flow\nexecutors:\n  - name: a\n    needs: b\n  - name: b\n    needs: a\n".write(toFile: dir + "/f.yml", atomically: true, encoding: .utf8)
        let run = try JinaBinary.run(["plot", "f.yml", "-o", "f.svg"], in: dir)
        #expect(run.status == 78)
        #expect(run.stderr.contains("f.yml:4:5: error: executors[0].needs: needs form a cycle: a → b → a"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/f.svg"))
    }

    @Test func anUnknownExtensionIsAUsageError() throws {
        let run = try JinaBinary.run(["plot", "configs/seeds/chain.yml", "-o", "flow.png"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("flow.png"))
    }

    /// docs/plots holds the pictures of configs/; they must be what the renderer draws today.
    @Test func committedPicturesOfTheExamplesAreCurrent() throws {
        let plots = JinaBinary.packageRoot + "/docs/plots"
        let flows = JinaBinary.exampleFlows
        for flow in flows {
            var name = (flow as NSString).lastPathComponent.replacingOccurrences(of: ".yml", with: "")
            let folder = ((flow as NSString).deletingLastPathComponent as NSString).lastPathComponent
            if folder == "seeds" { name = "seed-" + name } else if folder != "configs" { name = "\(folder)-" + name }
            for ext in ["svg", "mmd"] {
                let committed = try? String(contentsOfFile: "\(plots)/\(name).\(ext)", encoding: .utf8)
                let run = try JinaBinary.run(["flow", "plot", "--uses", flow, "--format", ext == "svg" ? "svg" : "mermaid"])
                #expect(committed == run.stdout, "docs/plots/\(name).\(ext) is stale: run scripts/generate-docs.sh")
            }
        }
    }
}
