import ArgumentParser
import Foundation
import JinaConfig
import JinaPlot

/// `jina flow plot` (also `jina plot`): draw a Flow offline as SVG, Mermaid or DOT.
struct PlotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a Flow as SVG, Mermaid or Graphviz DOT, offline.",
        discussion: """
            The format follows the output file's extension (.svg, .mmd, .dot) unless --format is \
            given. Without -o the drawing goes to stdout (Mermaid unless --format says otherwise).
            """
    )

    @Option(help: ArgumentHelp("The Flow YAML to draw.", valueName: "flow.yml"), completion: .file(extensions: ["yml", "yaml"]))
    var uses: String?

    @Argument(help: ArgumentHelp("The Flow YAML (same as --uses).", valueName: "flow.yml"), completion: .file(extensions: ["yml", "yaml"]))
    var file: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file (.svg, .mmd or .dot); '-' for stdout.", valueName: "file"))
    var output: String?

    @Option(help: "Output format; by default from the output file's extension.")
    var format: PlotFormat?

    @Flag(help: "Lay the Flow out top to bottom instead of left to right.")
    var vertical = false

    @OptionGroup var config: ConfigOptions

    func validate() throws {
        if uses == nil && file == nil { throw ValidationError("Missing the Flow YAML: jina flow plot --uses flow.yml") }
        if uses != nil && file != nil && uses != file { throw ValidationError("Give the Flow YAML once: either --uses or as an argument") }
        if format == nil, let output, output != "-", PlotFormat(fileExtension: (output as NSString).pathExtension) == nil {
            throw ValidationError("Cannot tell the format of '\(output)': use a .svg, .mmd or .dot file, or --format")
        }
    }

    func run() async throws {
        let path = uses ?? file!
        let graph = try FlowLaunch.graph(path, loader: config.loader, showWarnings: true)

        let target = output ?? "-"
        let chosen = format ?? PlotFormat(fileExtension: (target as NSString).pathExtension) ?? .mermaid
        let text = FlowPlotter(direction: vertical ? .topToBottom : .leftToRight).render(graph, as: chosen)
        if target == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
        } else {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
            } catch {
                Terminal.error("cannot write '\(target)': \(error.localizedDescription)")
                throw ExitCode.failed
            }
            Terminal.say("wrote \(target)")
        }
    }
}

extension PlotFormat: ExpressibleByArgument {}
