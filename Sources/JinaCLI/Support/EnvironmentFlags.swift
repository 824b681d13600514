import ArgumentParser
import JinaWire

/// `JINA_<FLAG>` for command-line options (SPEC §1): an option the command line leaves out is
/// taken from the environment variable named after its long name (`--request-size` ←
/// `JINA_REQUEST_SIZE`, `--log-format` ← `JINA_LOG_FORMAT`); the command line wins. A flag
/// (on/off) is set when its variable is 1, true, yes or on. --host and --port are not filled in
/// here: the commands read JINA_HOST and JINA_PORT themselves, after the Flow's own `with:`.
/// An executor a Flow starts (`executor --stdio --spec …`) inherits the Flow's environment but
/// gets a complete command line from it: nothing is added there (a user's `JINA_FRAMING=lines`
/// would break the Flow's protocol, and each executor would pay for reading its options).
enum EnvironmentFlags {
    static let notFromEnvironment: Set<String> = ["help", "version", "host", "port", "experimental-dump-help"]
    /// The hidden option only a Flow passes, when it starts an executor.
    static let flowExecutorMark = "--spec"

    /// The variable that gives `--name`.
    static func variable(for name: String) -> String {
        "JINA_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// `arguments` (after the program's name) with what the environment gives added right after
    /// the subcommand's name. Only the invoked command's options are looked at, and only when
    /// some JINA_ variable is set.
    static func apply(to arguments: [String], environment: [String: String]) -> [String] {
        guard environment.keys.contains(where: { $0.hasPrefix("JINA_") }),
              !arguments.contains(flowExecutorMark) else { return arguments }
        var command: any ParsableCommand.Type = Jina.self
        var index = 0
        while index < arguments.count, let sub = subcommand(of: command, named: arguments[index]) {
            command = sub
            index += 1
        }
        if let sub = command.configuration.defaultSubcommand { command = sub }
        guard let options = options(of: command) else { return arguments }
        let given = Array(arguments[index...].prefix { $0 != "--" })
        var added: [String] = []
        for argument in options {
            let kind = argument["kind"]?.stringValue
            // Hidden options are for jina's own use (a Flow starting an executor), not users'.
            guard kind == "option" || kind == "flag", argument["shouldDisplay"]?.boolValue != false else { continue }
            let names = (argument["names"]?.arrayValue ?? []).compactMap { name -> String? in
                guard let text = name["name"]?.stringValue else { return nil }
                return name["kind"]?.stringValue == "short" ? "-" + text : "--" + text
            }
            guard let long = names.first(where: { $0.hasPrefix("--") }).map({ String($0.dropFirst(2)) }),
                  !notFromEnvironment.contains(long),
                  !given.contains(where: { word in names.contains { word == $0 || word.hasPrefix($0 + "=") } }),
                  let value = environment[variable(for: long)], !value.isEmpty else { continue }
            if kind == "option" {
                added += ["--" + long, value]
            } else if ["1", "true", "yes", "on"].contains(value.lowercased()) {
                added.append("--" + long)
            }
        }
        return Array(arguments[..<index]) + added + Array(arguments[index...])
    }

    private static func subcommand(of command: any ParsableCommand.Type, named name: String) -> (any ParsableCommand.Type)? {
        command.configuration.subcommands.first { sub in
            let configuration = sub.configuration
            return (configuration.commandName ?? "") == name || configuration.aliases.contains(name)
        }
    }

    /// The command's arguments as `--experimental-dump-help` describes them (the man pages'
    /// source too): the one public description of a command's options.
    static func options(of command: any ParsableCommand.Type) -> [JSONValue]? {
        do {
            _ = try command.parseAsRoot(["--experimental-dump-help"])
            return nil
        } catch {
            return (try? JSONParser.parse(Array(command.fullMessage(for: error).utf8)))?["command"]?["arguments"]?.arrayValue
        }
    }
}
