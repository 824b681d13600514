import Synchronization

/// Ids for requests (and for documents that come without one): 32 lowercase hex digits, the shape
/// of the `uuid.uuid4().hex` Python Jina uses, so both read the same in logs.
///
/// Not a system random number per id: that is a `getrandom` call each, and the gateway makes one
/// per document that comes without an id (a fifth of its time under load, by `perf`). Instead the
/// process takes 128 random bits once and numbers its ids: each half is a bijective mix of
/// (seed half + counter), so a process never repeats an id within 2^64 of them, and two processes
/// meet only if both their random seeds line up.
public enum RequestID {
    private static let seed: (UInt64, UInt64) = {
        var random = SystemRandomNumberGenerator()
        return (random.next(), random.next())
    }()
    private static let counter = Atomic<UInt64>(0)

    public static func make() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        return String(unsafeUninitializedCapacity: 32) { text in
            write(mix(seed.0 &+ n), into: text, at: 0)
            write(mix(seed.1 &+ n), into: text, at: 16)
            return 32
        }
    }

    private static func write(_ bits: UInt64, into text: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { digits in
            var bits = bits
            for i in start..<start + 16 {
                text[i] = digits[Int(bits >> 60)]
                bits <<= 4
            }
        }
    }

    /// SplitMix64's finaliser: a bijection on 64 bits that spreads consecutive inputs over every bit.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
