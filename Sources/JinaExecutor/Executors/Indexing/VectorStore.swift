import CSQLite
import Foundation
import JinaWire

/// Documents and their embeddings in a SQLite database, mirrored in memory as one contiguous
/// float matrix for search. Every change is one transaction, so a request is stored whole or
/// not at all, and what was acknowledged survives the process being killed.
final class VectorStore {
    typealias Failure = SQLiteDatabase.Failure

    private let database: SQLiteDatabase
    var path: String { database.path }
    /// Row-major `count × dimension` embeddings, in the order of `ids`.
    private(set) var vectors: [Float] = []
    private(set) var ids: [String] = []
    /// Each row's Euclidean norm, kept beside it: cosine then costs what dot costs.
    private(set) var norms: [Float] = []
    /// The rows as 8-bit codes, for finding a query's candidates.
    private(set) var quantized = QuantizedRows()
    private var rowByID: [String: Int] = [:]
    private(set) var dimension: Int?
    /// The next insertion order number (rows load back in the order they were first indexed).
    private var nextSeq = 1

    var count: Int { ids.count }

    init(path: String) throws {
        database = try SQLiteDatabase(path: path, what: "index", schema: [
            "CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, doc TEXT NOT NULL, embedding BLOB NOT NULL)",
        ])
        do { try database.retryingWhileLocked { try load() } } catch let failure as Failure {
            throw failure.naming("the index \(path)")
        }
    }

    /// Inserts or replaces documents (each with its embedding) in one transaction.
    func upsert(_ items: [(id: String, json: [UInt8], embedding: [Float])]) throws {
        guard !items.isEmpty else { return }
        try database.transaction {
            let statement = try database.prepare("INSERT INTO docs (id, seq, doc, embedding) VALUES (?1, ?4, ?2, ?3) "
                                        + "ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, embedding = excluded.embedding")
            defer { sqlite3_finalize(statement) }
            for (offset, item) in items.enumerated() {
                sqlite3_reset(statement)
                database.bindText(statement, 1, item.id)
                sqlite3_bind_int64(statement, 4, Int64(nextSeq + offset))
                _ = item.json.withUnsafeBufferPointer { sqlite3_bind_text(statement, 2, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), Int32($0.count), SQLITE_TRANSIENT) }
                _ = item.embedding.withUnsafeBytes { sqlite3_bind_blob(statement, 3, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT) }
                try database.step(statement)
            }
        }
        nextSeq += items.count
        dataVersion = try database.queryStrings("PRAGMA data_version").first
        for item in items {
            let norm = VectorSearch.norm(item.embedding)
            if let row = rowByID[item.id] {
                vectors.replaceSubrange((row * item.embedding.count)..<((row + 1) * item.embedding.count), with: item.embedding)
                norms[row] = norm
                item.embedding.withUnsafeBufferPointer { quantized.replace(row, with: $0) }
            } else {
                rowByID[item.id] = ids.count
                ids.append(item.id)
                vectors.append(contentsOf: item.embedding)
                norms.append(norm)
                item.embedding.withUnsafeBufferPointer { quantized.append($0) }
            }
            dimension = item.embedding.count
        }
    }

    /// Deletes documents by id in one transaction; returns how many existed.
    func delete(_ doomed: [String]) throws -> Int {
        let present = doomed.filter { rowByID[$0] != nil }
        guard !present.isEmpty else { return 0 }
        try database.transaction {
            let statement = try database.prepare("DELETE FROM docs WHERE id = ?1")
            defer { sqlite3_finalize(statement) }
            for id in present {
                sqlite3_reset(statement)
                database.bindText(statement, 1, id)
                try database.step(statement)
            }
        }
        dataVersion = try database.queryStrings("PRAGMA data_version").first
        // Move the last row into each hole: the matrix stays contiguous.
        guard let dim = dimension else { return present.count }
        for id in present {
            guard let row = rowByID.removeValue(forKey: id) else { continue }
            quantized.moveLast(to: row)
            let last = ids.count - 1
            if row != last {
                let moved = ids[last]
                ids[row] = moved
                rowByID[moved] = row
                for k in 0..<dim { vectors[row * dim + k] = vectors[last * dim + k] }
                norms[row] = norms[last]
            }
            ids.removeLast()
            norms.removeLast()
            vectors.removeLast(dim)
        }
        if ids.isEmpty { dimension = nil }
        return present.count
    }

    /// The stored JSON of documents, by id.
    func documents(_ wanted: [String]) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        let statement = try database.prepare("SELECT doc FROM docs WHERE id = ?1")
        defer { sqlite3_finalize(statement) }
        for id in wanted {
            sqlite3_reset(statement)
            database.bindText(statement, 1, id)
            if sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) {
                result[id] = Array(UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, 0))))
            }
        }
        return result
    }

    // MARK: SQLite

    private func load() throws {
        nextSeq = Int(try database.queryStrings("SELECT IFNULL(MAX(seq), 0) + 1 FROM docs").first.flatMap { Int($0) } ?? 1)
        vectors = []
        ids = []
        norms = []
        quantized.removeAll()
        rowByID = [:]
        dimension = nil
        // Room for every row at once: growing three arrays row by row copied them over and over.
        let rows = Int(try database.queryStrings("SELECT COUNT(*) FROM docs").first.flatMap { Int($0) } ?? 0)
        ids.reserveCapacity(rows)
        norms.reserveCapacity(rows)
        rowByID.reserveCapacity(rows)
        // Rows keep their rowid when replaced, so rowid order is insertion order (and needs no sort).
        let statement = try database.prepare("SELECT id, embedding FROM docs ORDER BY rowid")
        defer { sqlite3_finalize(statement) }
        while sqlite3_step(statement) == SQLITE_ROW {
            guard let idText = sqlite3_column_text(statement, 0), let blob = sqlite3_column_blob(statement, 1) else { continue }
            let id = String(decoding: UnsafeBufferPointer(start: idText, count: Int(sqlite3_column_bytes(statement, 0))), as: UTF8.self)
            let floats = Int(sqlite3_column_bytes(statement, 1)) / MemoryLayout<Float>.size
            if let dimension, floats != dimension { throw Failure(description: "rows of dimension \(floats) and \(dimension) are mixed") }
            if dimension == nil {
                vectors.reserveCapacity(rows * floats)
                quantized.reserveCapacity(rows: rows, dimension: floats)
            }
            dimension = floats
            rowByID[id] = ids.count
            ids.append(id)
            let row = UnsafeBufferPointer(start: blob.assumingMemoryBound(to: Float.self), count: floats)
            vectors.append(contentsOf: row)
            norms.append(VectorSearch.norm(row))
            quantized.append(row)
        }
    }

    /// Another process (a replica of this shard) changed the database since we read it: read it
    /// again, so every replica searches the same documents.
    func refreshIfChanged() throws {
        let version = try database.queryStrings("PRAGMA data_version").first
        if let known = dataVersion, version != known { try load() }
        dataVersion = version
    }

    private var dataVersion: String?
}
