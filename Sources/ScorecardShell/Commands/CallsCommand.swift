import ArgumentParser
import Foundation
import ScorecardCore

/// `calls`: the newest calls from the mirror.
public struct CallsCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "calls", abstract: "Your calls, newest first, from the local mirror (works offline).")

    @Option(help: "Only this day (YYYY-MM-DD, today or yesterday).") var date: String?
    @Option(help: "answered or missed.") var status: String?
    @Option(help: "At most this many calls.") var limit = 20
    @Option(help: "table, csv or json.") var format: OutputFormat?

    public init() {}

    public static let completion = CompletionSpec(
        options: CompletionSpec.formatOption.merging(
            ["--date": .day, "--status": .words(["answered", "missed"]), "--limit": .free], uniquingKeysWith: { a, _ in a }))

    public func execute(in context: CommandContext) async throws {
        var day: CivilDate?
        if let date {
            guard let range = DateRange.parse(date, today: context.today), range.from == range.to else {
                throw CLIError(.usage, "--date must be a single day: YYYY-MM-DD, today or yesterday")
            }
            day = range.from
        }
        var callStatus: CallStatus?
        if let status {
            guard let s = CallStatus(rawValue: status), s != .other else { throw CLIError(.usage, "--status must be answered or missed") }
            callStatus = s
        }
        guard limit > 0 else { throw CLIError(.usage, "--limit must be positive") }
        let mirror = try context.mirror()
        let calls = try mirrorCall { try mirror.recentCalls(on: day, status: callStatus, limit: limit) }
        context.write(CallsView.render(calls, format: context.format(format), style: context.style))
    }
}

/// The `calls` list.
public enum CallsView {
    public static func render(_ calls: [Call], format: OutputFormat, style: Style) -> String {
        switch format {
        case .json:
            return String(decoding: (try? WireJSON.encode(calls)) ?? Data(), as: UTF8.self) + "\n"
        case .csv:
            var out = "id,started_at,direction,call_type,status,talk_seconds,handling_seconds,disposition\n"
            for c in calls {
                out += CSV.row([c.id, c.startedAt, c.direction.rawValue, c.callType, c.status.rawValue, "\(c.talkSeconds)", "\(c.handlingSeconds)", c.disposition ?? ""])
            }
            return out
        case .table:
            if calls.isEmpty { return "No calls.\n" }
            var out = ""
            for c in calls {
                let time = c.startedAt.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
                let dir = c.direction == .inbound ? "in " : "out"
                let status = Text.pad(c.status.rawValue, 8)
                let line = "\(time)  \(dir)  \(c.status == .missed ? style.paint(status, .red) : status)  \(HMS.clock(c.talkSeconds))  "
                out += line + Text.fit(KPICalculator.dispositionName(c.disposition), max(10, style.width - Text.width(line)), style) + "\n"
            }
            return out
        }
    }
}

/// RFC 4180 rows: fields with commas, quotes or line breaks are quoted.
public enum CSV {
    public static func row(_ fields: [String]) -> String {
        fields.map { f in
            f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",") + "\n"
    }
}
