/// Walks a subcommand's arguments, `--name [value]` at a time; a missing or bad value ends the
/// benchmark with a message naming the option.
struct ArgumentCursor {
    private let arguments: [String]
    private var index = -1

    init(_ arguments: [String]) { self.arguments = arguments }

    /// The next option's name, or nil at the end.
    mutating func option() -> String? {
        index += 1
        return index < arguments.count ? arguments[index] : nil
    }

    /// The current option's value.
    mutating func value() -> String {
        index += 1
        guard index < arguments.count else { Bench.fail("\(arguments[index - 1]) needs a value") }
        return arguments[index]
    }

    /// The current option's value as a positive whole number.
    mutating func number() -> Int {
        let text = value()
        guard let n = Int(text), n > 0 else { Bench.fail("\(arguments[index - 1]) needs a positive number, not '\(text)'") }
        return n
    }
}
