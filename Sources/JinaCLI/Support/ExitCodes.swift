import ArgumentParser

/// Exit codes of SPEC §1.
extension ExitCode {
    /// Lint errors or a runtime failure.
    static let failed = ExitCode(1)
    /// A config that is wrong, so the command could not do its job.
    static let configError = ExitCode(78)
}
