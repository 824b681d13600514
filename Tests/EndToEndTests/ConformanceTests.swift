import Foundation
import Testing

/// `jina executor check` is the protocol's conformance suite: the built-in host and both example
/// executors of docs/protocol.md pass it, and a program that breaks the protocol does not.
@Suite struct ConformanceTests {
    @Test func theBuiltInHostPasses() throws {
        let run = try JinaBinary.run(["executor", "check", "--", JinaBinary.path, "executor", "--uses", "UpperCase", "--stdio"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("9 passed, 0 failed"))
    }

    @Test func thePythonExamplePasses() throws {
        let run = try JinaBinary.run(["executor", "check", "--", "python3", "examples/executors/upper.py"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("9 passed, 0 failed"))
    }

    @Test func theShellExamplePassesOnTheLineCodec() throws {
        let run = try JinaBinary.run(["executor", "check", "--framing", "lines", "--", "examples/executors/upper.sh"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("9 passed, 0 failed"))
    }

    @Test func aProgramThatAnswersOutOfOrderFails() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Says hello, then answers every call with id 1: ids are not echoed.
        try """
        #!/usr/bin/env python3
        import json, struct, sys
        out = sys.stdout.buffer
        def send(h, b=b''):
            h = json.dumps(h).encode(); out.write(struct.pack('>II', len(h), len(b)) + h + b); out.flush()
        send({'v': 1, 'kind': 'hello', 'name': 'wrong'})
        while (sizes := sys.stdin.buffer.read(8)) and len(sizes) == 8:
            hl, bl = struct.unpack('>II', sizes); sys.stdin.buffer.read(hl + bl)
            send({'v': 1, 'kind': 'result', 'id': 1})
        """.write(toFile: dir + "/wrong.py", atomically: true, encoding: .utf8)
        let run = try JinaBinary.run(["executor", "check", "--timeout", "3", "--", "python3", dir + "/wrong.py"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("✘ answers a call with its id and valid documents: answered id 1 to call 7"))
        #expect(run.stdout.contains("✔ says hello first"))
    }

    @Test func bothExamplesRunInAFlow() throws {
        let run = try JinaBinary.run(["flow", "run", "--uses", "configs/exec-programs.yml", "--inputs", "-"],
                                     stdin: Data("{\"id\":\"a\",\"text\":\"hello\"}\n{\"id\":\"b\",\"k\":1}\n".utf8))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "{\"id\":\"a\",\"text\":\"HELLO\"}\n{\"id\":\"b\",\"k\":1}\n")
    }
}
