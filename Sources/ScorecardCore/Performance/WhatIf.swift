/// A what-if on a snapshot: its domain scores and composite recomputed with some metric values
/// replaced, offline, with the formulas the server scores with (``MetricInfo/points(input:baseline:)``),
/// the snapshot's stored team baselines and its stored effective weights (docs/scoring.md, "What-if").
///
/// Only the change is computed: a domain's score after is its stored score plus, for each metric
/// replaced, the new points less the points of the stored value; the composite after is the stored
/// composite plus each domain's change times its stored weight. So a metric set to its stored value
/// changes nothing, and the domains left alone keep their stored scores exactly.
public struct WhatIf: Sendable, Equatable {
    /// One replaced metric: its value and points before (as stored) and after.
    public struct Metric: Sendable, Equatable {
        public var key: String
        public var domain: Domain
        /// The stored value; nil when no event had one (e.g. no CSAT rating).
        public var valueBefore: Double?
        public var valueAfter: Double
        public var pointsBefore: Double
        public var pointsAfter: Double
        public var maxPoints: Double
    }

    /// One scored domain of the week, before and after (two decimals).
    public struct DomainChange: Sendable, Equatable {
        public var domain: Domain
        public var before: Double
        public var after: Double
        /// The stored effective weight, percent.
        public var weight: Double
    }

    /// The snapshot's week, `YYYY-Www`.
    public var period: String
    public var compositeBefore: Double
    public var compositeAfter: Double
    /// Every scored domain of the week, in seed order.
    public var domains: [DomainChange]
    /// The replaced metrics, in the order given.
    public var metrics: [Metric]

    /// The what-if of `assignments` on `snapshot`. Throws when a metric's domain has no score that
    /// week, or when a metric compared with a team baseline meets a snapshot that stored none.
    public init(snapshot: Snapshot, assignments: [Assignment]) throws(WhatIfError) {
        let byDomain = Dictionary(snapshot.domains.map { ($0.domain, $0) }, uniquingKeysWith: { a, _ in a })
        var metrics: [Metric] = []
        var deltas: [Domain: Double] = [:]
        for a in assignments {
            let metric = a.metric
            guard let domain = metric.domain, let scored = byDomain[domain] else {
                let d = metric.domain?.rawValue ?? "no"
                throw WhatIfError(
                    .domainNotScored,
                    "\(metric.key) is a \(d) metric and \(snapshot.period) has no \(d) score (no \(d) activity that week); `scores` lists the week's domains")
            }
            let baseline: Double?
            if metric.formula?.usesBaseline == true, snapshot.teamID != nil {
                guard let stored = snapshot.teamBaselines else {
                    throw WhatIfError(
                        .baselinesNotStored,
                        "\(snapshot.period) was scored before team baselines were stored, and \(metric.key) is compared with one; they are stored when the week is scored again")
                }
                baseline = stored[metric.key]
            } else {
                baseline = snapshot.teamBaselines?[metric.key]
            }
            let stored = scored.metrics[metric.key]
            let old = metric.points(input: metric.input(forValue: stored), baseline: baseline)
            let new = metric.points(input: metric.input(forValue: a.value), baseline: baseline)
            deltas[domain, default: 0] += new - old
            metrics.append(
                Metric(
                    key: metric.key, domain: domain, valueBefore: stored, valueAfter: a.value,
                    pointsBefore: scored.metrics[metric.key + "_points"] ?? ScoringMath.round(old), pointsAfter: ScoringMath.round(new),
                    maxPoints: metric.maxPoints))
        }
        var composite = snapshot.compositeScore
        var domains: [DomainChange] = []
        for d in snapshot.domains.sorted(by: { $0.domain < $1.domain }) {
            let weight = snapshot.weights[d.domain.rawValue] ?? 0
            let after = deltas[d.domain].map { Swift.min(100, Swift.max(0, d.rawScore + $0)) } ?? d.rawScore
            composite += (after - d.rawScore) * weight / 100
            domains.append(DomainChange(domain: d.domain, before: d.rawScore, after: ScoringMath.round(after), weight: weight))
        }
        period = snapshot.period
        compositeBefore = snapshot.compositeScore
        compositeAfter = ScoringMath.round(Swift.min(100, Swift.max(0, composite)))
        self.domains = domains
        self.metrics = metrics
    }
}
