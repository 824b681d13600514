/// Whether a JSON value has what a test expects of it (`jina flow test`): every key of an
/// expected object must be in the actual object with a matching value, so nested objects match
/// as subsets; lists match element by element and must be as long; numbers match by value
/// (within a relative 1e-6, so that a float32 embedding matches the decimal written for it);
/// anything else must be equal. The differences say where, by key path.
public enum JSONExpectation {
    public struct Difference: Sendable, Equatable, CustomStringConvertible {
        /// Where, as `[0].tags.lang` or `matches[1].id`.
        public var path: String
        /// JSON text of what was expected.
        public var expected: String
        /// JSON text of what came, or nil when nothing was there.
        public var actual: String?

        public init(path: String, expected: String, actual: String?) {
            self.path = path
            self.expected = expected
            self.actual = actual
        }

        public var description: String {
            "\(path.isEmpty ? "(whole value)" : path): expected \(expected), got \(actual ?? "nothing")"
        }
    }

    /// What in `actual` does not meet `expected`, at `path` and below; empty when it matches.
    public static func differences(expected: JSONValue, actual: JSONValue?, path: String = "") -> [Difference] {
        guard let actual else { return [Difference(path: path, expected: expected.jsonString, actual: nil)] }
        switch (expected, actual) {
        case (.object(let wanted), .object(let got)):
            return wanted.flatMap { key, value in
                differences(expected: value, actual: got[key], path: path.isEmpty ? key : path + "." + key)
            }
        case (.array(let wanted), .array(let got)):
            var found: [Difference] = []
            for (index, value) in wanted.enumerated() {
                // Not `cond ? got[index] : nil`: that nil would be JSONValue's null literal.
                let element: JSONValue? = got.indices.contains(index) ? .some(got[index]) : .none
                found += differences(expected: value, actual: element, path: path + "[\(index)]")
            }
            if got.count > wanted.count {
                found.append(Difference(path: path, expected: "\(wanted.count) element(s)", actual: "\(got.count) element(s)"))
            }
            return found
        case (.number(let a), .number(let b)):
            return closeEnough(a.double, b.double) ? [] : [Difference(path: path, expected: expected.jsonString, actual: actual.jsonString)]
        default:
            return expected == actual ? [] : [Difference(path: path, expected: expected.jsonString, actual: actual.jsonString)]
        }
    }

    static func closeEnough(_ a: Double, _ b: Double) -> Bool {
        a == b || abs(a - b) <= 1e-6 * max(1, abs(a), abs(b))
    }
}
