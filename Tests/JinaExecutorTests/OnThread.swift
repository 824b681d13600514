import Foundation

/// Work that blocks in read(2), write(2) or a condition wait, run on a thread of its own: on the
/// task pool (two threads on a two-core machine) such work can starve the code it waits for.
final class OnThread<Value>: @unchecked Sendable {  // `value` is written once, before `done` signals
    private var value: Value?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () -> Value) {
        Thread { [self] in
            value = work()
            done.signal()
        }.start()
    }

    /// Waits for the work to end and gives what it returned.
    func result() -> Value {
        done.wait()
        return value!
    }
}
