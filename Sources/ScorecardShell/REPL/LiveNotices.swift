import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardSync

/// The lines a live page gives the person at the prompt: each new review, goal, feedback entry
/// or weekly score by name, each goal someone else changed, and one summary line for calls and
/// day summaries. The echo of the person's own edit (the mirror already holds that version, from
/// the push's answer) says nothing.
enum LiveNotices {
    static func lines(_ applied: LiveApply, me: String) -> [String] {
        var lines: [String] = []
        for item in applied.documents {
            if let line = line(item, me: me) { lines.append(line) }
        }
        var bulk = SyncReport(outcome: .upToDate)
        for stream in ["calls", "day_summaries"] {
            if let n = applied.stats.upserts[stream] { bulk.stats.upserts[stream] = n }
            if let n = applied.stats.deletes[stream] { bulk.stats.deletes[stream] = n }
        }
        if bulk.stats.total > 0 { lines.append("auto-sync: " + SyncRunner.pullSummary(bulk)) }
        return lines
    }

    static func line(_ item: LiveApply.Change, me: String) -> String? {
        let change = item.change
        guard change.op == .upsert else {
            guard change.stream == "goals", let before = item.before, let goal = decode(Goal.self, before.json) else { return nil }
            return "goal removed: \(goal.label)"
        }
        guard case .document(_, let version, let json)? = change.payload else { return nil }
        if let before = item.before, before.version >= version { return nil }  // already here: one's own edit
        let isNew = item.before == nil
        switch change.stream {
        case "goals":
            guard let goal = decode(Goal.self, json) else { return nil }
            if isNew {
                let from = goal.createdByPersonID.flatMap { $0 == me ? nil : $0 }
                return "new goal" + (from.map { " from \($0)" } ?? "") + ": \(goal.label)"
            }
            return "goal updated: \(goal.label)" + (goal.status == .active ? "" : " (\(goal.status.rawValue))")
        case "reviews":
            guard isNew, let review = decode(Review.self, json) else { return nil }
            return "new review for the week of \(review.periodStart): \(short(review.summary))"
        case "feedback":
            guard isNew, let entry = decode(FeedbackEntry.self, json) else { return nil }
            return "new feedback (\(entry.feedbackType.rawValue)): \(short(entry.feedback))"
        case "snapshots":
            guard let snapshot = decode(Snapshot.self, json) else { return nil }
            return "weekly score \(snapshot.period)\(isNew ? "" : " updated"): \(String(format: "%.1f", snapshot.compositeScore))"
        default:
            return nil
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) -> T? {
        try? WireJSON.decode(T.self, from: Data(json.utf8))
    }

    /// At most 60 characters, on one line.
    static func short(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 60 ? String(line.prefix(59)) + "…" : line
    }
}
