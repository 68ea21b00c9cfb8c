import ScorecardCore

extension ScoringEngine.Result {
    /// The week's snapshot this result makes, as new (version 1, created and updated at `stamp`).
    public func snapshot(period: ISOWeek, stamp: String) -> Snapshot {
        Snapshot(
            personID: personID, period: period, compositeScore: composite,
            domainScores: Dictionary(uniqueKeysWithValues: domains.map { ($0.domain.rawValue, $0.rawScore) }),
            weights: Dictionary(uniqueKeysWithValues: weights.map { ($0.key.rawValue, $0.value) }),
            teamID: teamID, teamType: teamType?.rawValue, salesActivityRatio: salesActivityRatio,
            domains: domains, peer: peer, teamBaselines: teamBaselines, createdAt: stamp, updatedAt: stamp, version: 1)
    }
}

extension Snapshot {
    /// This new snapshot as a rewrite of the stored `old` one: nil when only the timestamps and
    /// version would differ (the store leaves it alone, no feed entry); else it keeps `old`'s
    /// `created_at` and moves the version on.
    public func rewriting(_ old: Snapshot) -> Snapshot? {
        var same = self
        same.createdAt = old.createdAt
        same.updatedAt = old.updatedAt
        same.version = old.version
        if same == old { return nil }
        var rewritten = self
        rewritten.createdAt = old.createdAt
        rewritten.version = old.version + 1
        return rewritten
    }
}
