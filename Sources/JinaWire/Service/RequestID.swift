/// Ids for requests (and for documents that come without one): 32 lowercase hex digits of
/// randomness, the shape of the `uuid.uuid4().hex` Python Jina uses, so both read the same in logs.
public enum RequestID {
    public static func make() -> String {
        var random = SystemRandomNumberGenerator()
        let hexDigits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(32)
        for _ in 0..<2 {
            var bits: UInt64 = random.next()
            for _ in 0..<16 {
                text.append(hexDigits[Int(bits >> 60)])
                bits <<= 4
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
