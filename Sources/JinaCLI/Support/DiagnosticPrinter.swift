import JinaConfig

/// Prints diagnostics as `file:line:col: error: path: message (hint)`, coloured on a terminal.
struct DiagnosticPrinter {
    var colour: Bool

    func line(_ d: Diagnostic) -> String {
        guard colour else { return d.formatted }
        let severityColour = d.severity == .error ? "31" : d.severity == .warning ? "33" : "36"
        var text = "\u{1B}[1m\(d.location.file):\(d.location.mark.line):\(d.location.mark.column):\u{1B}[0m "
        text += "\u{1B}[1;\(severityColour)m\(d.severity.rawValue):\u{1B}[0m "
        if !d.path.isEmpty { text += "\u{1B}[2m\(d.path):\u{1B}[0m " }
        text += d.message
        if let hint = d.hint { text += " \u{1B}[32m(\(hint))\u{1B}[0m" }
        return text
    }

    /// `2 errors, 1 warning` (notes are not counted).
    static func summary(_ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        return "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
    }
}
