import Foundation
import JinaWire

/// A document per file matched by a glob (directories left out): its `uri`, and as the read
/// mode says its text or its bytes (base64 in `buffer`).
final class GlobDocuments: DocumentBuilder {
    private let files: [String]
    private let readMode: InputReader.ReadMode
    private var index = 0

    init(pattern: String, readMode: InputReader.ReadMode) throws {
        files = try Self.expand(pattern)
        self.readMode = readMode
    }

    func next() throws -> Document? {
        guard index < files.count else { return nil }
        let path = files[index]
        index += 1
        var doc = Document(JSONObject([("uri", .string(path))]))
        switch readMode {
        case .uri: break
        case .text: doc.text = String(decoding: try contents(path), as: UTF8.self)
        case .bytes: doc.fields["buffer"] = .string(try contents(path).base64EncodedString())
        }
        return doc
    }

    private func contents(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(message: "cannot read '\(path)'") }
        return data
    }

    private static func expand(_ pattern: String) throws -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        let rc = glob(pattern, 0, nil, &result)
        guard rc == 0 else {
            if rc == GLOB_NOMATCH { throw InputError(message: "no file matches '\(pattern)'") }
            throw InputError(message: "cannot expand '\(pattern)'")
        }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }
}
