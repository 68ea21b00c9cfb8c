import Foundation
import ScorecardCache
import ScorecardCore
import Testing

/// The mirror's reads for scores, reviews, goals and feedback (Mirror+Performance.swift).
@Suite struct MirrorPerformanceTests {
    func withMirror(_ body: (Mirror) throws -> Void) throws {
        let sandbox = try Sandbox.make()
        defer { sandbox.remove() }
        let mirror = try Mirror(path: sandbox.root.path + "/m.sqlite")
        try mirror.bind(server: "http://127.0.0.1:9", person: "agent-001")
        try body(mirror)
    }

    @Test func reviewsNewestFirstAndLookupByUniquePrefix() throws {
        try withMirror { mirror in
            try seedDocuments(mirror, reviews: Fixtures.reviews)
            #expect(try mirror.reviews().map(\.id) == ["rv-2026w46-7f3a9c", "rv-2026w45-11b2e0"])
            #expect(try mirror.reviews(limit: 1).count == 1)
            guard case .found(let exact) = try mirror.review("rv-2026w45-11b2e0"), case .found(let prefix) = try mirror.review("rv-2026w46") else {
                Issue.record("lookups failed")
                return
            }
            #expect(exact == Fixtures.reviews[1] && prefix == Fixtures.reviews[0])
            guard case .ambiguous(let ids) = try mirror.review("rv-2026w4") else { Issue.record("expected ambiguous"); return }
            #expect(ids == ["rv-2026w45-11b2e0", "rv-2026w46-7f3a9c"])
            guard case .none = try mirror.review("RV-2026W46") else { Issue.record("ids are case-sensitive"); return }
            guard case .none = try mirror.review("x%") else { Issue.record("LIKE wildcards are escaped"); return }
        }
    }

    @Test func snapshotsGoalsFeedbackAndPendingEdits() throws {
        try withMirror { mirror in
            try seedDocuments(mirror, goals: Fixtures.goals, snapshots: Fixtures.snapshots, feedback: Fixtures.feedback)
            let weeks = try mirror.snapshots(weeks: 12)
            #expect(weeks.map(\.period) == Fixtures.snapshots.map(\.period), "oldest first")
            #expect(try mirror.snapshots(weeks: 3).map(\.period) == ["2026-W44", "2026-W45", "2026-W46"])
            #expect(try mirror.latestSnapshot()?.period == "2026-W46")
            #expect(try mirror.goals().map(\.id) == ["g-sla", "g-notes", "g-frt", "g-csat"], "active by deadline, then the rest")
            #expect(try mirror.feedback().map(\.id) == ["f-2", "f-1"])
            try mirror.enqueue(.updateGoal(goalID: "g-frt", baseVersion: 1, base: ["label": "x"], changes: ["label": "y"]), id: "m1")
            #expect(try mirror.pendingEdits() == ["g-frt": PendingEdit(type: "update_goal", state: "pending")])
        }
    }
}
