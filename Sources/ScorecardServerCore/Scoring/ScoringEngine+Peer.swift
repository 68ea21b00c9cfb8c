import ScorecardCore

extension ScoringEngine {
    /// `results` with each person's peer figures: the group is the people scored in this run who
    /// share the person's team (all active, all with a snapshot for the week), the person included.
    static func withPeerFigures(_ results: [Result], period: ISOWeek, minimumTeamSize: Int) -> [Result] {
        let byTeam = Dictionary(grouping: results.filter { $0.teamID != nil }, by: { $0.teamID! }).mapValues { $0.map(\.composite) }
        return results.map { result in
            var r = result
            r.peer = peerFigures(composite: result.composite, team: result.teamID.flatMap { byTeam[$0] }, period: period, minimumTeamSize: minimumTeamSize)
            return r
        }
    }

    /// One person's peer figures from their composite and their team's composites (theirs
    /// included); `team` nil means no team. The reasons are the peer-comparison endpoint's.
    public static func peerFigures(composite me: Double, team scores: [Double]?, period: ISOWeek, minimumTeamSize minimum: Int) -> PeerFigures {
        guard let scores else { return PeerFigures(hiddenBecause: "you are not in a team") }
        guard scores.count >= minimum else {
            return PeerFigures(hiddenBecause: "fewer than \(minimum) people in your team have scores for \(period); comparison is hidden for privacy")
        }
        let below = scores.filter { $0 < me }.count
        let ties = scores.filter { $0 == me }.count - 1
        let others = scores.count - 1
        let percentile = others == 0 ? 100 : (Double(below) + 0.5 * Double(ties)) / Double(others) * 100
        var counts = Array(repeating: 0, count: 10)
        for s in scores { counts[min(9, max(0, Int(s / 10)))] += 1 }
        return PeerFigures(
            percentile: round(percentile, 1), teamAverage: round(scores.reduce(0, +) / Double(scores.count)), teamSize: scores.count,
            distribution: counts.enumerated().map { PeerFigures.Bucket(from: $0.offset * 10, to: $0.offset * 10 + 10, count: $0.element) })
    }
}
