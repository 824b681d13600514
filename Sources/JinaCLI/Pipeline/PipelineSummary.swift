import ArgumentParser
import Foundation

/// How a pipeline run went, and the ending both commands share: the error lines on stderr and
/// the exit code.
struct PipelineSummary {
    var requests = 0
    var docs = 0
    var failed = 0
    /// Documents of requests that succeeded that carry their own error (`DocumentError`).
    var failedDocuments = 0
    /// From the start of the run to the last result written.
    var seconds = 0.0
    var inputError: String?
    /// A failed batch stopped the inputs (`BatchOutcome.stopsInputs`).
    var stoppedByFailure = false
    /// The progress bar's last line already said how many requests failed.
    var showedProgress = false

    /// The input error, and how many requests failed.
    func printProblems() {
        if let inputError { Terminal.error("\(inputError)") }
        if failed > 0 && !showedProgress { Terminal.say("\(failed) of \(requests) requests failed") }
        if failedDocuments > 0 { Terminal.say("\(failedDocuments) of \(docs) documents failed") }
    }

    /// 130 after SIGINT (SIGTERM ends as a normal end would), 1 when a request or a document
    /// failed or the inputs could not be read; nil for success.
    func exitCode(after interrupt: InterruptWatcher) -> ExitCode? {
        if interrupt.signal == SIGINT { return ExitCode(130) }
        if failed > 0 || failedDocuments > 0 || inputError != nil { return .failed }
        return nil
    }
}
