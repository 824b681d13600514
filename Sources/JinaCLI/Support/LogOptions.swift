import ArgumentParser
import JinaWire

/// How much a command that runs things logs on stderr, and in what form (SPEC §1).
struct LogOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Log lines on stderr as text, or json: one object per line with ts (RFC 3339), level, msg, and executor and request_id where there is one; executors' stderr is wrapped the same way.", valueName: "format"))
    var logFormat: Log.Format = .text

    @Flag(help: "Log errors only (what executors write to their stderr still shows).")
    var quiet = false

    @Flag(name: [.short, .long], help: "Log more: when the Flow is ready and how long it took, a summary at the end, and debug lines.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("Give at most one of --quiet and --verbose") }
    }

    /// Makes these the process's log settings.
    func apply() {
        Log.format = logFormat
        Log.quiet = quiet
        Log.verbose = verbose
    }
}

extension Log.Format: ExpressibleByArgument {}
