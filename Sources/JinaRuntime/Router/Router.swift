import Foundation
import JinaConfig
import JinaWire

/// The per-request walk of the FlowGraph (SPEC §3): each executor runs when all it needs are
/// done, on their documents concatenated in `needs` order; shards are polled ANY, ALL or
/// ALL_ASYNC; an error stops the request and is returned with the route so far. Bodies are
/// forwarded and concatenated as bytes; no document is decoded here.
struct Router: Sendable {
    let graph: FlowGraph
    let groups: [String: ExecutorGroup]
    let requestTimeout: Duration?
    /// Where ALL_ASYNC's slower shard calls finish after their request was answered.
    let detached: DetachedCalls

    /// What one executor produced for a request.
    private struct Output: Sendable {
        var body: [UInt8]
        var count: Int
        var routes: [RouteEntry]
        var failure: RequestFailure?
    }

    func run(_ request: FlowRequest) async -> FlowResponse {
        let target = request.targetExecutor.flatMap { try? NSRegularExpression(pattern: $0) }
        let start = Output(body: request.body, count: request.count, routes: [], failure: nil)
        // A walk in one task group: an executor starts when every executor it needs is done, so
        // cancelling the request (its client went away) cancels every call it has in flight.
        var outputs: [String: Output] = [:]
        await withTaskGroup(of: (String, Output).self) { group in
            var started = Set<String>()
            repeat {
                // By index: an entry is a large value, and this loop runs once per finished executor.
                for index in graph.order where !started.contains(graph.executors[index].name) {
                    let upstream = graph.executors[index].needs.map { $0 == FlowGraph.gateway ? start : outputs[$0] }
                    guard upstream.allSatisfy({ $0 != nil }) else { continue }
                    started.insert(graph.executors[index].name)
                    let inputs = upstream.map { $0! }
                    group.addTask {
                        let entry = graph.executors[index]
                        if let failed = inputs.first(where: { $0.failure != nil }) {
                            return (entry.name, Output(body: failed.body, count: failed.count, routes: [], failure: failed.failure))
                        }
                        let joined = Self.join(inputs)
                        if let target, !Self.matches(target, entry.name) {
                            return (entry.name, Output(body: joined.body, count: joined.count, routes: [], failure: nil))
                        }
                        return (entry.name, await runEntry(entry, request: request, input: joined))
                    }
                }
                guard let (name, output) = await group.next() else { break }
                outputs[name] = output
            } while true
        }
        // The first failure in graph order is the one reported.
        var routes: [RouteEntry] = []
        var failed: Output?
        for index in graph.order {
            guard let output = outputs[graph.executors[index].name] else { continue }
            routes += output.routes
            if failed == nil, output.failure != nil { failed = output }
        }
        let final = failed ?? graph.endNeeds.first.flatMap { outputs[$0] } ?? start
        return FlowResponse(requestID: request.requestID, endpoint: request.endpoint, targetExecutor: request.targetExecutor,
                            parameters: request.parameters,
                            body: final.body, count: final.count, routes: routes, failure: failed?.failure)
    }

    /// Upstream outputs joined in `needs` order; `splits` gives `docs_matrix` to the executor.
    private static func join(_ inputs: [Output]) -> (body: [UInt8], count: Int, splits: [Int]?) {
        if inputs.count == 1 { return (inputs[0].body, inputs[0].count, nil) }
        return (DocumentArray.concatenate(inputs.map(\.body)), inputs.reduce(0) { $0 + $1.count }, inputs.map(\.count))
    }

    private static func matches(_ regex: NSRegularExpression, _ name: String) -> Bool {
        regex.firstMatch(in: name, options: .anchored, range: NSRange(name.startIndex..., in: name)) != nil
    }

