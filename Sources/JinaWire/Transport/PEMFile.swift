import Foundation

/// A certificate or key file given for TLS (`--ssl-certfile`, `--ssl-keyfile`, `--tls-ca-file`),
/// read and checked before anything starts, so a wrong path is one clear line naming the file.
public struct PEMFile: Sendable {
    /// What the file should hold: the label of its `-----BEGIN …-----` line.
    public enum Content: String, Sendable {
        case certificate = "certificate", privateKey = "private key"
    }

    /// Why a TLS file cannot be used.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        /// The option or key that named the file (`--ssl-certfile`, `with.ssl_keyfile`, …).
        public let option: String
        public let path: String
        public let reason: String

        public init(option: String, path: String, reason: String) {
            self.option = option
            self.path = path
            self.reason = reason
        }

        public var description: String { "\(option) \(path): \(reason)" }
    }

    public let path: String
    /// The file's bytes, PEM text.
    public let bytes: [UInt8]

    /// Reads `path` and checks that it is PEM holding `content`; `option` names where the path came from.
    public init(path: String, holding content: Content, option: String) throws(Invalid) {
        func invalid(_ reason: String) -> Invalid { Invalid(option: option, path: path, reason: reason) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw invalid("no such file") }
        if isDirectory.boolValue { throw invalid("is a directory, not a \(content.rawValue) file") }
        guard access(path, R_OK) == 0 else { throw invalid("cannot be read (\(String(cString: strerror(errno))))") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw invalid("cannot be read (\(error.localizedDescription))") }
        if data.isEmpty { throw invalid("is empty; expected a PEM \(content.rawValue)") }
        let text = String(decoding: data, as: UTF8.self)
        let labels = Self.labels(in: text)
        if labels.isEmpty {
            throw invalid("is not PEM (no '-----BEGIN …-----' line); expected a PEM \(content.rawValue), e.g. from 'openssl req -x509 …'")
        }
        let wanted = labels.contains { content == .certificate ? $0 == "CERTIFICATE" : $0.hasSuffix("PRIVATE KEY") }
        if !wanted {
            throw invalid("holds \(labels.map { "'\($0)'" }.joined(separator: ", ")) but no \(content.rawValue)"
                          + (content == .privateKey && labels.contains("CERTIFICATE") ? " (is it the certificate file?)" : "")
                          + (content == .certificate && labels.contains { $0.hasSuffix("PRIVATE KEY") } ? " (is it the key file?)" : ""))
        }
        self.path = path
        bytes = Array(data)
    }

    /// The labels of the `-----BEGIN LABEL-----` lines, in order.
    static func labels(in text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let line = line.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") else { return nil }
            return String(line.dropFirst(11).dropLast(5))
        }
    }
}
