import ArgumentParser
import Foundation
import JinaConfig
import JinaDeploy

/// `jina export docker-compose|kubernetes flow.yml OUT`: the Flow as containers (Jina 3's syntax).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a Flow as a docker-compose file or Kubernetes manifests.",
        discussion: """
            Every executor entry becomes a service running 'jina executor --port 8081 --host \
            0.0.0.0' with a generated config (its replicas the service's replicas), and the \
            gateway a service running a Flow whose entries point at them by name. Inside the \
            containers the Flow's folder is /flow (py_modules, exec:// programs) and the \
            generated files /deploy. Build the image with scripts/build-image.sh. See docs/deploy.md.
            """,
        subcommands: [Compose.self, Kubernetes.self]
    )

    struct Compose: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "docker-compose",
            abstract: "Write docker-compose.yml and its jina-deploy/ folder beside it.")

        @Argument(help: ArgumentHelp("The Flow YAML.", valueName: "flow.yml"), completion: .file(extensions: ["yml", "yaml"]))
        var flow: String

        @Argument(help: ArgumentHelp("The compose file to write.", valueName: "docker-compose.yml"))
        var output: String

        @Option(help: "The image every service runs (it has jina on PATH, and python3 for Python executors).")
        var image = ExportCommand.defaultImage

        @OptionGroup var config: ConfigOptions

        func run() throws {
            let plan = try ExportCommand.plan(flow, config.loader)
            let outputPath = ExportCommand.absolute(output)
            let directory = (outputPath as NSString).deletingLastPathComponent
            let deploy = directory + "/jina-deploy"
            try ExportCommand.write(plan.files, into: deploy)
            let compose = ComposeRenderer.render(plan, image: image, flowFolder: ExportCommand.relative(plan.flowDirectory, from: directory),
                                                 deployFolder: "./jina-deploy")
            try compose.write(toFile: outputPath, atomically: true, encoding: .utf8)
            Terminal.say("wrote \(output) and \(ExportCommand.relative(deploy, from: FileManager.default.currentDirectoryPath))/ "
                         + "(\(plan.files.count) files); start it with: docker-compose -f \(output) up -d")
        }
    }

    struct Kubernetes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kubernetes",
            abstract: "Write Kubernetes manifests into a folder.")

        @Argument(help: ArgumentHelp("The Flow YAML.", valueName: "flow.yml"), completion: .file(extensions: ["yml", "yaml"]))
        var flow: String

        @Argument(help: ArgumentHelp("The folder to write the manifests into.", valueName: "outdir"), completion: .directory)
        var output: String

        @Option(help: "The image every container runs.")
        var image = ExportCommand.defaultImage

        @Option(name: .customLong("k8s-namespace"), help: "The namespace of every object (default: the Flow's name, else 'jina').")
        var namespace: String?

        @OptionGroup var config: ConfigOptions

        func run() throws {
            let (graph, _) = config.loader.loadFlowGraph(path: flow)
            let plan = try ExportCommand.plan(flow, config.loader)
            var contents: [String: String] = [:]
            for file in plan.flowFiles {
                contents[file] = try String(contentsOfFile: plan.flowDirectory + "/" + file, encoding: .utf8)
            }
            let name = namespace ?? graph?.flow.settings.name.map { DeploymentPlanner.dnsName($0) } ?? "jina"
            let manifests = KubernetesRenderer.render(plan, image: image, namespace: name, flowContents: contents)
            try ExportCommand.write(manifests.map { ($0.file, $0.yaml) }, into: ExportCommand.absolute(output))
            Terminal.say("wrote \(manifests.count) manifests into \(output)/; apply them with: kubectl apply -f \(output)/namespace.yml -f \(output)/")
        }
    }

    static let defaultImage = "localhost/jina:latest"

    static func plan(_ flow: String, _ loader: ConfigLoader) throws -> DeploymentPlan {
        let graph = try FlowLaunch.graph(flow, loader: loader)
        do { return try DeploymentPlanner.plan(graph.flow) } catch {
            Terminal.say("\(error)", level: .error)
            throw ExitCode.configError
        }
    }

    static func write(_ files: [(name: String, contents: String)], into directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in files { try file.contents.write(toFile: directory + "/" + file.name, atomically: true, encoding: .utf8) }
    }

    static func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (joined as NSString).standardizingPath
    }

    /// `path` as seen from `base` (both absolute): `.`, `sub/dir`, `../other`.
    static func relative(_ path: String, from base: String) -> String {
        let target = absolute(path).split(separator: "/"), origin = absolute(base).split(separator: "/")
        var common = 0
        while common < min(target.count, origin.count), target[common] == origin[common] { common += 1 }
        let parts = Array(repeating: "..", count: origin.count - common) + target[common...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
