import Foundation
import JinaWire

/// The outcomes of `jina flow test` as text (a line per test, its problems indented, a summary),
/// JUnit XML (one testsuite per file, one testcase per test) or JSON.
enum FlowTestReport {
    static func counts(_ files: [FlowTestFileOutcome]) -> (passed: Int, failed: Int, errors: Int) {
        let outcomes = files.flatMap(\.outcomes)
        return (outcomes.filter(\.passed).count, outcomes.filter { !$0.passed }.count, files.filter { $0.error != nil }.count)
    }

    /// `file:line: PASS name`, `file:line: FAIL name` and its problems, then `N passed, N failed`.
    static func text(_ files: [FlowTestFileOutcome]) -> String {
        var out = ""
        for file in files {
            if let error = file.error { out += "\(file.file): ERROR \(error)\n" }
            for outcome in file.outcomes {
                out += "\(file.file):\(outcome.test.location.mark.line): \(outcome.passed ? "PASS" : "FAIL") \(outcome.test.name)\n"
                for problem in outcome.problems { out += "    \(problem)\n" }
            }
        }
        let (passed, failed, errors) = counts(files)
        out += "\(passed) passed, \(failed) failed" + (errors > 0 ? ", \(errors) file(s) not run" : "") + "\n"
        return out
    }

    /// JUnit XML as CI systems read it: testsuites / testsuite / testcase / failure (or error,
    /// for every test of a file that could not run).
    static func junit(_ files: [FlowTestFileOutcome]) -> String {
        let (passed, failed, errors) = counts(files)
        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        out += #"<testsuites name="jina flow test" tests="\#(passed + failed + errors)" failures="\#(failed)" errors="\#(errors)" time="\#(time(files.map(\.seconds).reduce(0, +)))">"# + "\n"
        for file in files {
            let failures = file.outcomes.filter { !$0.passed }.count
            let tests = max(file.outcomes.count, file.error == nil ? 0 : 1)
            out += #"  <testsuite name="\#(xml(file.file))" tests="\#(tests)" failures="\#(failures)" errors="\#(file.error == nil ? 0 : 1)" time="\#(time(file.seconds))">"# + "\n"
            if let error = file.error {
                out += #"    <testcase name="\#(xml(file.file))" classname="\#(xml(file.file))" time="0">"# + "\n"
                out += #"      <error message="\#(xml(error))"/>"# + "\n"
                out += "    </testcase>\n"
            }
            for outcome in file.outcomes {
                out += #"    <testcase name="\#(xml(outcome.test.name))" classname="\#(xml(file.file))" time="\#(time(outcome.seconds))""#
                if outcome.passed {
                    out += "/>\n"
                    continue
                }
                out += ">\n"
                out += #"      <failure message="\#(xml(outcome.problems[0]))">\#(xml(outcome.problems.joined(separator: "\n")))</failure>"# + "\n"
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// `{"passed": N, "failed": N, "files": [{"file", "error", "tests": [{"name", "line", "passed", "problems", "seconds"}]}]}`
    static func json(_ files: [FlowTestFileOutcome]) -> String {
        let (passed, failed, _) = counts(files)
        let fileValues: [JSONValue] = files.map { file in
            .object(JSONObject([
                ("file", .string(file.file)),
                ("error", file.error.map(JSONValue.string) ?? .null),
                ("tests", .array(file.outcomes.map { outcome in
                    .object(JSONObject([
                        ("name", .string(outcome.test.name)),
                        ("line", .number(JSONNumber(outcome.test.location.mark.line))),
                        ("passed", .bool(outcome.passed)),
                        ("problems", .array(outcome.problems.map(JSONValue.string))),
                        ("seconds", .number(JSONNumber(outcome.seconds))),
                    ]))
                })),
            ]))
        }
        let root = JSONValue.object(JSONObject([("passed", .number(JSONNumber(passed))), ("failed", .number(JSONNumber(failed))),
                                                ("files", .array(fileValues))]))
        return root.jsonString + "\n"
    }

    private static func time(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    /// Text in an XML attribute or element.
    static func xml(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case _ where scalar.value < 0x20 && scalar != "\t": out += "?"  // not allowed in XML 1.0
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
