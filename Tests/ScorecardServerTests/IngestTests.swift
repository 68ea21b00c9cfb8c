import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

@Suite("Ingest")
struct IngestTests {
    @Test(arguments: TestBackend.all) func thousandCDRsAreIdempotentAndOneChangeIsOneFeedEntry(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            var records = (0..<1000).map { cdr("c\($0)", agent: "agent-1", n: $0) }

            let first = try await server.ingestCDRs(records, token: admin)
            #expect(first == IngestResult(inserted: 1000))
            let second = try await server.ingestCDRs(records, token: admin)
            #expect(second == IngestResult(unchanged: 1000))

            let before = try await server.pullAll(token: agent)
            #expect(before.count == 1000)
            #expect(Set(before.map(\.id)).count == 1000)
            #expect(before.allSatisfy { $0.call?.version == 1 })
            let maxBefore = try #require(before.map(\.seq).max())
            #expect(maxBefore == 1000)
            #expect(try await server.store.calls(personID: "agent-1", from: allTime.from, to: allTime.to).count == 1000)

            records[417]["Disposition"] = "Appointment Booked"
            let third = try await server.ingestCDRs(records, token: admin)
            #expect(third == IngestResult(updated: 1, unchanged: 999))

            let after = try await server.pullAll(token: agent)
            #expect(after.count == 1000, "the change log keeps one row per call")
            let newer = try await server.pullAll(token: agent, since: maxBefore)
            #expect(newer.count == 1)
            let change = try #require(newer.first)
            #expect(change.seq == maxBefore + 1)
            #expect(change.id == "c417")
            #expect(change.op == .upsert)
            #expect(change.call?.version == 2)
            #expect(change.call?.disposition == "Appointment Booked")
            #expect(after.last?.id == "c417")
            let stored = try await server.store.calls(personID: "agent-1", from: allTime.from, to: allTime.to)
            #expect(stored.count == 1000)
            #expect(stored.first { $0.id == "c417" }?.version == 2)
            #expect(stored.filter { $0.version == 1 }.count == 999)
        }
    }

    @Test(arguments: TestBackend.all) func mixedBatchKeepsGoodRecordsAndListsBadOnes(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            func object(_ record: [String: String?]) throws -> String { String(decoding: try JSONEncoder().encode(record), as: UTF8.self) }
            var missingAgent = cdr("bad-agent-missing", agent: "agent-1")
            missingAgent.removeValue(forKey: "AgentID")
            let elements = [
                try object(cdr("good-0", agent: "agent-1")),  // 0
                try object(CDRFixture.record(id: "bad-start", agent: "agent-1", start: "16/11/2026 10:00")),  // 1
                try object(cdr("good-2", agent: "agent-1", n: 2)),  // 2
                try object(missingAgent),  // 3
                try object(cdr("bad-agent-unknown", agent: "nobody")),  // 4
                "42",  // 5
                try object(cdr("good-6", agent: "agent-1", n: 6)),  // 6
                try object(CDRFixture.record(id: "bad-talk", agent: "agent-1", talk: "1:2")),  // 7
            ]
            let body = Data("[\(elements.joined(separator: ","))]".utf8)
            let response = try await server.request("POST", "/api/v1/ingest/cdr", token: admin, body: body)
            #expect(response.status == 200)
            let result = try response.decode(IngestResult.self)
            #expect(result.inserted == 3)
            #expect(result.updated == 0)
            #expect(result.unchanged == 0)
            #expect(result.rejected.map(\.index) == [1, 3, 4, 5, 7])
            let reasons = Dictionary(uniqueKeysWithValues: result.rejected.map { ($0.index, $0.reason) })
            #expect(reasons[1]?.contains("StartTime") == true, "\(reasons[1] ?? "")")
            #expect(reasons[3]?.contains("AgentID") == true, "\(reasons[3] ?? "")")
            #expect(reasons[4]?.contains("AgentID") == true && reasons[4]?.contains("nobody") == true, "\(reasons[4] ?? "")")
            #expect(reasons[5]?.contains("object") == true, "\(reasons[5] ?? "")")
            #expect(reasons[7]?.contains("TalkTime") == true, "\(reasons[7] ?? "")")
            let stored = try await server.store.calls(personID: "agent-1", from: allTime.from, to: allTime.to)
            #expect(Set(stored.map(\.id)) == ["good-0", "good-2", "good-6"])
            #expect(try await server.store.calls(personID: "nobody", from: allTime.from, to: allTime.to).isEmpty)
            // The wire shape of a rejection.
            let json = try response.json
            #expect(json["rejected"]?[0]?["index"]?.int == 1)
            #expect(json["rejected"]?[0]?["reason"]?.string?.isEmpty == false)
        }
    }

    @Test(arguments: TestBackend.all) func emptyBatchIsFine(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            let r = try await server.request("POST", "/api/v1/ingest/cdr", token: admin, body: Data("[]".utf8))
            #expect(r.status == 200)
            #expect(try r.decode(IngestResult.self) == IngestResult())
            #expect(try r.json["rejected"]?.array?.isEmpty == true)
        }
    }

    @Test(arguments: TestBackend.all, [
        ("[{\"CallID\": ", 400, "malformed_json"),
        ("not json at all", 400, "malformed_json"),
        ("", 400, "malformed_json"),
        ("{\"CallID\": \"c1\"}", 422, "invalid_value"),
        ("\"a string\"", 422, "invalid_value"),
    ])
    func badBodies(backend: TestBackend, _ example: (String, Int, String)) async throws {
        let (body, status, code) = example
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            for path in ["/api/v1/ingest/cdr", "/api/v1/ingest/agent-summary"] {
                let r = try await server.request("POST", path, token: admin, body: Data(body.utf8))
                #expect(r.status == status, "\(path): \(r.text)")
                #expect(r.errorCode == code, "\(path): \(r.text)")
            }
        }
    }

    @Test(arguments: TestBackend.all) func tooManyRecordsIs413AndWritesNothing(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            let records = (0..<10_001).map { cdr("c\($0)", agent: "agent-1", n: $0) }
            let r = try await server.request("POST", "/api/v1/ingest/cdr", token: admin, body: try CDRFixture.json(records))
            #expect(r.status == 413)
            #expect(r.errorCode == "payload_too_large")
            #expect(try await server.store.calls(personID: "agent-1", from: allTime.from, to: allTime.to).isEmpty)
            #expect(try await server.pullAll(token: agent).isEmpty)
            // Exactly the limit is accepted.
            let atLimit = try await server.ingestCDRs(Array(records.prefix(10_000)), token: admin)
            #expect(atLimit.inserted == 10_000)
        }
    }

    @Test(arguments: TestBackend.all) func bodyLargerThanTheLimitIs413(backend: TestBackend) async throws {
        try await withServer(backend: backend, configure: { $0.maxBodyBytes = 4_096 }) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let records = (0..<100).map { cdr("c\($0)", agent: "agent-1", n: $0) }
            let r = try await server.request("POST", "/api/v1/ingest/cdr", token: admin, body: try CDRFixture.json(records))
            #expect(r.status == 413)
            #expect(r.errorCode == "payload_too_large")
            #expect(try await server.store.calls(personID: "agent-1", from: allTime.from, to: allTime.to).isEmpty)
        }
    }

    @Test(arguments: TestBackend.all) func agentSummaryIngestIsIdempotent(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            func summaries(aht17: String) -> Data {
                Data(
                    """
                    [{"AgentID": "agent-1", "Date": "2026-11-16", "TotalLoginDuration": "08:00:00", "TotalBusyTime": "06:00:00",
                      "TotalIdleTime": "01:00:00", "TotalPauseTime": "00:30:00", "TotalWrapupTime": "00:20:00", "TotalDialTime": "00:10:00",
                      "AHT": "00:03:00"},
                     {"AgentID": "agent-1", "Date": "2026-11-17", "AHT": "\(aht17)"},
                     {"AgentID": "agent-1", "Date": "2026-11-18", "AHT": "00:02:00"},
                     {"AgentID": "nobody", "Date": "2026-11-18", "AHT": "00:02:00"},
                     {"AgentID": "agent-1", "Date": "2026-11-31", "AHT": "00:02:00"}]
                    """.utf8)
            }
            func post(_ body: Data) async throws -> IngestResult {
                let r = try await server.request("POST", "/api/v1/ingest/agent-summary", token: admin, body: body)
                try #require(r.status == 200, "\(r.text)")
                return try r.decode(IngestResult.self)
            }
            let first = try await post(summaries(aht17: "00:01:00"))
            #expect(first.inserted == 3)
            #expect(first.rejected.map(\.index) == [3, 4])
            #expect(first.rejected.first?.reason.contains("nobody") == true)
            #expect(first.rejected.last?.reason.contains("Date") == true)
            let second = try await post(summaries(aht17: "00:01:00"))
            #expect(second.inserted == 0)
            #expect(second.updated == 0)
            #expect(second.unchanged == 3)
            let before = try await server.pullAll(token: agent)
            #expect(before.map(\.id) == ["2026-11-16", "2026-11-17", "2026-11-18"])
            #expect(before.allSatisfy { $0.stream == "day_summaries" })

            let third = try await post(summaries(aht17: "00:01:30"))
            #expect(third.updated == 1)
            #expect(third.unchanged == 2)
            let newer = try await server.pullAll(token: agent, since: before.last!.seq)
            #expect(newer.count == 1)
            guard case .daySummary(let s) = newer.first?.data else {
                Issue.record("expected a day summary, got \(String(describing: newer.first))")
                return
            }
            #expect(s.date == CivilDate("2026-11-17"))
            #expect(s.ahtSeconds == 90)
            #expect(s.version == 2)
            let stored = try await server.store.daySummaries(personID: "agent-1", from: allTime.from, to: allTime.to)
            #expect(stored.count == 3)
            #expect(stored.first?.loginSeconds == 28_800)
            #expect(stored.map(\.version) == [1, 2, 1])
        }
    }

    @Test(arguments: TestBackend.all) func deletingACallLeavesATombstone(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            _ = try await server.ingestCDRs([cdr("c1", agent: "agent-1"), cdr("c2", agent: "agent-1", n: 1)], token: admin)
            let delete = try await server.request("DELETE", "/api/v1/calls/c1", token: admin)
            #expect(delete.status == 204)
            #expect(delete.body.isEmpty)

            let pull = try await server.request("GET", "/api/v1/sync/pull?since=0", token: agent)
            let changes = try #require(try pull.json["changes"]?.array)
            #expect(changes.count == 2)
            let tombstone = try #require(changes.first { $0["id"]?.string == "c1" })
            #expect(tombstone["op"]?.string == "delete")
            #expect(tombstone["data"] == .null, "data must be an explicit null")
            #expect(tombstone["stream"]?.string == "calls")
            #expect(tombstone["seq"]?.int == 3)
            #expect(changes.last?["id"]?.string == "c1")

            let again = try await server.request("DELETE", "/api/v1/calls/c1", token: admin)
            #expect(again.status == 404)
            #expect(again.errorCode == "not_found")
            let never = try await server.request("DELETE", "/api/v1/calls/never-was", token: admin)
            #expect(never.status == 404)
            #expect(try await server.store.calls(personID: "agent-1", from: allTime.from, to: allTime.to).map(\.id) == ["c2"])

            // Re-ingesting a deleted call brings it back as an upsert at a new seq.
            let back = try await server.ingestCDRs([cdr("c1", agent: "agent-1")], token: admin)
            #expect(back.inserted == 1)
            let latest = try await server.pullAll(token: agent, since: 3)
            #expect(latest.map(\.id) == ["c1"])
            #expect(latest.first?.op == .upsert)
        }
    }

    @Test(arguments: TestBackend.all) func movingACallToAnotherAgentTombstonesItForTheFormerOwner(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            try await server.addPerson("agent-2")
            let one = try await server.login("agent-1")
            let two = try await server.login("agent-2")
            _ = try await server.ingestCDRs([cdr("c1", agent: "agent-1")], token: admin)
            let moved = try await server.ingestCDRs([cdr("c1", agent: "agent-2")], token: admin)
            #expect(moved.updated == 1)
            let feed1 = try await server.pullAll(token: one)
            #expect(feed1.map(\.op) == [.delete])
            #expect(feed1.first?.id == "c1")
            let feed2 = try await server.pullAll(token: two)
            #expect(feed2.map(\.op) == [.upsert])
            #expect(feed2.first?.call?.personID == "agent-2")
            #expect(feed2.first?.call?.version == 2)
        }
    }
}
