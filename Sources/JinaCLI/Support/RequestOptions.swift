import ArgumentParser
import Foundation
import JinaRuntime
import JinaWire

/// What to send and how to write the answers: shared by `flow run` and `client post`.
struct RequestOptions: ParsableArguments {
    @Option(help: "The endpoint to call, e.g. /index.")
    var on: String = "/default"

    @Option(help: "Format of the inputs when the extension does not say (stdin defaults to jsonl).")
    var inputFormat: InputReader.Format?

    @Option(help: "With a glob: make documents of each file's uri, text or bytes.")
    var readMode: InputReader.ReadMode = .uri

    @Option(help: "Documents per request.")
    var requestSize: Int = Int(ProcessInfo.processInfo.environment["JINA_REQUEST_SIZE"] ?? "") ?? 100

    @Option(help: ArgumentHelp("Parameters for the executors, as a JSON object.", valueName: "json"))
    var parameters: String?

    @Option(help: ArgumentHelp("Only executors whose name matches this regex run; others pass requests through.", valueName: "regex"))
    var targetExecutor: String?

    @Option(help: "What to write: docs (one document per line) or responses (one envelope per request).")
    var output: OutputMode = .docs

    enum OutputMode: String, ExpressibleByArgument, CaseIterable { case docs, responses }

    func validate() throws {
        if requestSize < 1 { throw ValidationError("--request-size must be at least 1") }
        if let parameters, (try? JSONParser.parse(parameters))?.objectValue == nil {
            throw ValidationError("--parameters must be a JSON object, e.g. '{\"top_k\": 3}'")
        }
        if let targetExecutor, (try? NSRegularExpression(pattern: targetExecutor)) == nil {
            throw ValidationError("--target-executor is not a valid regex: \(targetExecutor)")
        }
    }

    var parametersObject: JSONObject {
        parameters.flatMap { try? JSONParser.parse($0).objectValue } ?? JSONObject()
    }

    var writeResponses: Bool { output == .responses }

    /// A reader of `inputs`, or an error line and exit 1.
    func reader(for inputs: String) throws -> InputReader {
        do { return try InputReader(path: inputs, format: inputFormat, readMode: readMode) } catch {
            Terminal.error("\(error)")
            throw ExitCode.failed
        }
    }
}
