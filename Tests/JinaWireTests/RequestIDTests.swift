import JinaWire
import Testing

@Suite struct RequestIDTests {
    @Test func isThirtyTwoLowercaseHexDigits() {
        for _ in 0..<100 {
            let id = RequestID.make()
            #expect(id.utf8.count == 32)
            #expect(id.allSatisfy { "0123456789abcdef".contains($0) }, "\(id)")
        }
    }

    @Test func idsDiffer() {
        let ids = Set((0..<100_000).map { _ in RequestID.make() })
        #expect(ids.count == 100_000)
    }

    /// Ids made at once on many threads (the gateway's event loops, the runtime's tasks) are
    /// still all different: the numbering is atomic.
    @Test func idsMadeConcurrentlyDiffer() async {
        let batches = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { (0..<5_000).map { _ in RequestID.make() } } }
            return await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        #expect(Set(batches.joined()).count == 40_000)
    }

    /// The two halves are numbered from different random starts: neither repeats the other.
    @Test func halvesAreIndependent() {
        for _ in 0..<100 {
            let id = RequestID.make()
            #expect(id.prefix(16) != id.suffix(16), "\(id)")
        }
    }

    /// Every digit position takes many values: no position is stuck (a shift gone wrong would
    /// leave zeros).
    @Test func everyPositionVaries() {
        let ids = (0..<200).map { _ in Array(RequestID.make().utf8) }
        for position in 0..<32 {
            #expect(Set(ids.map { $0[position] }).count > 4, "position \(position)")
        }
    }
}
