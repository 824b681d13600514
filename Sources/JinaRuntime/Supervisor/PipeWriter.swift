import Foundation

/// Writes frames to a child's stdin (or a socket) without blocking the caller: an inline
/// non-blocking write when nothing is queued, else a writer thread that waits for room.
final class PipeWriter: @unchecked Sendable {
    private let fd: Int32
    private let condition = NSCondition()
    private var queue: [[UInt8]] = []
    private var offset = 0
    private var closed = false
    private var broken = false
    private var threadStarted = false
    private var fdClosed = false

    init(fd: Int32) {
        self.fd = fd
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// Queues bytes for writing; false when the other side is gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if closed || broken { return false }
        if queue.isEmpty {
            let written = writeSome(bytes, from: 0)
            if written < 0 { return false }
            if written == bytes.count { return true }
            queue.append(bytes)
            offset = written
        } else {
            queue.append(bytes)
        }
        if !threadStarted {
            threadStarted = true
            let thread = Thread { [self] in drain() }
            thread.name = "jina-writer"
            thread.start()
        }
        condition.signal()
        return true
    }

    /// Ends a connection at once, both ways, so its reader sees the end too (a remote executor
    /// whose call timed out). On a pipe this is just `close`.
    func abort() {
        condition.lock()
        // Only while the descriptor is ours: once closed, its number may belong to another file.
        if !fdClosed { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        condition.unlock()
        close()
    }

    /// Closes the descriptor once everything queued is written (the child sees EOF on stdin).
    func close() {
        condition.lock()
        closed = true
        let idle = queue.isEmpty
        condition.signal()
        let closeNow = idle && !threadStarted && !fdClosed
        if closeNow { fdClosed = true }
        condition.unlock()
        if closeNow { Foundation.close(fd) }
    }

    /// Writes as much as the pipe takes now; -1 when it is broken.
    private func writeSome(_ bytes: [UInt8], from start: Int) -> Int {
        var done = start
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN { break }
                broken = true
                queue.removeAll()
                return -1
            }
            done += n
        }
        return done
    }

    private func drain() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty && closed {
                fdClosed = true
                condition.unlock()
                Foundation.close(fd)
                return
            }
            let bytes = queue[0]
            let written = writeSome(bytes, from: offset)
            if written < 0 {
                if closed {
                    fdClosed = true
                    condition.unlock()
                    Foundation.close(fd)
                    return
                }
                condition.unlock()
                continue
            }
            if written == bytes.count {
                queue.removeFirst()
                offset = 0
                condition.unlock()
                continue
            }
            offset = written
            condition.unlock()
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&poller, 1, 200)
        }
    }
}
