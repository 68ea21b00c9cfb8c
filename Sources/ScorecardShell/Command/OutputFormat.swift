import ArgumentParser

/// Output formats of the reading commands: `table` for people, `csv` and `json` for programs.
/// The JSON shapes are stable and documented in docs/shell.md.
public enum OutputFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case table, csv, json
}

/// `1234567` → `1,234,567`.
public func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.reversed().enumerated() {
        if i > 0 && i % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + String(out.reversed())
}
