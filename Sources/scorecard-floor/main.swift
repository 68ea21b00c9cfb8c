import ArgumentParser

// The floor under `scorecard -c "stats month"`, for `scorecard-bench stats-month`: a process that
// only starts (`scorecard-floor start`), or only parses `stats month` with ArgumentParser as the
// shell does, through a command shaped like `StatsCommand` (one argument, one optional option), then
// exits. `scorecard-floor time month` prints how long the first and the second parse took in
// process. It links ArgumentParser alone: no Foundation, no SQLite, so it is the least any Swift
// client that parses its commands with ArgumentParser can cost.

/// The output formats, as in `ScorecardShell.OutputFormat`.
enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// The shape of `stats`: a period argument with a default and an optional `--format`.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Parsed, never run.")

    @Argument(help: "today|yesterday|week|month|YYYY-MM-DD|FROM..TO") var period = "today"
    @Option(help: "table, csv or json.") var format: Format?
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "start":
    break
case "time":
    let clock = ContinuousClock()
    var parses: [Duration] = []
    for _ in 0..<2 {
        let start = clock.now
        _ = try? Stats.parseAsRoot(Array(arguments.dropFirst()))
        parses.append(clock.now - start)
    }
    print("first parse \(parses[0]), second \(parses[1])")
case "parse":
    do {
        let parsed = try Stats.parseAsRoot(Array(arguments.dropFirst()))
        guard parsed is Stats else { Stats.exit(withError: ExitCode.failure) }
    } catch {
        Stats.exit(withError: error)
    }
default:
    print("usage: scorecard-floor start | parse [stats arguments] | time [stats arguments]")
    Stats.exit(withError: ExitCode(2))
}
