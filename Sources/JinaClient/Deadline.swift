/// A point in time by which something must be done, or none; and how to say what timed out.
struct Deadline: Sendable {
    private let end: ContinuousClock.Instant?
    /// The limit as given, for messages.
    let milliseconds: Int
    /// What is being waited for ("connecting", "waiting for the response"), for messages.
    let what: String

    /// `milliseconds` ≤ 0 means no limit.
    init(milliseconds: Int, what: String) {
        self.milliseconds = milliseconds
        self.what = what
        end = milliseconds > 0 ? ContinuousClock.now + .milliseconds(milliseconds) : nil
    }

    static func none(_ what: String) -> Deadline { Deadline(milliseconds: 0, what: what) }

    /// The same end, described differently.
    func named(_ what: String) -> Deadline { Deadline(end: end, milliseconds: milliseconds, what: what) }

    private init(end: ContinuousClock.Instant?, milliseconds: Int, what: String) {
        self.end = end
        self.milliseconds = milliseconds
        self.what = what
    }

    /// The earlier of two deadlines (keeping the description of the one that ends first).
    func earliest(_ other: Deadline) -> Deadline {
        guard let end else { return other }
        guard let otherEnd = other.end else { return self }
        return otherEnd < end ? other : self
    }

    /// What is left, in whole milliseconds rounded up, for poll(2); -1 for no limit, 0 when past.
    var pollTimeout: Int32 {
        guard let end else { return -1 }
        let left = end - ContinuousClock.now
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        let ms = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }

    var isPast: Bool { end.map { ContinuousClock.now >= $0 } ?? false }

    var error: ClientError { .timedOut(what: what, milliseconds: milliseconds) }
}
