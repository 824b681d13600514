import ArgumentParser
import Foundation
import JinaConfig
import JinaRuntime

/// The steps every command that starts a Flow shares: load and validate it, printing its
/// problems on stderr, and build its runtime; a Flow that cannot start exits 78.
enum FlowLaunch {
    /// The Flow's graph, or its errors on stderr and exit 78. Plot also shows warnings.
    static func graph(_ path: String, loader: ConfigLoader, showWarnings: Bool = false, hint: String? = nil) throws -> FlowGraph {
        let (graph, diagnostics) = loader.loadFlowGraph(path: path)
        let printer = DiagnosticPrinter(colour: Terminal.useColour(on: STDERR_FILENO))
        for d in diagnostics where d.severity == .error || (showWarnings && d.severity == .warning) {
            Terminal.show(d, printer)
        }
        guard let graph else {
            if let hint { Terminal.say("hint: \(hint)") }
            throw ExitCode.configError
        }
        return graph
    }

    static func options(environment: [String: String], prefetch: Int, timeoutMilliseconds: Int = 0) -> RuntimeOptions {
        RuntimeOptions(environment: environment, maxRequestsInFlight: prefetch,
                       requestTimeout: timeoutMilliseconds > 0 ? .milliseconds(timeoutMilliseconds) : nil)
    }

    static func runtime(_ graph: FlowGraph, environment: [String: String], prefetch: Int, timeoutMilliseconds: Int = 0) throws -> FlowRuntime {
        let options = options(environment: environment, prefetch: prefetch, timeoutMilliseconds: timeoutMilliseconds)
        do { return try FlowRuntime(graph: graph, options: options) } catch {
            Terminal.error("\(error)")
            throw ExitCode.configError
        }
    }
}