    private func runEntry(_ entry: ExecutorEntry, request: FlowRequest, input: (body: [UInt8], count: Int, splits: [Int]?)) async -> Output {
        guard let group = groups[entry.name] else {
            return Output(body: input.body, count: input.count, routes: [], failure: nil)
        }
        let parameters = Self.scopedParameters(request.parameters, for: entry)
        let started = Date()
        var body = input.body, count = input.count
        do {
            if !group.head.isEmpty {
                (body, count) = try await call(group, group.head, request, parameters, body, count, input.splits)
            }
            let splits = group.head.isEmpty ? input.splits : nil
            let polling = entry.polling.polling(for: request.endpoint)
            if group.shards.count == 1 || polling == .any {
                let shard = group.shards.count == 1 ? 0 : group.leastLoadedShard()
                (body, count) = try await call(group, group.shards[shard], request, parameters, body, count, splits)
                if !group.tail.isEmpty {
                    (body, count) = try await call(group, group.tail, request, parameters, body, count, nil)
                }
            } else {
                let results = polling == .allAsync
                    ? [try await callFirstShard(group, request, parameters, body, count, splits)]
                    : try await callAllShards(group, request, parameters, body, count, splits)
                let joined = Self.join(results.map { Output(body: $0.body, count: $0.count, routes: [], failure: nil) })
                (body, count) = (joined.body, joined.count)
                if !group.tail.isEmpty {
                    (body, count) = try await call(group, group.tail, request, parameters, body, count, joined.splits)
                }
            }
            return Output(body: body, count: count, routes: [RouteEntry(executor: entry.name, start: started, end: Date(), status: nil)],
                          failure: nil)
        } catch let failed as CallFailure {
            let route = RouteEntry(executor: entry.name, start: started, end: Date(), status: failed.failure.status)
            let docs = failed.docs ?? (body, count)
            return Output(body: docs.body, count: docs.count, routes: [route], failure: failed.failure)
        } catch {
            // Only a cancellation reaches here: the request's client went away.
            let failure = RequestFailure.cancelled(executor: entry.name)
            let route = RouteEntry(executor: entry.name, start: started, end: Date(), status: failure.status)
            return Output(body: body, count: count, routes: [route], failure: failure)
        }
    }

    /// ALL: every shard gets the request; results in shard order, in one task group.
    private func callAllShards(_ group: ExecutorGroup, _ request: FlowRequest, _ parameters: JSONObject, _ body: [UInt8], _ count: Int,
                               _ splits: [Int]?) async throws -> [(body: [UInt8], count: Int)] {
        try await withThrowingTaskGroup(of: (Int, (body: [UInt8], count: Int)).self) { tasks in
            for (index, replicas) in group.shards.enumerated() {
                tasks.addTask { (index, try await call(group, replicas, request, parameters, body, count, splits)) }
            }
            var results = [(body: [UInt8], count: Int)?](repeating: nil, count: group.shards.count)
            for try await (index, result) in tasks { results[index] = result }
            return results.map { $0! }
        }
    }

    /// ALL_ASYNC: every shard gets the request and the first to answer is used at once. The
    /// other calls run on to completion in `detached` (their results dropped, their failures
    /// logged); cancelling the request before the first answer cancels them all.
    private func callFirstShard(_ group: ExecutorGroup, _ request: FlowRequest, _ parameters: JSONObject, _ body: [UInt8], _ count: Int,
                                _ splits: [Int]?) async throws -> (body: [UInt8], count: Int) {
        let (answers, sink) = AsyncStream.makeStream(of: Result<(body: [UInt8], count: Int), Error>.self)
        defer { sink.finish() }
        let calls = group.shards.enumerated().map { index, replicas in
            detached.run {
                let result: Result<(body: [UInt8], count: Int), Error>
                do { result = .success(try await call(group, replicas, request, parameters, body, count, splits)) } catch {
                    result = .failure(error)
                }
                if case .terminated = sink.yield(result), case .failure(let error) = result, !Self.isCancellation(error) {
                    Log.emit(.warning, "\(group.entry.name) shard \(index) failed after request \(request.requestID) was answered: \(Self.describe(error))",
                             executor: group.entry.name, requestID: request.requestID)
                }
            }
        }
        return try await withTaskCancellationHandler {
            var firstError: Error?
            var failures = 0
            for await answer in answers {
                switch answer {
                case .success(let value): return value
                case .failure(let error): firstError = firstError ?? error
                }
                failures += 1
                if failures == calls.count { break }
            }
            throw firstError ?? CancellationError()
        } onCancel: {
            for call in calls { call.cancel() }
        }
    }

