import CSQLite
import Foundation

/// Copies a database's write-ahead log into the database file on a thread and connection of its
/// own. SQLite's automatic checkpoint runs in the committing thread and waits there for two
/// flushes to disk; an indexer storing a request waited ~1 s of every 4 (docs/benchmarks.md,
/// "Checkpoints beside the writes"). The guarantees are SQLite's: WAL with synchronous=NORMAL
/// syncs the log before copying it, whichever thread does it.
final class WALCheckpointer: @unchecked Sendable {  // state behind `condition`
    /// SQLite's own default threshold (pages in the log before a checkpoint).
    static let pages: Int32 = 1000

    private let connection: OpaquePointer
    private let condition = NSCondition()
    private var wanted = false
    private var stopping = false
    private let stopped = DispatchSemaphore(value: 0)

    /// Opens a second connection to `path`; nil when it cannot (the writer's own automatic
    /// checkpoints are then left in place).
    init?(path: String) {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nil) == SQLITE_OK, let db else {
            sqlite3_close(db)
            return nil
        }
        // A fresh connection learns the file is in WAL mode from its first read; until then a
        // checkpoint does nothing and reports success.
        guard sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", nil, nil, nil) == SQLITE_OK else {
            sqlite3_close(db)
            return nil
        }
        connection = db
        let thread = Thread { [self] in run() }
        thread.name = "jina-checkpoint"
        thread.start()
    }

    /// Takes over `writer`'s checkpoints: after each commit SQLite reports the log's length.
    func watch(_ writer: OpaquePointer?) {
        sqlite3_wal_hook(writer, { context, _, _, pages in
            if pages >= WALCheckpointer.pages, let context {
                Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().request()
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    private func request() {
        condition.lock()
        wanted = true
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread after the checkpoint under way and closes the connection. The writer's
    /// own close then checkpoints what is left, as SQLite always does.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        stopped.wait()
        sqlite3_close(connection)
    }

    private func run() {
        while true {
            condition.lock()
            while !wanted && !stopping { condition.wait() }
            let stop = stopping
            wanted = false
            condition.unlock()
            if stop { break }
            // PASSIVE never waits for readers or writers; a busy log (another replica's
            // checkpoint under way) is simply tried again after the next commit.
            _ = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        }
        stopped.signal()
    }
}
