import Foundation

/// A one-line progress display on a terminal (stderr): requests and documents done, documents
/// per second and time elapsed, redrawn in place every 100 ms at most, then a summary line.
/// Only for a terminal: the caller makes none when stderr is a file or a pipe.
final class ProgressBar: @unchecked Sendable {  // mutable state behind `lock`
    private let lock = NSLock()
    private let colour: Bool
    private let fd: Int32
    private let started = ContinuousClock.now
    private var requests = 0
    private var docs = 0
    private var failed = 0
    private var frame = 0
    private var drawn = false
    private var finished = false
    private var timer: DispatchSourceTimer?

    static let spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    init(colour: Bool, fd: Int32 = STDERR_FILENO) {
        self.colour = colour
        self.fd = fd
    }

    /// Starts redrawing every 100 ms.
    func start() {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100))
        timer.setEventHandler { [weak self] in self?.redraw() }
        lock.withLock { self.timer = timer }
        timer.resume()
    }

    /// One request answered, with this many documents.
    func record(docs count: Int, failed isFailure: Bool) {
        lock.withLock {
            requests += 1
            docs += count
            if isFailure { failed += 1 }
        }
    }

    /// Clears the line, runs `body` (which writes to the same terminal), and draws it again, so
    /// that other lines never mix with the bar.
    func interrupting<T>(_ body: () -> T) -> T {
        lock.withLock {
            if drawn { emit("\r\u{1B}[2K") }
            let result = body()
            if drawn { emit(line()) }
            return result
        }
    }

    /// Stops redrawing and replaces the bar with a summary line.
    func finish() {
        let timer = lock.withLock { () -> DispatchSourceTimer? in
            finished = true
            return self.timer
        }
        timer?.cancel()
        lock.withLock {
            let seconds = elapsed
            let mark = failed > 0 ? paint("✗", "31") : paint("✓", "32")
            let failures = failed > 0 ? " (" + paint("\(failed) failed", "31") + ")" : ""
            emit("\r\u{1B}[2K\(mark) \(Self.grouped(requests)) request\(requests == 1 ? "" : "s")\(failures), "
                 + "\(Self.grouped(docs)) doc\(docs == 1 ? "" : "s") in \(Self.duration(seconds)) (\(Self.rate(docs, seconds)) docs/s)\n")
            drawn = false
        }
    }

    private func redraw() {
        lock.withLock {
            guard !finished else { return }
            frame += 1
            emit(line())
            drawn = true
        }
    }

    private func line() -> String {
        let seconds = elapsed
        var text = "\r\u{1B}[2K" + paint(Self.spinner[frame % Self.spinner.count], "36")
        text += " \(Self.grouped(requests)) request\(requests == 1 ? "" : "s") · \(Self.grouped(docs)) docs"
        text += " · \(Self.rate(docs, seconds)) docs/s · \(Self.duration(seconds))"
        if failed > 0 { text += " · " + paint("\(failed) failed", "31") }
        return text
    }

    private var elapsed: Double { (ContinuousClock.now - started).inSeconds }

    private func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func emit(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    static func rate(_ count: Int, _ seconds: Double) -> String {
        grouped(seconds > 0 ? Int((Double(count) / seconds).rounded()) : 0)
    }

    /// 3.4s, 1:02.5, 1:00:03.
    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds)
        if whole < 3600 { return String(format: "%d:%04.1f", whole / 60, seconds - Double(whole / 60 * 60)) }
        return String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
    }
}