    /// The Flow stopping (or the request's client leaving) is not the shard's failure.
    private static func isCancellation(_ error: Error) -> Bool {
        error is CancellationError || (error as? CallFailure)?.failure.kind == .cancelled
    }

    private static func describe(_ error: Error) -> String {
        if let failed = error as? CallFailure { return failed.failure.description }
        return "\(error)"
    }

    /// One call to the least loaded of `replicas`, turning an error frame or a dead executor into
    /// a `CallFailure` that carries the documents as they were.
    private func call(_ group: ExecutorGroup, _ replicas: [ExecutorWorker], _ request: FlowRequest, _ parameters: JSONObject,
                      _ body: [UInt8], _ count: Int, _ splits: [Int]?) async throws -> (body: [UInt8], count: Int) {
        var fields: [(String, JSONValue)] = [
            ("endpoint", .string(request.endpoint)), ("parameters", .object(parameters)),
            ("count", .number(JSONNumber(count))), ("request_id", .string(request.requestID)),
        ]
        if let splits { fields.append(("splits", .array(splits.map { .number(JSONNumber($0)) }))) }
        let frame = Frame(.call, body: body, fields)
        let answer: Frame
        do {
            answer = try await group.call(replicas, frame, timeout: requestTimeout)
        } catch let failure as ExecutorFailure {
            let status = RequestFailure.status(name: failure.kind.rawValue, message: failure.message, executor: group.entry.name)
            throw CallFailure(failure: RequestFailure(kind: failure.kind == .timeout ? .timeout : .unavailable,
                                                      executor: group.entry.name, status: status), docs: (body, count))
        } catch is CancellationError {
            throw CallFailure(failure: .cancelled(executor: group.entry.name), docs: (body, count))
        }
        switch answer.kind {
        case .result:
            if answer.body.isEmpty && answer.count == nil { return (body, count) }
            let n: Int
            if let c = answer.count { n = c } else {
                do { n = try DocumentArray.count(answer.body) } catch {
                    let status = RequestFailure.status(name: "ProtocolError", message: "\(group.entry.name) returned \(error)",
                                                       executor: group.entry.name)
                    throw CallFailure(failure: RequestFailure(kind: .executorError, executor: group.entry.name, status: status), docs: (body, count))
                }
            }
            return (answer.body, n)
        default:
            var status = answer.status
                ?? RequestFailure.status(name: "ExecutorError", message: "\(group.entry.name) failed", executor: group.entry.name)
            if var exception = status["exception"]?.objectValue, exception["executor"] == nil {
                exception["executor"] = .string(group.entry.name)
                status["exception"] = .object(exception)
            }
            status["code"] = .number(JSONNumber(1))
            let docs = answer.body.isEmpty ? (body, count) : (answer.body, answer.count ?? count)
            throw CallFailure(failure: RequestFailure(kind: .executorError, executor: group.entry.name, status: status), docs: docs)
        }
    }

    /// The request's parameters with this executor's own section (keyed by `metas.name` or its
    /// Flow name) merged over the top level.
    static func scopedParameters(_ parameters: JSONObject, for entry: ExecutorEntry) -> JSONObject {
        var merged = parameters
        for scope in [entry.name, entry.executor.parameterScope] {
            if let own = parameters[scope]?.objectValue {
                for (key, value) in own { merged[key] = value }
            }
        }
        return merged
    }
}

/// A failed call with the documents as they were when it failed.
struct CallFailure: Error {
    var failure: RequestFailure
    var docs: (body: [UInt8], count: Int)?
}
