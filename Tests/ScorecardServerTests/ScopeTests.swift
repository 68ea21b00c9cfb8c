import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// Seed 002's access table: agents see themselves, managers and leads the active members of the
/// teams they manage, admins everyone; asking for anyone else is 403.
@Suite("Scope")
struct ScopeTests {
    static let callers = ["a1", "mgrA", "mgrB", "lead1", "root"]
    static let targets = ["a1", "a2", "b1", "gone"]

    /// Who each caller may see (besides the matrix targets, used for the people listing).
    static let visible: [String: Set<String>] = [
        "a1": ["a1"],
        "mgrA": ["mgrA", "lead1", "a1", "a2"],
        "lead1": ["mgrA", "lead1", "a1", "a2"],
        "mgrB": ["mgrB", "b1"],
        "root": ["root", "mgrA", "lead1", "a1", "a2", "gone", "mgrB", "b1"],
    ]

    /// Team A (manager mgrA; lead1 as lead; a1, a2 members; gone inactive), team B (mgrB; b1), admin root.
    static func seed(_ server: TestServer) async throws -> [String: String] {
        try await server.addPerson("mgrA", role: .manager)
        try await server.addPerson("mgrB", role: .manager)
        try await server.addTeam("A", type: .sales, manager: "mgrA")
        try await server.addTeam("B", type: .support, manager: "mgrB")
        try await server.addPerson("lead1", team: "A")
        try await server.store.addMember(teamID: "A", personID: "lead1", role: .lead)
        try await server.addPerson("a1", team: "A")
        try await server.addPerson("a2", team: "A")
        try await server.addPerson("gone", team: "A", active: false)
        try await server.addPerson("b1", team: "B")
        try await server.addPerson("root", role: .admin)
        var tokens: [String: String] = [:]
        for caller in callers { tokens[caller] = try await server.login(caller) }
        return tokens
    }

