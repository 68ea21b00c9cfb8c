import ScorecardCore

/// The call KPIs of a person over UTC days: what `GET /api/v1/performance/kpis` answers and the
/// My Performance page shows (two reads, then the calculator the client shares).
public enum KPIs {
    public static func report(personID: String, from: CivilDate, to: CivilDate, store: any ServerStore) async throws -> KPIReport {
        async let calls = store.calls(personID: personID, from: from, to: to)
        async let summaries = store.daySummaries(personID: personID, from: from, to: to)
        return KPICalculator.report(personID: personID, from: from, to: to, calls: try await calls, summaries: try await summaries)
    }
}
