/// A Flow test file (`jina flow test`): the Flow it runs and the requests it checks.
///
/// ```yaml
/// flow: flow.yml
/// tests:
///   - name: upper-cases each text
///     on: /index
///     inputs: [{id: a, text: hello}]
///     expect: [{id: a, text: HELLO}]
/// ```
public struct FlowTestSuite: Sendable {
    /// The test file, as given.
    public var file: String
    /// The Flow's path, resolved against the test file's directory.
    public var flowPath: String
    public var tests: [FlowTestCase]
}

public struct FlowTestCase: Sendable {
    public enum Inputs: Sendable {
        /// Documents written in the test.
        case documents([ConfigValue])
        /// A file of documents in any `--inputs` form, resolved against the test file's directory.
        case file(String)
    }

    public var name: String
    /// Where the test starts in its file.
    public var location: SourceLocation
    /// The endpoint (`on:`), `/default` unless given.
    public var endpoint: String
    public var parameters: [ConfigField]
    public var inputs: Inputs
    /// Per output document, in order, what it must have.
    public var expect: [ConfigValue]?
    public var expectCount: Int?
    /// The request must fail with a message containing this.
    public var expectError: String?
}
