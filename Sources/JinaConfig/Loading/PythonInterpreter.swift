import Foundation

/// The Python that runs Python executor classes: `JINA_PYTHON` (or `--python`), else `python3`
/// on PATH.
public enum PythonInterpreter {
    public static func find(environment: [String: String]) -> String? {
        if let explicit = environment["JINA_PYTHON"], !explicit.isEmpty {
            if explicit.contains("/") { return FileManager.default.isExecutableFile(atPath: explicit) ? explicit : nil }
            return search(explicit, path: environment["PATH"])
        }
        return search("python3", path: environment["PATH"])
    }

    static func search(_ program: String, path: String?) -> String? {
        for dir in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// What to tell a user whose Flow names a Python class but has no Python.
    public static func missingMessage(environment: [String: String]) -> String {
        if let explicit = environment["JINA_PYTHON"], !explicit.isEmpty {
            return "JINA_PYTHON names '\(explicit)', which is not an executable"
        }
        return "python3 is not on PATH"
    }
}
