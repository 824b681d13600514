#if canImport(Glibc)
import Glibc
#endif

/// Blocking writes to a file descriptor (a pipe or a socket).
public enum Descriptor {
    /// Writes all of `bytes`; false when the other side is gone.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        return bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }
}