    @Test(arguments: TestBackend.all) func kpiScopeMatrix(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let tokens = try await Self.seed(server)
            for caller in Self.callers {
                let token = try #require(tokens[caller])
                for target in Self.targets {
                    let allowed = Self.visible[caller]!.contains(target)
                    let r = try await server.request("GET", "/api/v1/performance/kpis?person_id=\(target)&date=2026-11-16", token: token)
                    #expect(r.status == (allowed ? 200 : 403), "\(caller) → \(target): \(r.status) \(r.text)")
                    if allowed {
                        #expect(try r.decode(KPIReport.self).personID == target)
                    } else {
                        #expect(r.errorCode == "forbidden")
                    }
                }
                // Without person_id the caller gets their own KPIs.
                let own = try await server.request("GET", "/api/v1/performance/kpis?date=2026-11-16", token: token)
                #expect(own.status == 200)
                #expect(try own.decode(KPIReport.self).personID == caller)
                // An unknown person is not silently answered either.
                let unknown = try await server.request("GET", "/api/v1/performance/kpis?person_id=nobody&date=2026-11-16", token: token)
                #expect(unknown.status == (caller == "root" ? 200 : 403), "\(caller) → nobody")
            }
        }
    }

    @Test(arguments: TestBackend.all) func peopleListsExactlyTheVisibleSet(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let tokens = try await Self.seed(server)
            for caller in Self.callers {
                let r = try await server.request("GET", "/api/v1/people", token: tokens[caller])
                #expect(r.status == 200)
                let people = try r.decode([String: [Person]].self)["people"] ?? []
                #expect(Set(people.map(\.id)) == Self.visible[caller]!, "\(caller)")
                #expect(people.count == Self.visible[caller]!.count, "no duplicates for \(caller)")
                #expect(people.map(\.id) == people.map(\.id).sorted())
            }
        }
    }

    @Test(arguments: TestBackend.all) func meIsTheCaller(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let tokens = try await Self.seed(server)
            let expected: [String: (Role, String?)] = [
                "a1": (.agent, "A"), "mgrA": (.manager, "A"), "mgrB": (.manager, "B"), "lead1": (.agent, "A"), "root": (.admin, nil),
            ]
            for caller in Self.callers {
                let r = try await server.request("GET", "/api/v1/me", token: tokens[caller])
                #expect(r.status == 200)
                let me = try r.decode(Person.self)
                #expect(me.id == caller)
                #expect(me.role == expected[caller]?.0)
                #expect(me.teamID == expected[caller]?.1)
                #expect(me.active)
                // person_id does not change who "me" is.
                let other = try await server.request("GET", "/api/v1/me?person_id=b1", token: tokens[caller])
                #expect(try other.decode(Person.self).id == caller)
            }
        }
    }

    @Test(arguments: TestBackend.all) func teamsInScope(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let tokens = try await Self.seed(server)
            func teams(_ caller: String) async throws -> [String: Set<String>] {
                let r = try await server.request("GET", "/api/v1/teams", token: tokens[caller])
                #expect(r.status == 200)
                let teams = try r.decode([String: [Team]].self)["teams"] ?? []
                return Dictionary(uniqueKeysWithValues: teams.map { ($0.id, Set($0.members.map(\.personID))) })
            }
            #expect(try await teams("a1") == ["A": ["a1"]])
            #expect(try await teams("mgrA") == ["A": ["mgrA", "lead1", "a1", "a2"]])
            #expect(try await teams("lead1") == ["A": ["mgrA", "lead1", "a1", "a2"]])
            #expect(try await teams("mgrB") == ["B": ["mgrB", "b1"]])
            #expect(try await teams("root") == ["A": ["mgrA", "lead1", "a1", "a2", "gone"], "B": ["mgrB", "b1"]])

            let r = try await server.request("GET", "/api/v1/teams", token: tokens["mgrA"])
            let a = try #require(try r.decode([String: [Team]].self)["teams"]?.first)
            #expect(a.managerPersonID == "mgrA")
            #expect(a.teamType == .sales)
            #expect(a.members.first { $0.personID == "lead1" }?.role == .lead)
            #expect(a.members.first { $0.personID == "mgrA" }?.role == .manager)
            #expect(a.members.first { $0.personID == "a1" }?.role == .member)
        }
    }

    @Test(arguments: TestBackend.all) func adminOnlyRoutesAreForbiddenToOthers(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let tokens = try await Self.seed(server)
            let record = try CDRFixture.json([cdr("c1", agent: "a1")])
            let summary = Data(#"[{"AgentID": "a1", "Date": "2026-11-16", "AHT": "00:01:00"}]"#.utf8)
            #expect(try await server.ingestCDRs([cdr("c1", agent: "a1")], token: tokens["root"]!).inserted == 1)
            for caller in ["a1", "mgrA", "mgrB", "lead1"] {
                let cdrs = try await server.request("POST", "/api/v1/ingest/cdr", token: tokens[caller], body: record)
                #expect(cdrs.status == 403, "\(caller) ingest cdr")
                #expect(cdrs.errorCode == "forbidden")
                let summaries = try await server.request("POST", "/api/v1/ingest/agent-summary", token: tokens[caller], body: summary)
                #expect(summaries.status == 403, "\(caller) ingest agent-summary")
                let delete = try await server.request("DELETE", "/api/v1/calls/c1", token: tokens[caller])
                #expect(delete.status == 403, "\(caller) delete")
                #expect(delete.errorCode == "forbidden")
            }
            // Nothing the refused requests carried was applied.
            let calls = try await server.store.calls(personID: "a1", from: allTime.from, to: allTime.to)
            #expect(calls.map(\.id) == ["c1"])
            #expect(calls.first?.version == 1)
            #expect(try await server.store.daySummaries(personID: "a1", from: allTime.from, to: allTime.to).isEmpty)
            #expect(try await server.request("DELETE", "/api/v1/calls/c1", token: tokens["root"]).status == 204)
        }
    }

    @Test(arguments: TestBackend.all) func pullReturnsOnlyTheCallersOwnEntities(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let tokens = try await Self.seed(server)
            let root = tokens["root"]!
            var records: [[String: String?]] = []
            for (i, person) in ["a1", "a2", "b1", "lead1", "mgrA", "a1", "b1", "a1"].enumerated() {
                records.append(cdr("call-\(i)", agent: person, n: i))
            }
            #expect(try await server.ingestCDRs(records, token: root).inserted == 8)
            let summaries = Data(
                #"[{"AgentID": "a1", "Date": "2026-11-16", "AHT": "00:01:00"}, {"AgentID": "b1", "Date": "2026-11-16", "AHT": "00:02:00"}]"#.utf8)
            #expect(try await server.request("POST", "/api/v1/ingest/agent-summary", token: root, body: summaries).status == 200)

            let expected: [String: Set<String>] = [
                "a1": ["call-0", "call-5", "call-7", "2026-11-16"], "lead1": ["call-3"], "mgrA": ["call-4"], "mgrB": [], "root": [],
            ]
            for caller in Self.callers {
                let changes = try await server.pullAll(token: tokens[caller]!)
                #expect(Set(changes.map(\.id)) == expected[caller]!, "\(caller)")
                for change in changes {
                    switch change.data {
                    case .call(let c): #expect(c.personID == caller)
                    case .daySummary(let s): #expect(s.personID == caller)
                    case .document(let json): #expect(json.contains("\"person_id\":\"\(caller)\""))
                    case nil: Issue.record("unexpected tombstone for \(caller)")
                    }
                }
                // A person_id parameter does not widen (or change) the feed.
                let r = try await server.request("GET", "/api/v1/sync/pull?since=0&person_id=b1", token: tokens[caller])
                #expect(r.status == 200)
                #expect(Set(try r.decode(PullPage<FeedEntity>.self).changes.map(\.id)) == expected[caller]!)
            }
        }
    }

    @Test(arguments: TestBackend.all) func anInactiveTeamGivesNoScope(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let tokens = try await Self.seed(server)
            try await server.addTeam("C", manager: "mgrB", active: false)
            try await server.addPerson("c1", team: "C")
            let r = try await server.request("GET", "/api/v1/performance/kpis?person_id=c1", token: tokens["mgrB"])
            #expect(r.status == 403)
            let people = try await server.request("GET", "/api/v1/people", token: tokens["mgrB"])
            #expect(Set((try people.decode([String: [Person]].self)["people"] ?? []).map(\.id)) == ["mgrB", "b1"])
        }
    }

    @Test(arguments: TestBackend.all) func deactivatingAMemberRemovesThemFromTheManagersScope(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let tokens = try await Self.seed(server)
            #expect(try await server.request("GET", "/api/v1/performance/kpis?person_id=a2", token: tokens["mgrA"]).status == 200)
            try await server.store.deactivatePerson(id: "a2")
            #expect(try await server.request("GET", "/api/v1/performance/kpis?person_id=a2", token: tokens["mgrA"]).status == 403)
            #expect(try await server.request("GET", "/api/v1/performance/kpis?person_id=a2", token: tokens["root"]).status == 200)
        }
    }
}
