import ScorecardCore

/// A person's scorecard: the agent detail page (managers) and My scorecard (oneself) share it.
struct ScorecardView {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Stat {
        var label: String
        var value: String
        var note: String
        var valueClass: String
    }

    struct TrendRow {
        var week: String
        var score: String
    }

    struct RadarRow {
        var domain: String
        var current: String
        var previous: String
    }

    struct MetricLine {
        var label: String
        var value: String
        var points: String
    }

    struct DomainCard {
        var name: String
        var key: String
        var raw: String
        var rawClass: String
        var weight: String
        var weighted: String
        var metrics: [MetricLine]
        var active: Bool
    }

    struct Callout {
        var label: String
        var domain: String
        var value: String
        var points: String
    }

    struct ReviewItem {
        var href: String
        var period: String
        var score: String
        var summary: String
        var acknowledged: Bool
        var created: String
    }

    struct Peer {
        var available: Bool
        var reason: String
        var percentile: String
        var teamAverage: String
        var yourScore: String
        var teamSize: String
        var histogram: String
        var buckets: [TeamOverviewView.Bucket]
    }

    struct Banner {
        var count: Int
        var plural: Bool
        var href: String
    }

    var isSelf: Bool
    var personID: String
    var personName: String
    var teamName: String
    var roleLabel: String
    var backHref: String?
    var periodLabel: String
    var periodAction: String
    var weeks: [Option]
    var hasSnapshot: Bool
    var stats: [Stat]
    var trend: String
    var trendRows: [TrendRow]
    var radar: String
    var radarRows: [RadarRow]
    var domains: [DomainCard]
    var best: [Callout]
    var worst: [Callout]
    var hasCallouts: Bool
    var goals: GoalsView
    var reviews: [ReviewItem]
    var hasReviews: Bool
    var canGenerate: Bool
    var generateAction: String
    var csrf: String
    var callsHref: String
    var alert: String?
    var notice: String?
    var peer: Peer?
    var banner: Banner?

    /// Everything the page shows, from what the services read.
    struct Inputs {
        var person: Person
        var teamName: String?
        var snapshot: Snapshot?
        var history: ScoreHistory
        var goals: [Goal]
        var reviews: [Review]
        var threshold: Double
        var peer: PeerComparison?
        var isSelf: Bool
        var canGenerate: Bool
        var today: CivilDate
    }

