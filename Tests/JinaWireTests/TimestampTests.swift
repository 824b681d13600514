import Foundation
import JinaWire
import Testing

/// Route timestamps as Jina writes them: RFC 3339, UTC, microseconds, `Z`.
@Suite struct TimestampTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000000Z"),
        (1_700_000_000.5, "2023-11-14T22:13:20.500000Z"),
        (4_102_444_799.25, "2099-12-31T23:59:59.250000Z"),
        (951_782_400.000_001_5, "2000-02-29T00:00:00.000001Z"),
    ])
    func timestamps(seconds: Double, text: String) {
        #expect(ResponseEnvelope.timestamp(Date(timeIntervalSince1970: seconds)) == text)
    }
}
