import Foundation

/// Raw writes to stdout: all the bytes, or false once the reader is gone (EPIPE; `jina` ignores
/// SIGPIPE), so a closed pipe ends the output instead of the process.
enum StandardOutput {
    @discardableResult
    static func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        return bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = Glibc.write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }
}
