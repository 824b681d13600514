import CSQLite
import Foundation
import JinaWire

/// Documents and their embeddings in a SQLite database, mirrored in memory as one contiguous
/// float matrix for search. Every change is one transaction, so a request is stored whole or
/// not at all, and what was acknowledged survives the process being killed.
final class VectorStore {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let path: String
    private var db: OpaquePointer?
    /// Row-major `count × dimension` embeddings, in the order of `ids`.
    private(set) var vectors: [Float] = []
    private(set) var ids: [String] = []
    /// Each row's Euclidean norm, kept beside it: cosine then costs what dot costs.
    private(set) var norms: [Float] = []
    private var rowByID: [String: Int] = [:]
    private(set) var dimension: Int?
    /// The next insertion order number (rows load back in the order they were first indexed).
    private var nextSeq = 1

    var count: Int { ids.count }

    init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create the workspace \(directory): \(error.localizedDescription)")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw Failure(description: "the workspace \(directory) is not writable")
        }
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nil) == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw Failure(description: "cannot open the index \(path): \(message)")
        }
        // Replicas of a shard share the file: wait for each other's transactions instead of failing.
        sqlite3_busy_timeout(db, 30_000)
        do {
            // WAL with synchronous=NORMAL: a committed transaction survives the process dying.
            // Replicas open the file at the same moment; switching to WAL and creating the table
            // can report "locked" without waiting, so those steps retry for a while.
            try retryingWhileLocked { try execute("PRAGMA journal_mode=WAL") }
            try execute("PRAGMA synchronous=NORMAL")
            let check = try retryingWhileLocked { try queryStrings("PRAGMA quick_check") }
            guard check == ["ok"] else {
                let first = check.first?.split(separator: "\n").first.map(String.init) ?? "?"
                throw Failure(description: "the index \(path) is corrupt (\(first)); move it away to start afresh")
            }
            try retryingWhileLocked { try execute("CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, doc TEXT NOT NULL, embedding BLOB NOT NULL)") }
            try retryingWhileLocked { try load() }
        } catch let failure as Failure {
            sqlite3_close(db)
            db = nil
            throw Failure(description: failure.description.contains(path) ? failure.description : "the index \(path): \(failure.description)")
        }
    }

    deinit { sqlite3_close(db) }

    /// Inserts or replaces documents (each with its embedding) in one transaction.
    func upsert(_ items: [(id: String, json: [UInt8], embedding: [Float])]) throws {
        guard !items.isEmpty else { return }
        try transaction {
            let statement = try prepare("INSERT INTO docs (id, seq, doc, embedding) VALUES (?1, ?4, ?2, ?3) "
                                        + "ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, embedding = excluded.embedding")
            defer { sqlite3_finalize(statement) }
            for (offset, item) in items.enumerated() {
                sqlite3_reset(statement)
                bindText(statement, 1, item.id)
                sqlite3_bind_int64(statement, 4, Int64(nextSeq + offset))
                _ = item.json.withUnsafeBufferPointer { sqlite3_bind_text(statement, 2, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), Int32($0.count), SQLITE_TRANSIENT) }
                _ = item.embedding.withUnsafeBytes { sqlite3_bind_blob(statement, 3, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT) }
                try step(statement)
            }
        }
        nextSeq += items.count
        dataVersion = try queryStrings("PRAGMA data_version").first
        for item in items {
            let norm = VectorSearch.norm(item.embedding)
            if let row = rowByID[item.id] {
                vectors.replaceSubrange((row * item.embedding.count)..<((row + 1) * item.embedding.count), with: item.embedding)
                norms[row] = norm
            } else {
                rowByID[item.id] = ids.count
                ids.append(item.id)
                vectors.append(contentsOf: item.embedding)
                norms.append(norm)
            }
            dimension = item.embedding.count
        }
    }

    /// Deletes documents by id in one transaction; returns how many existed.
    func delete(_ doomed: [String]) throws -> Int {
        let present = doomed.filter { rowByID[$0] != nil }
        guard !present.isEmpty else { return 0 }
        try transaction {
            let statement = try prepare("DELETE FROM docs WHERE id = ?1")
            defer { sqlite3_finalize(statement) }
            for id in present {
                sqlite3_reset(statement)
                bindText(statement, 1, id)
                try step(statement)
            }
        }
        dataVersion = try queryStrings("PRAGMA data_version").first
        // Move the last row into each hole: the matrix stays contiguous.
        guard let dim = dimension else { return present.count }
        for id in present {
            guard let row = rowByID.removeValue(forKey: id) else { continue }
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
        let statement = try prepare("SELECT doc FROM docs WHERE id = ?1")
        defer { sqlite3_finalize(statement) }
        for id in wanted {
            sqlite3_reset(statement)
            bindText(statement, 1, id)
            if sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) {
                result[id] = Array(UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, 0))))
            }
        }
        return result
    }

    // MARK: SQLite

    private func load() throws {
        nextSeq = Int(try queryStrings("SELECT IFNULL(MAX(seq), 0) + 1 FROM docs").first.flatMap { Int($0) } ?? 1)
        vectors = []
        ids = []
        norms = []
        rowByID = [:]
        dimension = nil
        // Rows keep their rowid when replaced, so rowid order is insertion order (and needs no sort).
        let statement = try prepare("SELECT id, embedding FROM docs ORDER BY rowid")
        defer { sqlite3_finalize(statement) }
        while sqlite3_step(statement) == SQLITE_ROW {
            guard let idText = sqlite3_column_text(statement, 0), let blob = sqlite3_column_blob(statement, 1) else { continue }
            let id = String(decoding: UnsafeBufferPointer(start: idText, count: Int(sqlite3_column_bytes(statement, 0))), as: UTF8.self)
            let floats = Int(sqlite3_column_bytes(statement, 1)) / MemoryLayout<Float>.size
            if let dimension, floats != dimension { throw Failure(description: "rows of dimension \(floats) and \(dimension) are mixed") }
            dimension = floats
            rowByID[id] = ids.count
            ids.append(id)
            let row = UnsafeBufferPointer(start: blob.assumingMemoryBound(to: Float.self), count: floats)
            vectors.append(contentsOf: row)
            norms.append(VectorSearch.norm(row))
        }
    }

    private func retryingWhileLocked<T>(_ body: () throws -> T) throws -> T {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            do { return try body() } catch let failure as Failure where failure.description.contains("locked") && ContinuousClock.now < deadline {
                usleep(10_000)
            }
        }
    }

    /// Another process (a replica of this shard) changed the database since we read it: read it
    /// again, so every replica searches the same documents.
    func refreshIfChanged() throws {
        let version = try queryStrings("PRAGMA data_version").first
        if let known = dataVersion, version != known { try load() }
        dataVersion = version
    }

    private var dataVersion: String?

    /// Binds a string with its byte length, so ids holding NUL characters stay whole.
    private func bindText(_ statement: OpaquePointer?, _ index: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            _ = buffer.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(statement, index, $0.baseAddress ?? UnsafeMutablePointer(mutating: ""), Int32($0.count), SQLITE_TRANSIENT)
            }
        }
    }

    private func transaction(_ body: () throws -> Void) throws {
        try execute("BEGIN IMMEDIATE")
        do {
            try body()
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    private func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(db, sql, nil, nil, &message) != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? lastError
            sqlite3_free(message)
            throw Failure(description: text)
        }
    }

    private func queryStrings(_ sql: String) throws -> [String] {
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        var rows: [String] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_ROW {
                rows.append(sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? "")
            } else if rc == SQLITE_DONE {
                return rows
            } else {
                throw Failure(description: lastError)
            }
        }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw Failure(description: lastError) }
        return statement
    }

    private func step(_ statement: OpaquePointer?) throws {
        let rc = sqlite3_step(statement)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw Failure(description: lastError) }
    }

    private var lastError: String { db.map { String(cString: sqlite3_errmsg($0)) } ?? "no database" }
}

/// SQLite's "copy this buffer now" destructor, which Swift cannot import as a macro.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
