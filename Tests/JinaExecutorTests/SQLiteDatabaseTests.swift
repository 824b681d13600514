import Foundation
import Testing
@testable import JinaExecutor

/// An indexer's database errors say which file they are about, once, whichever layer failed.
@Suite struct SQLiteDatabaseTests {
    func occurrences(of path: String, in text: String) -> Int { text.components(separatedBy: path).count - 1 }

    func failure(_ body: () throws -> Void) -> SQLiteDatabase.Failure? {
        do { try body() } catch let failure as SQLiteDatabase.Failure { return failure } catch { Issue.record("\(error)") }
        return nil
    }

    /// Garbage fails at the first statement; a real index with scrambled pages fails the
    /// integrity check, whose message names the file itself.
    @Test(arguments: ["garbage", "scrambled pages"])
    func aCorruptFileIsNamedOnce(_ corruption: String) throws {
        let dir = NSTemporaryDirectory() + "sqlite-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/index.sqlite"
        if corruption == "garbage" {
            try Data((0..<8_192).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }).write(to: URL(fileURLWithPath: path))
        } else {
            do {
                let store = try VectorStore(path: path)
                try store.upsert((0..<300).map { n in ("d\(n)", Array("{\"id\":\"d\(n)\"}".utf8), (0..<64).map { Float(($0 + n) % 13) }) })
            }
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            try #require(bytes.count > 16_384)
            for i in stride(from: 8_192, to: bytes.count, by: 7) { bytes[i] = bytes[i] &* 31 &+ 7 }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        for (layer, open) in [("database", { _ = try SQLiteDatabase(path: path, what: "index", schema: []) }),
                              ("store", { _ = try VectorStore(path: path) })] as [(String, () throws -> Void)] {
            let said = failure(open)?.description ?? ""
            #expect(said.hasPrefix("the index \(path)"), "\(layer): \(said)")
            #expect(occurrences(of: path, in: said) == 1, "\(layer): \(said)")
            if corruption == "scrambled pages" { #expect(said.contains("is corrupt"), "\(layer): \(said)") }
        }
    }

    /// A failure from SQLite itself (here a statement it can't parse) gets the file in front of it.
    @Test func aFailedStatementIsSaidOfItsFile() throws {
        let dir = NSTemporaryDirectory() + "sqlite-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/texts.sqlite"
        let said = failure { _ = try SQLiteDatabase(path: path, what: "text index", schema: ["CREATE TABL x (y)"]) }
        #expect(said?.description.hasPrefix("the text index \(path): ") == true, "\(said?.description ?? "no failure")")
        #expect(occurrences(of: path, in: said?.description ?? "") == 1)
        #expect(said?.code == 1, "SQLite's SQLITE_ERROR is kept through the naming")
    }
}
