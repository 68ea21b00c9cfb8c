import Foundation
import ScorecardCache
import ScorecardCore
import Testing

/// The outbox inside one mirror file: the overlay the user sees, what a push takes, and how
/// results and resolutions rewrite it (the end-to-end behaviour is in `OfflineEditsTests`).
@Suite struct OutboxMirrorTests {
    static func goal(_ id: String, version: Int = 3, label: String = "SLA above 90%") -> Goal {
        Goal(
            id: id, personID: "ana", domain: .support, metricKey: "sla_compliance_rate", label: label, targetValue: 90, comparison: .gte,
            deadline: "2099-12-31", createdByPersonID: "boss", createdAt: "2026-11-01T00:00:00Z", updatedAt: "2026-11-01T00:00:00Z",
            version: version)
    }

    /// A fresh mirror for `ana` holding goals `g1` and `g2` (version 3) as server truth.
    static func withMirror(_ body: (Mirror) throws -> Void) throws {
        let sandbox = try Sandbox.make()
        defer { sandbox.remove() }
        let mirror = try Mirror(path: sandbox.root.path + "/m.sqlite")
        try mirror.bind(server: "http://127.0.0.1:1", person: "ana")
        let changes = try ["g1", "g2"].map { id in
            MirrorChange(
                seq: 1, stream: "goals", op: .upsert, id: id,
                payload: .document(periodStart: nil, version: 3, json: String(decoding: try WireJSON.encode(goal(id)), as: UTF8.self)))
        }
        try mirror.apply(MirrorPage(changes: changes, next: 1, hasMore: false))
        try body(mirror)
    }

    @Test func theOverlayShowsPendingEditsAndAPullDoesNotDropThem() throws {
        try Self.withMirror { mirror in
            let draft = GoalDraft(id: "new-1", domain: .sales, metricKey: "win_rate", label: "Win more", targetValue: 30, comparison: .gte, deadline: "2099-01-01")
            try mirror.enqueue(.createGoal(draft), at: "2026-11-21T09:00:00Z")
            try mirror.enqueue(.updateGoal(goalID: "g1", baseVersion: 3, base: ["target_value": 90], changes: ["target_value": 95]))
            try mirror.enqueue(.cancelGoal(goalID: "g2", baseVersion: 3))
            var shown = Dictionary(uniqueKeysWithValues: try mirror.goals().map { ($0.id, $0) })
            #expect(shown["new-1"] == draft.goal(personID: "ana", createdAt: "2026-11-21T09:00:00Z"))
            #expect(shown["g1"]?.targetValue == 95 && shown["g1"]?.label == "SLA above 90%")
            #expect(shown["g2"]?.status == .canceled)
            #expect(try mirror.serverGoal("g1")?.targetValue == 90, "the truth table is untouched")

            // A pull brings a newer g1 (a manager renamed it): the pending target is laid over it.
            let renamed = Self.goal("g1", version: 4, label: "Renamed")
            try mirror.apply(
                MirrorPage(
                    changes: [MirrorChange(seq: 2, stream: "goals", op: .upsert, id: "g1", payload: .document(periodStart: nil, version: 4, json: String(decoding: try WireJSON.encode(renamed), as: UTF8.self)))],
                    next: 2, hasMore: false))
            shown = Dictionary(uniqueKeysWithValues: try mirror.goals().map { ($0.id, $0) })
            #expect(shown["g1"]?.label == "Renamed" && shown["g1"]?.targetValue == 95 && shown["g1"]?.version == 4)
            #expect(try mirror.outbox().count == 3)
        }
    }

    @Test func editsQueuedBehindAConflictWaitAndARejectionHoldsNothingBack() throws {
        try Self.withMirror { mirror in
            let first = try mirror.enqueue(.updateGoal(goalID: "g1", baseVersion: 3, base: ["label": "SLA above 90%"], changes: ["label": "Mine"]))
            let rejected = try mirror.enqueue(.cancelGoal(goalID: "g2", baseVersion: 3))
            let behind = try mirror.enqueue(.updateGoal(goalID: "g1", baseVersion: 3, base: ["target_value": 90], changes: ["target_value": 91]))
            let other = try mirror.enqueue(.updateGoal(goalID: "g2", baseVersion: 3, base: ["target_value": 90], changes: ["target_value": 80]))
            let batch = try mirror.nextPushBatch(limit: 10)
            #expect(batch.map(\.id) == [first.id, rejected.id, behind.id, other.id])
            #expect(batch.allSatisfy { $0.attempts == 1 })

            let theirs = try WireJSON.decode(JSONValue.self, from: WireJSON.encode(Self.goal("g1", version: 4, label: "Theirs")))
            let (summary, unanswered) = try mirror.applyPushResults(
                [
                    PushResult(id: first.id, status: .conflict, entity: theirs, conflicts: ["label"]),
                    PushResult.rejected(rejected.id, "no goal with that id is yours to cancel"),
                ], sent: Array(batch.prefix(2)))
            #expect(summary.conflicts == 1 && summary.rejected == 1)
            #expect(unanswered.isEmpty)
            #expect(try mirror.serverGoal("g1")?.label == "Theirs", "the conflict's entity is the new truth")
            #expect(try mirror.nextPushBatch(limit: 10).map(\.id) == [other.id], "g1's later edit waits behind its conflict; g2's does not wait behind a rejection")
            #expect(try mirror.pendingEdits()["g1"] == PendingEdit(type: "update_goal", state: "conflict"))

            // --mine takes the conflict's place, on the server's version, under a new id.
            let mine = try #require(try mirror.resolveConflict(goalID: "g1", .mine))
            #expect(mine.id != first.id && mine.position == first.position)
            #expect(mine.mutation == .updateGoal(goalID: "g1", baseVersion: 4, base: ["label": "Theirs"], changes: ["label": "Mine"]))
            #expect(try mirror.nextPushBatch(limit: 10).map(\.id) == [mine.id, behind.id, other.id], "in their order again")
            #expect(throws: MirrorError.self) { try mirror.resolveConflict(goalID: "g2", .theirs) }
        }
    }

    @Test func resolvingWithSetOrTheirs() throws {
        try Self.withMirror { mirror in
            let edit = try mirror.enqueue(
                .updateGoal(goalID: "g1", baseVersion: 3, base: ["label": "SLA above 90%", "target_value": 90], changes: ["label": "Mine", "target_value": 92]))
            let theirs = try WireJSON.decode(JSONValue.self, from: WireJSON.encode(Self.goal("g1", version: 5, label: "Theirs")))
            _ = try mirror.applyPushResults([PushResult(id: edit.id, status: .conflict, entity: theirs, conflicts: ["label"])], sent: [edit])
            let set = try #require(try mirror.resolveConflict(goalID: "g1", .set(["label": "Agreed"])))
            #expect(set.mutation == .updateGoal(goalID: "g1", baseVersion: 5, base: ["label": "Theirs", "target_value": 90], changes: ["label": "Agreed", "target_value": 92]))
            #expect(try mirror.goals().first { $0.id == "g1" }?.label == "Agreed", "pending again, so laid over")

            let again = try mirror.nextPushBatch(limit: 1)
            _ = try mirror.applyPushResults([PushResult(id: again[0].id, status: .conflict, entity: theirs, conflicts: ["label"])], sent: again)
            #expect(try mirror.resolveConflict(goalID: "g1", .theirs) == nil)
            #expect(try mirror.outbox().isEmpty)
            #expect(try mirror.goals().first { $0.id == "g1" }?.label == "Theirs")
        }
    }
}
