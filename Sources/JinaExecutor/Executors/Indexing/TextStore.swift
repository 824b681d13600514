import CSQLite
import Foundation

/// Documents and their text in SQLite's full-text index (FTS5, porter stemming over unicode61
/// tokens), ranked by BM25. Like `VectorStore`: every change one transaction, replicas of a
/// shard sharing the file; searches read the file, so they always see every replica's writes.
final class TextStore {
    typealias Failure = SQLiteDatabase.Failure

    private let database: SQLiteDatabase

    init(path: String) throws {
        database = try SQLiteDatabase(path: path, what: "text index", schema: [
            "CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, doc TEXT NOT NULL)",
            "CREATE VIRTUAL TABLE IF NOT EXISTS texts USING fts5(id UNINDEXED, text, tokenize = 'porter unicode61')",
        ])
        try database.retryingWhileLocked { try database.transaction(renumberTexts) }
    }

    /// A document's text has its rowid in `docs` as rowid in `texts` (user_version 1), so storing
    /// or deleting a document finds its text by rowid. Files of user_version 0 gave texts rowids
    /// of their own and found them by `id`, which FTS5 cannot index: every replaced or deleted
    /// document scanned the whole table (100,000 documents took more than ten minutes to
    /// index). Such a file is renumbered once, when it is opened.
    private func renumberTexts() throws {
        guard try database.queryStrings("PRAGMA user_version").first == "0" else { return }
        try database.execute("CREATE VIRTUAL TABLE texts_by_row USING fts5(id UNINDEXED, text, tokenize = 'porter unicode61')")
        try database.execute("INSERT INTO texts_by_row (rowid, id, text) SELECT docs.rowid, texts.id, texts.text FROM texts JOIN docs ON docs.id = texts.id")
        try database.execute("DROP TABLE texts")
        try database.execute("ALTER TABLE texts_by_row RENAME TO texts")
        try database.execute("PRAGMA user_version = 1")
    }

    var count: Int { (try? database.queryStrings("SELECT COUNT(*) FROM docs").first.flatMap { Int($0) }) ?? 0 }

    /// Inserts or replaces documents (each with the text to index) in one transaction.
    func upsert(_ items: [(id: String, json: [UInt8], text: String)]) throws {
        guard !items.isEmpty else { return }
        try database.transaction {
            let document = try database.prepare("INSERT INTO docs (id, doc) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc")
            let row = try database.prepare("SELECT rowid FROM docs WHERE id = ?1")
            let unindex = try database.prepare("DELETE FROM texts WHERE rowid = ?1")
            let index = try database.prepare("INSERT INTO texts (rowid, id, text) VALUES (?1, ?2, ?3)")
            defer { [document, row, unindex, index].forEach { sqlite3_finalize($0) } }
            for item in items {
                for statement in [document, row, unindex, index] { sqlite3_reset(statement) }
                database.bindText(document, 1, item.id)
                database.bindText(document, 2, String(decoding: item.json, as: UTF8.self))
                try database.step(document)
                database.bindText(row, 1, item.id)
                guard sqlite3_step(row) == SQLITE_ROW else { throw database.lastFailure }
                let rowid = sqlite3_column_int64(row, 0)
                sqlite3_bind_int64(unindex, 1, rowid)
                try database.step(unindex)
                sqlite3_bind_int64(index, 1, rowid)
                database.bindText(index, 2, item.id)
                database.bindText(index, 3, item.text)
                try database.step(index)
            }
        }
    }

    /// Deletes documents by id in one transaction.
    func delete(_ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        try database.transaction {
            // The text first: it is found through its document's rowid.
            for sql in ["DELETE FROM texts WHERE rowid = (SELECT rowid FROM docs WHERE id = ?1)", "DELETE FROM docs WHERE id = ?1"] {
                let statement = try database.prepare(sql)
                defer { sqlite3_finalize(statement) }
                for id in ids {
                    sqlite3_reset(statement)
                    database.bindText(statement, 1, id)
                    try database.step(statement)
                }
            }
        }
    }

    /// The `k` documents that match `text` best, as (stored JSON, BM25 score; higher is closer).
    /// The query is read as plain words, any of which may match: FTS5's own syntax (quotes,
    /// NEAR, `*`, `-`, column filters) is never interpreted.
    func search(_ text: String, k: Int) throws -> [(json: [UInt8], score: Double)] {
        let words = Self.words(text)
        guard k > 0, !words.isEmpty else { return [] }
        let query = words.map { "\"\($0)\"" }.joined(separator: " OR ")
        let statement = try database.prepare("""
            SELECT docs.doc, -bm25(texts) FROM texts JOIN docs ON docs.id = texts.id
            WHERE texts MATCH ?1 ORDER BY bm25(texts) LIMIT ?2
            """)
        defer { sqlite3_finalize(statement) }
        database.bindText(statement, 1, query)
        sqlite3_bind_int64(statement, 2, Int64(k))
        var found: [(json: [UInt8], score: Double)] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return found }
            guard rc == SQLITE_ROW else { throw database.lastFailure }
            guard let doc = sqlite3_column_text(statement, 0) else { continue }
            found.append((Array(UnsafeBufferPointer(start: doc, count: Int(sqlite3_column_bytes(statement, 0)))),
                          sqlite3_column_double(statement, 1)))
        }
    }

    /// The words of a query: runs of letters and digits (what unicode61 would make tokens of).
    static func words(_ text: String) -> [String] {
        var words: [String] = [], current = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
