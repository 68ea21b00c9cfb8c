import Foundation
import GRDB
import ScorecardCore

/// The answer to looking a review or goal up by id or by a unique id prefix.
public enum MirrorLookup<T: Sendable>: Sendable {
    case found(T)
    case none
    /// More than one id starts with the prefix: these (at most ten).
    case ambiguous([String])

    /// The item whose id is `key`, else the only one whose id starts with `key`.
    public static func match(_ items: [T], _ key: String, id: (T) -> String) -> MirrorLookup<T> {
        if let exact = items.first(where: { id($0) == key }) { return .found(exact) }
        let matches = key.isEmpty ? [] : items.filter { id($0).hasPrefix(key) }.sorted { id($0) < id($1) }
        switch matches.count {
        case 0: return .none
        case 1: return .found(matches[0])
        default: return .ambiguous(matches.prefix(10).map(id))
        }
    }
}

/// What the outbox holds for one entity, for the pending and conflict marks.
public struct PendingEdit: Sendable, Hashable {
    /// The mutation type, e.g. `ack_review`.
    public var type: String
    /// `pending`, `conflict` or `rejected`.
    public var state: String

    public init(type: String, state: String) {
        self.type = type
        self.state = state
    }
}

/// The shell's reads of scores, reviews, goals and feedback: each row's JSON document decoded
/// with ``WireJSON``.
extension Mirror {
    /// Reviews, newest period first (then newest written first), with pending acknowledgements
    /// laid over them.
    public func reviews(limit: Int? = nil) throws -> [Review] {
        let truth = try documents(Review.self, "SELECT id, data FROM reviews ORDER BY period_start DESC, id DESC\(limit.map { " LIMIT \($0)" } ?? "")")
            .sorted { ($0.periodStart, $0.createdAt, $0.id) > ($1.periodStart, $1.createdAt, $1.id) }
        return overlayReviews(truth, try outbox())
    }

    /// The review whose id is `key`, else the one whose id starts with `key` (with a pending
    /// acknowledgement laid over it).
    public func review(_ key: String) throws -> MirrorLookup<Review> {
        switch try lookup(Review.self, table: "reviews", key) {
        case .found(let review): return .found(overlayReviews([review], try outbox())[0])
        case let other: return other
        }
    }

    /// The latest `weeks` snapshots, oldest first.
    public func snapshots(weeks: Int) throws -> [Snapshot] {
        try documents(Snapshot.self, "SELECT id, data FROM snapshots ORDER BY period_start DESC, id DESC LIMIT \(max(0, weeks))").reversed()
    }

    /// The newest snapshot, if any.
    public func latestSnapshot() throws -> Snapshot? { try snapshots(weeks: 1).last }

    /// The raw JSON document of a snapshot (for fields this client does not decode, such as a
    /// future peer percentile).
    public func snapshotDocument(id: String) throws -> Data? {
        try read { db in try String.fetchOne(db, sql: "SELECT data FROM snapshots WHERE id = ?", arguments: [id]) }.map { Data($0.utf8) }
    }

    /// Goals as the user sees them (the outbox laid over the server's; see ``overlayGoals``):
    /// active first, then by deadline and id.
    public func goals() throws -> [Goal] {
        let rank: [GoalStatus: Int] = [.active: 0, .achieved: 1, .missed: 2, .canceled: 3]
        let truth = try documents(Goal.self, "SELECT id, data FROM goals")
        return overlayGoals(truth, try outbox(), personID: try personID()).sorted {
            (rank[$0.status] ?? 9, $0.deadline, $0.id) < (rank[$1.status] ?? 9, $1.deadline, $1.id)
        }
    }

    /// The server's goal, without the outbox (the "theirs" of a conflict).
    public func serverGoal(_ id: String) throws -> Goal? {
        try documents(Goal.self, "SELECT id, data FROM goals WHERE id = ?", arguments: [id]).first
    }

    /// The goal (as the user sees it) whose id is `key`, else the one whose id starts with `key`.
    public func goal(_ key: String) throws -> MirrorLookup<Goal> {
        .match(try goals(), key, id: \.id)
    }

    /// Feedback entries, newest first.
    public func feedback(limit: Int? = nil) throws -> [FeedbackEntry] {
        let all = try documents(FeedbackEntry.self, "SELECT id, data FROM feedback").sorted { ($0.occurredAt, $0.id) > ($1.occurredAt, $1.id) }
        return limit.map { Array(all.prefix($0)) } ?? all
    }

    /// Decodes the `(id, data)` rows `sql` selects.
    func documents<T: Decodable>(_ type: T.Type, _ sql: String, arguments: StatementArguments = []) throws -> [T] {
        let rows = try read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
        return try rows.map { row in
            let id: String = row[0]
            let data: String = row[1]
            do {
                return try WireJSON.decode(T.self, from: Data(data.utf8))
            } catch {
                throw MirrorError(.unreadable, "the mirror's \(T.self) '\(id)' cannot be read (\(error)); run `scorecard sync` with a newer client")
            }
        }
    }

    func lookup<T: Decodable & Sendable>(_ type: T.Type, table: String, _ key: String) throws -> MirrorLookup<T> {
        if let exact = try documents(T.self, "SELECT id, data FROM \(table) WHERE id = ?", arguments: [key]).first { return .found(exact) }
        let escaped = key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        let ids = try read { db in
            try String.fetchAll(db, sql: "SELECT id FROM \(table) WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 11", arguments: [escaped + "%"])
        }.filter { $0.hasPrefix(key) }  // LIKE ignores ASCII case
        guard !key.isEmpty, !ids.isEmpty else { return .none }
        guard ids.count == 1 else { return .ambiguous(Array(ids.prefix(10))) }
        return try documents(T.self, "SELECT id, data FROM \(table) WHERE id = ?", arguments: [ids[0]]).first.map { .found($0) } ?? .none
    }
}

extension Mirror {
    /// The stored version and JSON of the server's documents with these ids in a document stream
    /// (`snapshots`, `reviews`, `goals`, `feedback`); ids not stored are left out. The live
    /// notices read them before a page is applied, to tell a new item from an update and an
    /// update from the echo of the user's own edit.
    public func storedDocuments(stream: String, ids: [String]) throws -> [String: (version: Int, json: String)] {
        guard ["snapshots", "reviews", "goals", "feedback"].contains(stream), !ids.isEmpty else { return [:] }
        let list = String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)
        return try read { db in
            var found: [String: (version: Int, json: String)] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT id, version, data FROM \(stream) WHERE id IN (SELECT value FROM json_each(?))", arguments: [list])
            {
                found[row[0]] = (row[1], row[2])
            }
            return found
        }
    }
}
