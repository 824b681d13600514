import Foundation

/// The calls a host has read and prepared ahead of the one it is answering, at most `capacity`
/// of them, and then how the input ended. The reader thread puts, the answering thread takes;
/// `close` (the answering side stopped) turns away what the reader still puts.
final class PreparedCallQueue: @unchecked Sendable {  // state behind `condition`
    enum Item {
        case call(LoadedExecutor.PreparedCall)
        /// The input ended: the exit status `serve` returns once the calls before it are answered.
        case end(Int32)
    }

    private let capacity: Int
    private let condition = NSCondition()
    private var items: [Item] = []
    private var closed = false
    /// The taker is waiting for an item: it is not answering one.
    private var takerWaits = false

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Waits for room; false when the queue was closed (nobody answers any more).
    @discardableResult
    func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !closed { condition.wait() }
        guard !closed else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Waits for the next item, in the order they were put.
    func take() -> Item {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty {
            takerWaits = true
            condition.wait()
        }
        takerWaits = false
        condition.broadcast()
        return items.removeFirst()
    }

    /// Nothing queued and the taker waiting: the putter may answer a call itself without
    /// overtaking one (only the putter can end this state, by putting).
    var isIdle: Bool {
        condition.lock()
        defer { condition.unlock() }
        return takerWaits && items.isEmpty
    }

    func close() {
        condition.lock()
        closed = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
