import Foundation
import JinaClient
import JinaWire

/// Drives a gateway over keep-alive HTTP/1.1 from this process, the same way for both engines:
/// the bodies are built before the clock starts, and each connection runs on its own thread.
enum HTTPLoad {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// A `/post` body as the Jina 3 HTTP client sends it, for `documents` (JSON objects).
    static func body(_ documents: ArraySlice<[UInt8]>, endpoint: String) -> [UInt8] {
        Array(#"{"exec_endpoint":"\#(endpoint)","parameters":{},"data":"#.utf8) + Corpus.jsonArray(documents) + [UInt8(ascii: "}")]
    }

    /// Sends every body once over `connections` keep-alive connections, as many in flight as
    /// connections; wall seconds from the first send to the last answer. Every answer must be
    /// 200; `check` looks at the first one.
    static func throughput(port: Int, route: String, bodies: [[UInt8]], connections: Int,
                           check: ([UInt8]) throws -> Void) throws -> Double {
        let state = LoadState(count: bodies.count)
        let group = DispatchGroup()
        let start = Bench.now()
        for _ in 0..<connections {
            group.enter()
            Thread {
                defer { group.leave() }
                let connection = HTTPConnection(host: "127.0.0.1", port: port)
                defer { connection.close() }
                while let index = state.take() {
                    do {
                        let response = try connection.send(.postJSON(route, body: bodies[index]), timeout: 60_000)
                        guard response.status == 200 else {
                            throw Failure(description: "HTTP \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
                        }
                        if index == 0 { state.keepFirst(response.body) }
                    } catch {
                        state.fail("request \(index): \(error)")
                    }
                }
            }.start()
        }
        group.wait()
        let seconds = Bench.now() - start
        if let failure = state.failure { throw Failure(description: failure) }
        try check(state.first ?? [])
        return seconds
    }

    /// The requests still to send, shared by the connections' threads.
    private final class LoadState: @unchecked Sendable {  // guarded by `lock`
        private let lock = NSLock()
        private let count: Int
        private var next = 0
        private var firstBody: [UInt8]?
        private var firstFailure: String?

        init(count: Int) { self.count = count }

        /// The next request's index; nil when all are taken or one has failed.
        func take() -> Int? {
            lock.withLock {
                guard firstFailure == nil, next < count else { return nil }
                next += 1
                return next - 1
            }
        }

        func keepFirst(_ body: [UInt8]) { lock.withLock { firstBody = body } }
        func fail(_ reason: String) { lock.withLock { firstFailure = firstFailure ?? reason } }
        var first: [UInt8]? { lock.withLock { firstBody } }
        var failure: String? { lock.withLock { firstFailure } }
    }

    /// `count` one-document requests, one after another on one connection (after `warmUp`
    /// untimed ones); each round trip in seconds, sorted.
    static func latencies(port: Int, route: String, body: [UInt8], count: Int, warmUp: Int = 20) throws -> [Double] {
        let connection = HTTPConnection(host: "127.0.0.1", port: port)
        defer { connection.close() }
        var times: [Double] = []
        times.reserveCapacity(count)
        for i in 0..<(warmUp + count) {
            let start = Bench.now()
            let response = try connection.send(.postJSON(route, body: body), timeout: 60_000)
            let seconds = Bench.now() - start
            guard response.status == 200 else { throw Failure(description: "HTTP \(response.status) on a one-doc request") }
            if i >= warmUp { times.append(seconds) }
        }
        guard connection.connectCount == 1 else { throw Failure(description: "the server did not keep the connection alive (\(connection.connectCount) connects)") }
        return times.sorted()
    }

    /// Polls `route` until `isReady` says yes; seconds since `start`. Connection refused and
    /// non-ready answers are retried every millisecond.
    static func waitReady(port: Int, route: String, since start: Double, timeout: Double, alive: () -> Bool,
                          isReady: (HTTPResponse) -> Bool) throws -> Double {
        while Bench.now() - start < timeout {
            guard alive() else { throw Failure(description: "the Flow exited before it was ready") }
            let connection = HTTPConnection(host: "127.0.0.1", port: port, connectTimeout: 1_000)
            if let response = try? connection.send(.get(route), timeout: 2_000), isReady(response) {
                let seconds = Bench.now() - start
                connection.close()
                return seconds
            }
            connection.close()
            usleep(1_000)
        }
        throw Failure(description: "not ready after \(Int(timeout)) s")
    }

    /// The documents of an answer: `data` (Jina 3) or `data.docs` (Jina 2) of the envelope.
    static func documents(_ body: [UInt8]) throws -> [JSONValue] {
        let value = try JSONParser.parse(body)
        guard let data = value["data"]?.arrayValue ?? value["data"]?["docs"]?.arrayValue else { throw Failure(description: "no data in the answer: \(String(decoding: body.prefix(300), as: UTF8.self))") }
        return data
    }
}
