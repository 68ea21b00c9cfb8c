import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

@Suite("KPI endpoint")
struct KPIEndpointTests {
    /// Six calls in 2026-11-16…18 (none on the 17th), two outside, and three day summaries.
    static func seed(_ server: TestServer) async throws -> String {
        let admin = try await server.adminToken()
        try await server.addPerson("agent-1")
        let records: [[String: String?]] = [
            CDRFixture.record(id: "c1", agent: "agent-1", start: "2026-11-16 09:00:00", type: "InBound", status: "Answered", talk: "00:01:00", handling: "00:01:30", disposition: "Appointment Booked"),
            CDRFixture.record(id: "c2", agent: "agent-1", start: "2026-11-16 10:00:00", type: "Manual", status: "Answered", talk: "00:00:00", handling: nil, disposition: nil),
            CDRFixture.record(id: "c3", agent: "agent-1", start: "2026-11-16 11:00:00", type: "Progressive", status: "NotAnswered", talk: "00:00:00", disposition: ""),
            CDRFixture.record(id: "c4", agent: "agent-1", start: "2026-11-18 12:00:00", type: "InBound", status: "Answered", talk: "00:02:01", disposition: "booked appointment"),
            CDRFixture.record(id: "c5", agent: "agent-1", start: "2026-11-18 13:00:00", type: "Manual", status: "Unanswered", talk: "00:00:00", disposition: "Appt"),
            CDRFixture.record(id: "c6", agent: "agent-1", start: "2026-11-18 23:59:59", type: "Predictive", status: "Abandoned", talk: "00:00:00", disposition: "   "),
            CDRFixture.record(id: "before", agent: "agent-1", start: "2026-11-15 23:59:59", talk: "00:09:00", disposition: "APPOINTMENT"),
            CDRFixture.record(id: "after", agent: "agent-1", start: "2026-11-19 00:00:00", talk: "00:09:00", disposition: "APPOINTMENT"),
        ]
        #expect(try await server.ingestCDRs(records, token: admin).inserted == 8)
        let summaries = """
            [{"AgentID": "agent-1", "Date": "2026-11-16", "TotalLoginDuration": "08:00:00", "TotalBusyTime": "06:00:00",
              "TotalIdleTime": "01:00:00", "TotalPauseTime": "00:30:00", "TotalWrapupTime": "00:20:00", "TotalDialTime": "00:10:00",
              "AHT": "00:03:00"},
             {"AgentID": "agent-1", "Date": "2026-11-18", "TotalLoginDuration": "07:30:00", "TotalBusyTime": "05:00:00",
              "TotalIdleTime": "02:00:00", "TotalPauseTime": "00:15:00", "TotalWrapupTime": "00:10:00", "TotalDialTime": "00:05:00",
              "AHT": "00:02:05"},
             {"AgentID": "agent-1", "Date": "2026-11-19", "TotalLoginDuration": "09:00:00", "AHT": "00:10:00"}]
            """
        let r = try await server.request("POST", "/api/v1/ingest/agent-summary", token: admin, body: Data(summaries.utf8))
        #expect(r.status == 200)
        return try await server.login("agent-1")
    }

