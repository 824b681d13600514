import Foundation

/// An input file, or stdin for `-`, opened when the reader is made (so a missing file is an
/// error before anything starts) and read line by line with getline(3).
final class InputFile {
    /// The path as given, for messages.
    let name: String
    private let file: UnsafeMutablePointer<FILE>
    private static let readBufferSize = 1 << 18
    private let readBuffer: UnsafeMutablePointer<CChar>
    /// The number of the line last read (from 1).
    private(set) var lineNumber = 0

    init(path: String) throws {
        name = path
        // A duplicate of stdin, so that closing this file leaves fd 0 alone.
        guard let file = path == "-" ? fdopen(dup(STDIN_FILENO), "r") : fopen(path, "r") else {
            throw InputError(message: "cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        // stdio reads a regular file 4 kB at a time: 70,000 read(2)s for 100,000 documents of
        // 256 floats. A read still returns what a pipe or terminal has, so lines are not held
        // back. glibc ignores the size unless it is given the buffer.
        readBuffer = .allocate(capacity: Self.readBufferSize)
        setvbuf(file, readBuffer, _IOFBF, Self.readBufferSize)
        self.file = file
    }

    deinit {
        fclose(file)
        free(lineBuffer)
        readBuffer.deallocate()
    }

    /// The file descriptor, for readers that open the file their own way.
    var descriptor: Int32 { fileno(file) }

    /// The next line without its line break (LF or CRLF), or nil at the end.
    func readLine() -> [UInt8]? {
        let n = getline(&lineBuffer, &lineCapacity, file)
        guard n >= 0, let lineBuffer else { return nil }
        lineNumber += 1
        var length = n
        while length > 0, lineBuffer[length - 1] == 0x0A || lineBuffer[length - 1] == 0x0D { length -= 1 }
        return Array(UnsafeRawBufferPointer(start: lineBuffer, count: length))  // one copy, not a byte-by-byte map
    }

    /// getline's buffer, kept from line to line: it grows to the longest line instead of being
    /// allocated for each.
    private var lineBuffer: UnsafeMutablePointer<CChar>?
    private var lineCapacity = 0
}
