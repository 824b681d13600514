import Foundation

/// Runs blocking work (socket I/O) on a new thread of its own and hands the result back to an
/// async caller, so no cooperative thread of Swift's concurrency pool ever blocks.
enum DedicatedThread {
    static func run<T: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = name
            thread.start()
        }
    }
}