    static func make(_ input: Inputs, session: WebSession, overlay: ScorecardOverlay) -> ScorecardView {
        let person = input.person
        let basePath = input.isSelf ? "/agent/my-performance" : "/admin/performance/agents/\(PageRedirect.escape(person.id))"
        let series = input.history.series(person.id)
        let labels = input.history.weeks.map { "W" + $0.suffix(2) }
        let composites = series?.composite ?? []
        let snapshot = input.snapshot
        let weekIndex = snapshot.flatMap { input.history.weeks.firstIndex(of: $0.period) }
        let previousComposite = weekIndex.flatMap { $0 > 0 ? composites[$0 - 1] : nil }
        let previousDomains = weekIndex.flatMap { $0 > 0 ? series?.domainScores[$0 - 1] : nil }
        let change = snapshot.flatMap { s in previousComposite.map { ScoringEngine.round(s.compositeScore - $0) } }
        let threshold = input.threshold

        var stats = [
            Stat(label: "Composite", value: Format.score(snapshot?.compositeScore), note: Format.scoreWords(snapshot?.compositeScore, threshold: threshold),
                 valueClass: Format.scoreClass(snapshot?.compositeScore, threshold: threshold)),
            Stat(label: "Change", value: Format.change(change), note: previousComposite.map { "Previous week \(Format.score($0))" } ?? "Not scored the week before",
                 valueClass: Format.changeClass(change)),
        ]
        if let best = snapshot?.domains.max(by: { ($0.rawScore, $1.domain) < ($1.rawScore, $0.domain) }) {
            stats.append(Stat(label: "Strongest domain", value: Format.domain(best.domain), note: "Raw score \(Format.score(best.rawScore))", valueClass: "text"))
        }
        let active = input.goals.filter { $0.status == .active }.count
        stats.append(Stat(label: "Active goals", value: String(active), note: "\(input.goals.filter { $0.status == .achieved }.count) achieved", valueClass: ""))

        let trendPoints = zip(labels, composites).map { ($0, $1) }
        let radarAxes = Domain.allCases.map(Format.domain)
        let current = Domain.allCases.map { snapshot?.domainScores[$0.rawValue] }
        let previous = previousDomains.map { d in Domain.allCases.map { d[$0.rawValue] } }
        let domains = Domain.allCases.map { domain -> DomainCard in
            guard let score = snapshot?.domains.first(where: { $0.domain == domain }) else {
                return DomainCard(name: Format.domain(domain), key: domain.rawValue, raw: "—", rawClass: "", weight: "", weighted: "", metrics: [], active: false)
            }
            let lines = MetricCatalogue.metrics(of: domain).compactMap { info -> MetricLine? in
                guard let value = score.metrics[info.key] else { return nil }
                let points = score.metrics[info.key + "_points"].map { "\(SVG.number($0, places: 1)) / \(SVG.number(info.maxPoints)) pts" } ?? ""
                return MetricLine(label: Format.metric(info.key), value: Format.metricValue(value, unit: info.unit), points: points)
            }
            return DomainCard(
                name: Format.domain(domain), key: domain.rawValue, raw: Format.score(score.rawScore), rawClass: Format.scoreClass(score.rawScore, threshold: threshold),
                weight: snapshot?.weights[domain.rawValue].map { "weight \(SVG.number($0, places: 1))%" } ?? "",
                weighted: "adds \(Format.score(score.weightedScore))", metrics: lines, active: true)
        }
        let (best, worst) = ScorecardView.callouts(snapshot)
        let unacknowledged = input.reviews.filter { !$0.isAcknowledged }
        let reviewBase = input.isSelf ? "/agent/my-performance/reviews/" : "/admin/performance/reviews/"
        let weekOptions = input.history.weeks.reversed().map { w in
            Option(value: w, label: ISOWeek(w).map(Format.week) ?? w, selected: w == snapshot?.period)
        }
        return ScorecardView(
            isSelf: input.isSelf, personID: person.id, personName: person.name, teamName: input.teamName ?? "No team",
            roleLabel: person.role.rawValue.capitalized, backHref: input.isSelf ? nil : "/admin/performance/team\(person.teamID.map { "?team_id=\(PageRedirect.escape($0))" } ?? "")",
            periodLabel: snapshot.flatMap { ISOWeek($0.period) }.map(Format.week) ?? "No scores for this week",
            periodAction: input.isSelf ? "/agent/my-performance" : basePath, weeks: weekOptions, hasSnapshot: snapshot != nil, stats: stats,
            trend: TrendChart(points: trendPoints, threshold: threshold).svg,
            trendRows: zip(input.history.weeks, composites).map { TrendRow(week: $0, score: Format.score($1)) },
            radar: RadarChart(axes: radarAxes, current: current, previous: previous, currentLabel: snapshot?.period ?? "This week",
                              previousLabel: weekIndex.flatMap { $0 > 0 ? input.history.weeks[$0 - 1] : nil } ?? "Previous week").svg,
            radarRows: Domain.allCases.enumerated().map { i, d in
                RadarRow(domain: Format.domain(d), current: Format.score(current[i]), previous: Format.score(previous?[i] ?? nil))
            },
            domains: domains, best: best, worst: worst, hasCallouts: !best.isEmpty || !worst.isEmpty,
            goals: GoalsView.make(goals: input.goals, basePath: basePath, csrf: session.csrf, today: input.today, overlay: overlay),
            reviews: input.reviews.prefix(4).map { r in
                ReviewItem(
                    href: reviewBase + PageRedirect.escape(r.id), period: ISOWeek(containing: CivilDate(r.periodStart) ?? input.today).description,
                    score: Format.score(r.compositeScore), summary: r.summary, acknowledged: r.isAcknowledged, created: Format.timestamp(r.createdAt))
            },
            hasReviews: !input.reviews.isEmpty, canGenerate: input.canGenerate, generateAction: basePath + "/generate-review", csrf: session.csrf,
            callsHref: basePath + "/calls", alert: overlay.alert, notice: overlay.notice,
            peer: input.peer.map(ScorecardView.peer),
            banner: input.isSelf && !unacknowledged.isEmpty
                ? Banner(count: unacknowledged.count, plural: unacknowledged.count > 1, href: reviewBase + PageRedirect.escape(unacknowledged[0].id)) : nil)
    }

    /// The two metrics with the best and the two with the worst share of their points.
    static func callouts(_ snapshot: Snapshot?) -> ([Callout], [Callout]) {
        guard let snapshot else { return ([], []) }
        var scored: [(share: Double, order: Int, callout: Callout)] = []
        for score in snapshot.domains {
            for info in MetricCatalogue.metrics(of: score.domain) where info.maxPoints > 0 {
                guard let value = score.metrics[info.key], let points = score.metrics[info.key + "_points"] else { continue }
                scored.append((points / info.maxPoints, scored.count, Callout(
                    label: Format.metric(info.key), domain: Format.domain(score.domain), value: Format.metricValue(value, unit: info.unit),
                    points: "\(SVG.number(points, places: 1)) of \(SVG.number(info.maxPoints)) points")))
            }
        }
        let best = scored.filter { $0.share > 0 }.sorted { ($0.share, -$0.order) > ($1.share, -$1.order) }.prefix(2)
        let bestOrders = Set(best.map(\.order))
        let worst = scored.filter { !bestOrders.contains($0.order) && $0.share < 1 }.sorted { ($0.share, $0.order) < ($1.share, $1.order) }.prefix(2)
        return (best.map(\.callout), worst.map(\.callout))
    }

    static func peer(_ p: PeerComparison) -> Peer {
        let buckets = (p.distribution ?? []).map { TeamOverviewView.Bucket(label: $0.range.replacingOccurrences(of: "-", with: "–"), count: $0.count) }
        let mine = p.yourScore.map { min(9, max(0, Int($0 / 10))) }
        return Peer(
            available: p.available, reason: p.reason ?? "", percentile: Format.percent(p.percentile), teamAverage: Format.score(p.teamAverage),
            yourScore: Format.score(p.yourScore), teamSize: p.teamSize.map { String($0) } ?? "—",
            histogram: p.available ? Histogram(buckets: buckets.map { ($0.label, $0.count) }, highlight: mine, unit: "people", title: "Team score distribution (you highlighted)").svg : "",
            buckets: buckets)
    }
}
