import Foundation
import JinaConfig
import JinaRuntime
import JinaWire

/// What one test did.
struct FlowTestOutcome: Sendable {
    let test: FlowTestCase
    /// Why it failed, a line each (the differences, or the request's failure); empty: it passed.
    let problems: [String]
    let seconds: Double
    var passed: Bool { problems.isEmpty }
}

/// What one test file did: its tests' outcomes, or why none ran (a malformed file, a Flow that
/// did not start).
struct FlowTestFileOutcome: Sendable {
    let file: String
    var outcomes: [FlowTestOutcome] = []
    /// Set when the file's tests could not run.
    var error: String?
    var seconds: Double = 0
}

/// Runs the tests of one file against its Flow, started once.
struct FlowTestRunner {
    let loader: ConfigLoader
    let environment: [String: String]
    let timeoutMilliseconds: Int
    /// Prints the diagnostics of the test file and of its Flow.
    let report: ([Diagnostic]) -> Void

    func run(file: String) async -> FlowTestFileOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        var outcome = await runTests(file: file)
        outcome.seconds = (clock.now - start).inSeconds
        return outcome
    }

    private func runTests(file: String) async -> FlowTestFileOutcome {
        let clock = ContinuousClock()
        var outcome = FlowTestFileOutcome(file: file)
        let (suite, testDiagnostics) = FlowTestReader.read(path: file)
        report(testDiagnostics)
        guard let suite else {
            outcome.error = "the test file has errors"
            return outcome
        }
        let (graph, flowDiagnostics) = loader.loadFlowGraph(path: suite.flowPath)
        report(flowDiagnostics.filter { $0.severity == .error })
        guard let graph else {
            outcome.error = "the Flow \(suite.flowPath) has errors"
            return outcome
        }
        let options = FlowLaunch.options(environment: environment, prefetch: 8, timeoutMilliseconds: timeoutMilliseconds)
        let runtime: FlowRuntime
        do {
            runtime = try FlowRuntime(graph: graph, options: options)
            try await runtime.start()
        } catch {
            outcome.error = "the Flow \(suite.flowPath) did not start: \(error)"
            return outcome
        }
        for test in suite.tests {
            let testStart = clock.now
            let problems = await check(test, on: runtime)
            outcome.outcomes.append(FlowTestOutcome(test: test, problems: problems, seconds: (clock.now - testStart).inSeconds))
        }
        await runtime.stop(grace: .seconds(5))
        return outcome
    }

    /// Sends the test's request and compares the answer with what it expects.
    func check(_ test: FlowTestCase, on runtime: FlowRuntime) async -> [String] {
        let documents: [JSONValue]
        do { documents = try inputs(of: test) } catch {
            return ["cannot read the inputs: \(error)"]
        }
        let parameters = JSONObject(test.parameters.map { ($0.key, JSONValue($0.value)) })
        let response = await runtime.post(FlowRequest(endpoint: test.endpoint, parameters: parameters,
                                                      body: JSONValue.array(documents).jsonBytes, count: documents.count))
        if let expected = test.expectError {
            guard let failure = response.failure else { return ["expected an error containing \"\(expected)\", but the request succeeded"] }
            return failure.description.contains(expected) ? [] : ["expected an error containing \"\(expected)\", got: \(failure.description)"]
        }
        if let failure = response.failure { return ["the request failed: \(failure.description)"] }
        guard let output = (try? JSONParser.parse(response.body))?.arrayValue else {
            return ["the answer is not a list of documents: \(String(decoding: response.body.prefix(200), as: UTF8.self))"]
        }
        var problems: [String] = []
        if let count = test.expectCount, count != output.count {
            problems.append("expected \(count) document(s), got \(output.count)")
        }
        for (index, expected) in (test.expect ?? []).enumerated() {
            guard index < output.count else {
                problems.append("[\(index)]: expected \(JSONValue(expected).jsonString), but the Flow answered \(output.count) document(s)")
                continue
            }
            problems += JSONExpectation.differences(expected: JSONValue(expected), actual: output[index], path: "[\(index)]").map(\.description)
        }
        return problems
    }

    /// The documents the test sends: written in it, or read from its inputs file.
    func inputs(of test: FlowTestCase) throws -> [JSONValue] {
        switch test.inputs {
        case .documents(let values):
            return values.map(JSONValue.init)
        case .file(let path):
            let reader = try InputReader(path: path)
            var documents: [JSONValue] = []
            while let batch = try reader.nextBatch(1_000) {
                documents += try JSONParser.parse(batch.body).arrayValue ?? []
            }
            return documents
        }
    }

}