    @Test(arguments: TestBackend.all) func figuresAreExact(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let token = try await Self.seed(server)
            let r = try await server.request("GET", "/api/v1/performance/kpis?from=2026-11-16&to=2026-11-18", token: token)
            #expect(r.status == 200)
            let j = try r.json
            #expect(j["person_id"]?.string == "agent-1")
            #expect(j["from"]?.string == "2026-11-16")
            #expect(j["to"]?.string == "2026-11-18")
            let calls = try #require(j["calls"])
            #expect(calls["total"]?.int == 6)
            #expect(calls["inbound"]?.int == 2)
            #expect(calls["outbound"]?.int == 4)
            #expect(calls["answered"]?.int == 3)
            #expect(calls["missed"]?.int == 2)
            // Talk over calls with talk > 0 only: (60 + 121) / 2 = 90.5 → 91.
            #expect(j["avg_talk_seconds"]?.int == 91)
            // AHT over the two days that have a summary: (180 + 125) / 2 = 152.5 → 153.
            #expect(j["avg_handling_seconds"]?.int == 153)
            #expect(j["appointments_booked"]?.int == 2)
            // 2 / 6 × 100 = 33.33… → 33.3
            #expect(j["conversion_rate"]?.double == 33.3)
            #expect(
                j["dispositions"]
                    == .object([
                        "Appointment Booked": .number(1), "booked appointment": .number(1), "Appt": .number(1), "No Disposition": .number(3),
                    ]))
            #expect(
                j["time_utilization"]
                    == .object([
                        "login_seconds": .number(55_800), "busy_seconds": .number(39_600), "idle_seconds": .number(10_800),
                        "pause_seconds": .number(2_700), "wrapup_seconds": .number(1_800), "dial_seconds": .number(900),
                    ]))
            func day(_ date: String, _ total: Int, _ inbound: Int, _ outbound: Int, _ answered: Int, _ missed: Int) -> JSONValue {
                .object([
                    "date": .string(date), "total": .number(Double(total)), "inbound": .number(Double(inbound)),
                    "outbound": .number(Double(outbound)), "answered": .number(Double(answered)), "missed": .number(Double(missed)),
                ])
            }
            #expect(
                j["daily"]
                    == .array([
                        day("2026-11-16", 3, 1, 2, 2, 1),
                        day("2026-11-17", 0, 0, 0, 0, 0),
                        day("2026-11-18", 3, 1, 2, 1, 1),
                    ]))
            #expect(Set(j.object?.keys.map { $0 } ?? []) == [
                "person_id", "from", "to", "calls", "avg_talk_seconds", "avg_handling_seconds", "appointments_booked",
                "conversion_rate", "time_utilization", "dispositions", "daily", "complete",
            ])
            #expect(j["complete"] == .bool(true), "the server counts every call of the range")
        }
    }

    @Test(arguments: TestBackend.all) func serverAgreesWithTheSharedCalculator(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let token = try await Self.seed(server)
            let from = CivilDate("2026-11-10")!
            let to = CivilDate("2026-11-25")!
            let r = try await server.request("GET", "/api/v1/performance/kpis?from=\(from)&to=\(to)", token: token)
            let report = try r.decode(KPIReport.self)
            let expected = KPICalculator.report(
                personID: "agent-1", from: from, to: to,
                calls: try await server.store.calls(personID: "agent-1", from: allTime.from, to: allTime.to),
                summaries: try await server.store.daySummaries(personID: "agent-1", from: allTime.from, to: allTime.to))
            #expect(report == expected)
            #expect(report.daily.count == 16)
            #expect(report.calls.total == 8)
        }
    }

    @Test(arguments: TestBackend.all) func dateIsFromAndToOnTheSameDay(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let token = try await Self.seed(server)
            let byDate = try await server.request("GET", "/api/v1/performance/kpis?date=2026-11-18", token: token)
            let byRange = try await server.request("GET", "/api/v1/performance/kpis?from=2026-11-18&to=2026-11-18", token: token)
            let fromOnly = try await server.request("GET", "/api/v1/performance/kpis?from=2026-11-18", token: token)
            #expect(byDate.status == 200)
            let report = try byDate.decode(KPIReport.self)
            #expect(report == (try byRange.decode(KPIReport.self)))
            #expect(report == (try fromOnly.decode(KPIReport.self)))
            #expect(byDate.body == byRange.body, "sorted keys: the same value is the same bytes")
            #expect(report.calls.total == 3)
            #expect(report.daily.map(\.date.description) == ["2026-11-18"])
            #expect(report.avgTalkSeconds == 121)
            #expect(report.avgHandlingSeconds == 125)
            #expect(report.conversionRate == 33.3)
            #expect(report.dispositions == ["booked appointment": 1, "Appt": 1, "No Disposition": 1])
        }
    }

    @Test(arguments: TestBackend.all) func emptyRangeIsAllZeros(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let token = try await Self.seed(server)
            let r = try await server.request("GET", "/api/v1/performance/kpis?from=2026-12-01&to=2026-12-03", token: token)
            let j = try r.json
            #expect(j["calls"]?["total"]?.int == 0)
            #expect(j["conversion_rate"]?.double == 0)
            #expect(j["avg_talk_seconds"]?.int == 0)
            #expect(j["avg_handling_seconds"]?.int == 0)
            #expect(j["dispositions"] == .object([:]))
            #expect(j["daily"]?.array?.count == 3)
        }
    }

    @Test(arguments: TestBackend.all, [
        ("from=2026-11-18&to=2026-11-16", "from"),
        ("from=2026-13-01&to=2026-12-01", "from"),
        ("from=2026-11-16&to=2026-11-31", "to"),
        ("date=16-11-2026", "date"),
        ("date=2026-11-16T00:00:00Z", "date"),
        ("date=", "date"),
        ("from=2025-01-01&to=2026-01-02", "to"),
        ("from=2000-01-01&to=2026-01-01", "to"),
    ])
    func invalidRangesAre422(backend: TestBackend, _ example: (String, String)) async throws {
        let (query, field) = example
        try await withServer(backend: backend) { server in
            try await server.addPerson("agent-1")
            let token = try await server.login("agent-1")
            let r = try await server.request("GET", "/api/v1/performance/kpis?\(query)", token: token)
            #expect(r.status == 422, "\(query): \(r.text)")
            #expect(r.errorCode == "invalid_value")
            let message = try r.decode(ErrorBody.self).error.message
            #expect(message.contains(field), "\(query): '\(message)' should name \(field)")
        }
    }

    @Test(arguments: TestBackend.all) func longestRangeIs366Days(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            try await server.addPerson("agent-1")
            let token = try await server.login("agent-1")
            let r = try await server.request("GET", "/api/v1/performance/kpis?from=2025-01-01&to=2026-01-01", token: token)
            #expect(r.status == 200)
            #expect(try r.decode(KPIReport.self).daily.count == 366)
        }
    }
}
