import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// Seed 002's access table for the score, report, settings and ingest routes (reviews and goals
/// have their matrices in their own suites): agents see themselves, managers and leads the
/// members of the teams they manage, admins everyone; anyone else is 403.
@Suite("Performance scope")
struct PerformanceScopeTests {
    @Test(arguments: TestBackend.all) func scoresMatrix(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            for caller in PerfSeed.callers {
                for (target, composite) in PerfSeed.scored {
                    let allowed = PerfSeed.visible[caller]!.contains(target)
                    let r = try await server.request(
                        "GET", "/api/v1/performance/scores?person_id=\(target)&period=2026-W40", token: t[caller])
                    #expect(r.status == (allowed ? 200 : 403), "\(caller) → \(target): \(r.text)")
                    if allowed {
                        let snapshot = try r.decode(Snapshot.self)
                        #expect(snapshot.personID == target)
                        #expect(snapshot.compositeScore == composite)
                    } else {
                        #expect(r.errorCode == "forbidden")
                    }
                }
                // Without person_id: the caller's own latest week; managers and root have no scores.
                let own = try await server.request("GET", "/api/v1/performance/scores", token: t[caller])
                if let composite = PerfSeed.scored[caller] {
                    #expect(own.status == 200)
                    #expect(try own.decode(Snapshot.self).compositeScore == composite)
                } else {
                    #expect(own.status == 404, "\(caller): \(own.text)")
                }
                let unknown = try await server.request("GET", "/api/v1/performance/scores?person_id=nobody", token: t[caller])
                #expect(unknown.status == (caller == "root" ? 404 : 403), "\(caller) → nobody")
            }
            let anonymous = try await server.request("GET", "/api/v1/performance/scores")
            #expect(anonymous.status == 401)
        }
    }

    @Test(arguments: TestBackend.all) func snapshotWireShape(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            let r = try await server.request("GET", "/api/v1/performance/scores?period=2026-W40", token: t["a3"])
            #expect(r.status == 200)
            let j = try r.json
            for key in [
                "person_id", "period_start", "period_end", "composite_score", "domain_scores", "weights", "team_id", "team_type",
                "sales_activity_ratio", "domains",
            ] {
                #expect(j[key] != nil, "snapshot has \(key)")
            }
            #expect(j["period_start"]?.string == "2026-09-28")
            #expect(j["period_end"]?.string == "2026-10-04")
            #expect(j["composite_score"]?.double == 70)
            #expect(j["domain_scores"]?["support"]?.double == 70)
            #expect(j["weights"]?["support"]?.double == 100)
            #expect(j["team_id"]?.string == "A")
            #expect(j["team_type"]?.string == "support")
            let domain = try #require(j["domains"]?[0])
            #expect(domain["domain"]?.string == "support")
            #expect(domain["raw_score"]?.double == 70)
            #expect(domain["weighted_score"]?.double == 70)
            #expect(domain["metrics"]?["sla_compliance_rate"]?.double == 100)
            #expect(domain["metrics"]?["csat_avg_points"]?.double == 10)

            for bad in ["2026-40", "2026-W60", "W40"] {
                let r = try await server.request("GET", "/api/v1/performance/scores?period=\(bad)", token: t["a3"])
                #expect(r.status == 422, "\(bad)")
            }
            let none = try await server.request("GET", "/api/v1/performance/scores?period=2026-W39", token: t["a3"])
            #expect(none.status == 404)
        }
    }

    @Test(arguments: TestBackend.all) func teamSummaryOnlyForTheTeamsManagersAndAdmins(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            let managers: [String: Set<String>] = ["A": ["mgrA", "lead1", "root"], "B": ["mgrB", "root"]]
            for caller in PerfSeed.callers {
                for team in ["A", "B"] {
                    let allowed = managers[team]!.contains(caller)
                    for format in ["", "&format=csv"] {
                        let r = try await server.request(
                            "GET", "/api/v1/performance/team-summary?team_id=\(team)&period=2026-W40\(format)", token: t[caller])
                        #expect(r.status == (allowed ? 200 : 403), "\(caller) → team \(team)\(format): \(r.text)")
                    }
                }
            }
            // Without team_id: the one team a manager manages; ambiguous for an admin; nothing for an agent.
            let mine = try await server.request("GET", "/api/v1/performance/team-summary", token: t["mgrA"])
            #expect(mine.status == 200)
            #expect(try mine.json["team_id"]?.string == "A")
            #expect(try await server.request("GET", "/api/v1/performance/team-summary", token: t["root"]).status == 422)
            #expect(try await server.request("GET", "/api/v1/performance/team-summary", token: t["a1"]).status != 200)
            #expect(try await server.request("GET", "/api/v1/performance/team-summary?team_id=Q", token: t["root"]).status == 404)
            #expect(try await server.request("GET", "/api/v1/performance/team-summary?team_id=A").status == 401)
        }
    }

    @Test(arguments: TestBackend.all) func peerComparisonIsAlwaysTheCallersOwn(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            for caller in PerfSeed.callers {
                // person_id is not a parameter of this route: it never selects someone else.
                let r = try await server.request("GET", "/api/v1/performance/peer-comparison?person_id=a2", token: t[caller])
                #expect(r.status == 200, "\(caller): \(r.text)")
                let j = try r.json
                if caller == "a2" || PerfSeed.scored[caller] == nil {
                    continue
                }
                if let score = j["your_score"]?.double {
                    #expect(score == PerfSeed.scored[caller], "\(caller) sees their own score")
                }
            }
            // Team A has four scored members (a1, a2, a3, lead1): shown; team B has one: hidden.
            let a1 = try await server.request("GET", "/api/v1/performance/peer-comparison", token: t["a1"]).json
            #expect(a1["available"] == .bool(true))
            #expect(a1["your_score"]?.double == 20)
            let b1 = try await server.request("GET", "/api/v1/performance/peer-comparison", token: t["b1"]).json
            #expect(b1["available"] == .bool(false))
            #expect(b1["your_score"] == nil || b1["your_score"] == .null)
            #expect(try await server.request("GET", "/api/v1/performance/peer-comparison").status == 401)
        }
    }

    @Test(arguments: TestBackend.all) func adminSettingsOnlyForAdmins(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            for caller in PerfSeed.callers {
                let admin = caller == "root"
                let list = try await server.request("GET", "/api/v1/admin/settings", token: t[caller])
                #expect(list.status == (admin ? 200 : 403), "\(caller)")
                let one = try await server.request("GET", "/api/v1/admin/settings/flagged_threshold", token: t[caller])
                #expect(one.status == (admin ? 200 : 403), "\(caller)")
                let put = try await server.request(
                    "PUT", "/api/v1/admin/settings/flagged_threshold", token: t[caller], json: #"{"value": 65}"#)
                #expect(put.status == (admin ? 200 : 403), "\(caller)")
                if !admin { #expect(put.errorCode == "forbidden") }
            }
            #expect(try await server.store.settings().int("flagged_threshold") == 65)
            #expect(try await server.request("GET", "/api/v1/admin/settings").status == 401)
        }
    }

    @Test(arguments: TestBackend.all) func activityIngestOnlyForAdmins(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            let body = try activitiesBody([Activity.ticket("x", "a1", resolved: Weeks.w41.at(1), sla: true)])
            for caller in PerfSeed.callers {
                let r = try await server.request("POST", "/api/v1/ingest/activities", token: t[caller], body: body)
                #expect(r.status == (caller == "root" ? 200 : 403), "\(caller): \(r.text)")
            }
            #expect(try await server.request("POST", "/api/v1/ingest/activities", body: body).status == 401)
        }
    }
}
