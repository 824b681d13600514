import Foundation
import Testing
@testable import JinaExecutor

/// An indexer's database copies its write-ahead log into the database file on a thread of its
/// own while the indexer runs, and leaves no log behind when it closes.
@Suite struct WALCheckpointerTests {
    static let dimension = 512

    func documents(_ range: Range<Int>, prefix: String = "d") -> [(id: String, json: [UInt8], embedding: [Float])] {
        range.map { n in
            ("\(prefix)\(n)", Array("{\"id\":\"\(prefix)\(n)\"}".utf8), (0..<Self.dimension).map { Float(($0 * 31 + n) % 97) / 97 })
        }
    }

    func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    /// 2,000 documents of 2 kB: about 1,100 pages of 4 kB, past SQLite's 1,000-page threshold.
    @Test func theLogIsCopiedIntoTheDatabaseFileWhileTheStoreIsOpen() async throws {
        let dir = NSTemporaryDirectory() + "wal-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/index.sqlite"
        let store = try VectorStore(path: path)
        for start in stride(from: 0, to: 2_000, by: 50) { try store.upsert(documents(start..<(start + 50))) }
        // The copy runs beside the writes, so it may finish a little after the last commit.
        let deadline = ContinuousClock.now + .seconds(20)
        while fileSize(path) < 4_000_000 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(fileSize(path) >= 4_000_000, "the database file holds the documents before the store closes")
        #expect(store.count == 2_000)
    }

    @Test func closingLeavesNoLogAndEveryDocumentIsThereOnReopening() throws {
        let dir = NSTemporaryDirectory() + "wal-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/index.sqlite"
        do {
            let store = try VectorStore(path: path)
            for start in stride(from: 0, to: 3_000, by: 100) { try store.upsert(documents(start..<(start + 100))) }
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        }
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "the last close copies the log in and removes it")
        let reopened = try VectorStore(path: path)
        #expect(reopened.count == 3_000)
        #expect(reopened.vectors.count == 3_000 * Self.dimension)
    }

    /// Replicas of a shard share the file: each has its own checkpointing thread.
    @Test func twoStoresWritingOneFileKeepEveryDocument() throws {
        let dir = NSTemporaryDirectory() + "wal-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/index.sqlite"
        do {
            let first = try VectorStore(path: path)
            let second = try VectorStore(path: path)
            for start in stride(from: 0, to: 2_000, by: 100) {
                try first.upsert(documents(start..<(start + 100), prefix: "a"))
                try second.upsert(documents(start..<(start + 100), prefix: "b"))
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        let reopened = try VectorStore(path: path)
        #expect(reopened.count == 4_000)
        #expect(Set(reopened.ids).count == 4_000)
    }
}
