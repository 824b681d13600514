import Foundation
import JinaConfig
import Testing

/// Each `Fixtures/lint/NAME.yml` with a `NAME.expected` beside it: lint output must match line for line.
@Suite struct LintFixtureTests {
    static let directory = FixturePaths.path("lint")

    static var cases: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".expected") }.map { String($0.dropLast(".expected".count)) }.sorted()
    }

    @Test func fixturesExist() {
        #expect(Self.cases.count >= 15, "expected the lint fixtures next to the tests")
    }

    @Test(arguments: cases)
    func lintMatchesExpected(name: String) throws {
        let loader = ConfigLoader(environment: FixturePaths.environment)
        let diagnostics = loader.lint(path: "\(Self.directory)/\(name).yml")
        let actual = diagnostics.map { FixturePaths.relativize($0.formatted, to: Self.directory) }.joined(separator: "\n")
        let expectedPath = "\(Self.directory)/\(name).expected"
        if FixturePaths.updateGoldens {
            try (actual.isEmpty ? "" : actual + "\n").write(toFile: expectedPath, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8).trimmingCharacters(in: .newlines)
        #expect(actual == expected)
    }
}
