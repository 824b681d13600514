import Foundation

/// Fixture files live next to the tests in the source tree; goldens are rewritten there with
/// JINA_UPDATE_GOLDEN=1.
enum FixturePaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static func path(_ relative: String) -> String { root + "/" + relative }

    static var updateGoldens: Bool { ProcessInfo.processInfo.environment["JINA_UPDATE_GOLDEN"] == "1" }

    /// The environment fixtures are linted with: fixed, so goldens do not depend on the machine.
    static let environment: [String: String] = [
        "JINA_TEST_PORT": "8080",
        "JINA_TEST_SHARDS": "3",
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
    ]

    /// Diagnostics name files relative to the fixture directory, whatever the working directory.
    static func relativize(_ text: String, to directory: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        var out = text.replacingOccurrences(of: directory + "/", with: "")
        if directory.hasPrefix(cwd) { out = out.replacingOccurrences(of: String(directory.dropFirst(cwd.count)) + "/", with: "") }
        return out
    }
}
