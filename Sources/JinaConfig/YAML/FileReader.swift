import Foundation

/// Reads a configuration file, with messages a user can act on when it cannot be read.
enum FileReader {
    struct ReadError: Error {
        var message: String
    }

    /// Configurations are small; anything over this is not one.
    static let maxBytes = 16 << 20

    static func read(_ path: String) throws(ReadError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReadError(message: "no such file")
        }
        if isDirectory.boolValue { throw ReadError(message: "is a directory, expected a YAML file") }
        guard FileManager.default.isReadableFile(atPath: path), let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(message: "cannot read the file (permission denied?)")
        }
        if data.count > maxBytes {
            throw ReadError(message: "file is \(data.count) bytes; a configuration must be under \(maxBytes >> 20) MiB")
        }
        return [UInt8](data)
    }
}
