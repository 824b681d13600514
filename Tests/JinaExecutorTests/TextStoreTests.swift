import Foundation
import Testing
@testable import JinaExecutor

/// A document's text is found by its document's rowid; a file written before that (texts with
/// rowids of their own) is renumbered when opened, and then replacing or deleting one document
/// touches that document's text alone.
@Suite struct TextStoreTests {
    func words(_ store: TextStore, _ text: String) throws -> [String] {
        try store.search(text, k: 10).map { String(decoding: $0.json, as: UTF8.self) }.sorted()
    }

    @Test func aFileOfTheFirstLayoutIsRenumberedAndKeepsEachTextWithItsDocument() throws {
        let dir = NSTemporaryDirectory() + "text-store-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/text.sqlite"
        do {
            // The first layout, texts inserted in the opposite order so their rowids differ from the documents'.
            let old = try SQLiteDatabase(path: path, what: "text index", schema: [
                "CREATE TABLE docs (id TEXT PRIMARY KEY, doc TEXT NOT NULL)",
                "CREATE VIRTUAL TABLE texts USING fts5(id UNINDEXED, text, tokenize = 'porter unicode61')",
            ])
            for id in ["a", "b", "c"] { try old.execute("INSERT INTO docs (id, doc) VALUES ('\(id)', '\(id)')") }
            for (id, text) in [("c", "cherry"), ("b", "banana"), ("a", "apple")] {
                try old.execute("INSERT INTO texts (id, text) VALUES ('\(id)', '\(text)')")
            }
            #expect(try old.queryStrings("SELECT rowid FROM texts WHERE id = 'a'") == ["3"])
        }
        let store = try TextStore(path: path)
        #expect(try words(store, "apple banana cherry") == ["a", "b", "c"], "every text still found")
        try store.upsert([("a", Array("a2".utf8), "avocado")])
        #expect(try words(store, "apple") == [], "the replaced text is gone")
        #expect(try words(store, "avocado") == ["a2"])
        #expect(try words(store, "cherry") == ["c"], "another document's text is untouched")
        try store.delete(["b"])
        #expect(try words(store, "banana avocado cherry") == ["a2", "c"])
        #expect(store.count == 2)

        let reopened = try TextStore(path: path)
        #expect(try words(reopened, "avocado cherry") == ["a2", "c"], "renumbered once: opening again changes nothing")
    }

    @Test func replacingAndDeletingTouchOnlyTheirDocuments() throws {
        let dir = NSTemporaryDirectory() + "text-store-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try TextStore(path: dir + "/text.sqlite")
        try store.upsert((0..<50).map { ("d\($0)", Array("d\($0)".utf8), "common word\($0)") })
        try store.upsert([("d7", Array("d7b".utf8), "common fresh")])
        try store.delete(["d3", "d40"])
        #expect(store.count == 48)
        #expect(try store.search("common", k: 100).count == 48)
        #expect(try words(store, "word7") == [])
        #expect(try words(store, "fresh") == ["d7b"])
        #expect(try words(store, "word3 word40") == [])
        #expect(try words(store, "word4 word39") == ["d39", "d4"])
    }
}
