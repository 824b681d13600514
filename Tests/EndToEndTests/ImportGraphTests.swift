import Foundation
import Testing

/// The rules of the house (docs/architecture.md): arrows between targets point one way. The
/// compiler enforces what Package.swift declares; this checks what each target's sources import
/// against the table, so a new dependency is a decision and not an accident.
@Suite struct ImportGraphTests {
    /// Our targets, and the ones of ours each may import.
    static let allowed: [String: Set<String>] = [
        "JinaWire": [],
        "JinaProto": ["JinaWire"],
        "JinaConfig": ["JinaWire", "CLibYAML"],
        "JinaExecutor": ["JinaWire", "JinaConfig", "CSQLite", "CJinaSpawn", "CJinaVector"],
        "JinaRuntime": ["JinaWire", "JinaConfig", "JinaExecutor", "CJinaSpawn"],
        "JinaGateway": ["JinaWire", "JinaProto"],
        "JinaClient": ["JinaWire", "JinaProto"],
        "JinaPlot": ["JinaConfig"],
        "JinaDeploy": ["JinaConfig", "JinaWire"],
    ]
    static let ours: Set<String> = ["JinaWire", "JinaProto", "JinaConfig", "JinaExecutor", "JinaRuntime", "JinaGateway", "JinaClient", "JinaPlot",
                                    "JinaDeploy", "JinaCLI", "CLibYAML", "CSQLite", "CJinaSpawn", "CJinaVector"]

    /// The modules of ours that a target's sources import.
    static func imports(of target: String) throws -> Set<String> {
        let root = JinaBinary.packageRoot + "/Sources/" + target
        var found = Set<String>()
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(!files.isEmpty, "no sources under \(root)")
        for file in files {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@testable import ") {
                let module = String(line.split(separator: " ").last!)
                if ours.contains(module) { found.insert(module) }
            }
        }
        return found
    }

    @Test(arguments: allowed.keys.sorted())
    func targetImportsOnlyWhatTheTableAllows(target: String) throws {
        let extra = try Self.imports(of: target).subtracting(Self.allowed[target]!)
        #expect(extra.isEmpty, "\(target) imports \(extra.sorted()), which docs/architecture.md does not allow")
    }
}
