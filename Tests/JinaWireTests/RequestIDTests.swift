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
        let ids = Set((0..<1_000).map { _ in RequestID.make() })
        #expect(ids.count == 1_000)
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
