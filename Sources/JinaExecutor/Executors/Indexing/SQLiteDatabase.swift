import CSQLite
import Foundation

/// One SQLite database file of an indexer's workspace, opened as the indexers need it: WAL with
/// synchronous=NORMAL (a committed transaction survives the process dying) and checkpoints on
/// a thread of their own (`WALCheckpointer`), a 30 s busy timeout (replicas of a shard share
/// the file), and a quick_check so a corrupt file is named.
final class SQLiteDatabase {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        /// SQLite's primary result code, when SQLite reported it.
        var code: Int32? = nil
        /// Whether the message already says which file it is about.
        var namesTheFile = false

        /// Another connection holds the file (a replica opening it at the same moment).
        var isLocked: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

        /// The same failure said of `file` ("the index /w/index.sqlite"), unless it already names one.
        func naming(_ file: String) -> Failure {
            namesTheFile ? self : Failure(description: "\(file): \(description)", code: code, namesTheFile: true)
        }
    }

    let path: String
    private var db: OpaquePointer?
    private var checkpointer: WALCheckpointer?

    /// Opens (creating the folder and file) and runs `schema`; `what` names it in errors.
    init(path: String, what: String, schema: [String]) throws {
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
            throw Failure(description: "cannot open the \(what) \(path): \(message)")
        }
        sqlite3_busy_timeout(db, 30_000)
        do {
            // Replicas open the file at the same moment; switching to WAL and creating tables
            // can report "locked" without waiting, so those steps retry for a while.
            try retryingWhileLocked { try execute("PRAGMA journal_mode=WAL") }
            try execute("PRAGMA synchronous=NORMAL")
            let check = try retryingWhileLocked { try queryStrings("PRAGMA quick_check") }
            guard check == ["ok"] else {
                let first = check.first?.split(separator: "\n").first.map(String.init) ?? "?"
                throw Failure(description: "the \(what) \(path) is corrupt (\(first)); move it away to start afresh", namesTheFile: true)
            }
            for statement in schema { try retryingWhileLocked { try execute(statement) } }
            checkpointer = WALCheckpointer(path: path)
            checkpointer?.watch(db)
        } catch let failure as Failure {
            sqlite3_close(db)
            db = nil
            throw failure.naming("the \(what) \(path)")
        }
    }

    deinit {
        checkpointer?.stop()
        sqlite3_close(db)
    }

    func retryingWhileLocked<T>(_ body: () throws -> T) throws -> T {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            do { return try body() } catch let failure as Failure where failure.isLocked && ContinuousClock.now < deadline {
                usleep(10_000)
            }
        }
    }

    /// Binds a string with its byte length, so ids holding NUL characters stay whole.
    func bindText(_ statement: OpaquePointer?, _ index: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            _ = buffer.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(statement, index, $0.baseAddress ?? UnsafeMutablePointer(mutating: ""), Int32($0.count), SQLITE_TRANSIENT)
            }
        }
    }

    func transaction(_ body: () throws -> Void) throws {
        try execute("BEGIN IMMEDIATE")
        do {
            try body()
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? lastError
            sqlite3_free(message)
            throw Failure(description: text, code: rc & 0xff)
        }
    }

    func queryStrings(_ sql: String) throws -> [String] {
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
                throw lastFailure
            }
        }
    }

    func prepare(_ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw lastFailure }
        return statement
    }

    func step(_ statement: OpaquePointer?) throws {
        let rc = sqlite3_step(statement)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw lastFailure }
    }

    var lastError: String { db.map { String(cString: sqlite3_errmsg($0)) } ?? "no database" }

    /// The last statement's failure, with its result code.
    var lastFailure: Failure { Failure(description: lastError, code: db.map { sqlite3_errcode($0) & 0xff }) }
}

/// SQLite's "copy this buffer now" destructor, which Swift cannot import as a macro.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
