import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore

struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Your call KPIs for a period, computed from the local mirror (works offline).",
        discussion: "PERIOD: today, yesterday, week (Monday to today), month (the 1st to today), YYYY-MM-DD, or FROM..TO. Days are UTC.")

    @Argument(help: "today|yesterday|week|month|YYYY-MM-DD|FROM..TO") var period = "today"
    @Option(help: "table, csv or json.") var format = "table"

    func run() async throws {
        guard let format = OutputFormat(rawValue: format) else { throw CLIError(.usage, "--format must be table, csv or json") }
        guard let range = DateRange.parse(period, today: DateRange.today()) else {
            throw CLIError(.usage, "unknown period '\(period)'; use today, yesterday, week, month, YYYY-MM-DD or FROM..TO")
        }
        guard range.to.daysSinceEpoch - range.from.daysSinceEpoch < 366 else { throw CLIError(.usage, "a period may span at most 366 days") }
        let env = ClientEnvironment()
        let mirror = try env.mirror(try env.account())
        let report: KPIReport
        do {
            report = try mirror.kpiReport(from: range.from, to: range.to)
        } catch let error as MirrorError {
            throw CLIError(.failure, error.message)
        }
        print(StatsRendering.render(report, format: format), terminator: "")
    }
}

enum StatsRendering {
    static func render(_ r: KPIReport, format: OutputFormat) -> String {
        switch format {
        case .json:
            return String(decoding: (try? WireJSON.encode(r)) ?? Data(), as: UTF8.self) + "\n"
        case .csv:
            var out = "date,total,inbound,outbound,answered,missed\n"
            for d in r.daily { out += "\(d.date),\(d.total),\(d.inbound),\(d.outbound),\(d.answered),\(d.missed)\n" }
            return out
        case .table:
            let range = r.from == r.to ? "\(r.from)" : "\(r.from) .. \(r.to)"
            var out = "\(r.personID) · \(range)\n\n"
            let u = r.timeUtilization
            let cards: [(String, String)] = [
                ("Total calls", grouped(r.calls.total)),
                ("Answered", "\(grouped(r.calls.answered)) (missed \(grouped(r.calls.missed)))"),
                ("Appointments", grouped(r.appointmentsBooked)),
                ("Avg handle time", HMS.clock(r.avgHandlingSeconds)),
                ("Avg talk time", HMS.clock(r.avgTalkSeconds)),
                ("Conversion", String(format: "%.1f%%", r.conversionRate)),
                ("Login time", HMS.clock(u.loginSeconds)),
            ]
            for (label, value) in cards { out += "  \(label.padding(toLength: 16, withPad: " ", startingAt: 0)) \(value)\n" }
            out += "\n  Day          Total   In  Out  Answered  Missed\n"
            for d in r.daily {
                out += "  \(d.date)  " + [d.total, d.inbound, d.outbound, d.answered, d.missed].enumerated().map { i, n in
                    let w = [5, 4, 4, 9, 7][i]
                    let s = String(n)
                    return String(repeating: " ", count: max(0, w - s.count)) + s
                }.joined(separator: " ") + "\n"
            }
            if !r.dispositions.isEmpty {
                out += "\n  Dispositions\n"
                for (name, count) in r.dispositions.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
                    let pct = r.calls.total == 0 ? 0 : Double(count) / Double(r.calls.total) * 100
                    out += "  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(String(format: "%5d  %5.1f%%", count, pct))\n"
                }
            }
            return out
        }
    }
}

struct Calls: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Your calls, newest first, from the local mirror (works offline).")

    @Option(help: "Only this day (YYYY-MM-DD, today or yesterday).") var date: String?
    @Option(help: "answered or missed.") var status: String?
    @Option(help: "At most this many calls.") var limit = 20
    @Option(help: "table, csv or json.") var format = "table"

    func run() async throws {
        guard let format = OutputFormat(rawValue: format) else { throw CLIError(.usage, "--format must be table, csv or json") }
        var day: CivilDate?
        if let date {
            guard let range = DateRange.parse(date, today: DateRange.today()), range.from == range.to else {
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
        let env = ClientEnvironment()
        let mirror = try env.mirror(try env.account())
        let calls: [Call]
        do {
            calls = try mirror.recentCalls(on: day, status: callStatus, limit: limit)
        } catch let error as MirrorError {
            throw CLIError(.failure, error.message)
        }
        switch format {
        case .json:
            print(String(decoding: try WireJSON.encode(calls), as: UTF8.self))
        case .csv:
            print("id,started_at,direction,call_type,status,talk_seconds,handling_seconds,disposition")
            for c in calls {
                let disposition = (c.disposition ?? "").replacingOccurrences(of: "\"", with: "\"\"")
                print("\(c.id),\(c.startedAt),\(c.direction.rawValue),\(c.callType),\(c.status.rawValue),\(c.talkSeconds),\(c.handlingSeconds),\"\(disposition)\"")
            }
        case .table:
            if calls.isEmpty { print("No calls.") }
            for c in calls {
                let time = c.startedAt.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
                let dir = c.direction == .inbound ? "in " : "out"
                print("\(time)  \(dir)  \(c.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(HMS.clock(c.talkSeconds))  \(KPICalculator.dispositionName(c.disposition))")
            }
        }
    }
}
