import ScorecardCore

/// One scored metric of a snapshot, with what the rule-based coach derives from it.
struct MetricResult: Sendable {
    let domain: Domain
    let info: MetricInfo
    let advice: MetricAdvice
    let value: Double
    /// The points it earned (`<key>_points` in the domain's metrics).
    let points: Double
    /// The domain's effective weight in percent.
    let weight: Double
    let teamAverage: Double?
    /// Position in the snapshot (domain order, then scoring order): the last tie-breaker.
    let order: Int

    /// Earned points as a share of the metric's maximum, 0…1.
    var share: Double { min(1, max(0, points / info.maxPoints)) }

    /// Composite points lost on this metric: what full points would add to the composite.
    var compositeGap: Double { max(0, info.maxPoints - points) * weight / 100 }

    /// Every scored metric of `snapshot` whose value and points are both present, in order.
    static func all(in snapshot: Snapshot, teamAverages: [String: Double]) -> [MetricResult] {
        var results: [MetricResult] = []
        for score in snapshot.domains {
            let weight = effectiveWeight(of: score, in: snapshot)
            for info in MetricCatalogue.metrics(of: score.domain) where info.maxPoints > 0 {
                guard let value = score.metrics[info.key], let points = score.metrics[info.key + "_points"], value.isFinite, points.isFinite
                else { continue }
                results.append(
                    MetricResult(
                        domain: score.domain, info: info, advice: .of(info), value: value, points: min(info.maxPoints, max(0, points)),
                        weight: weight, teamAverage: teamAverages[info.key], order: results.count))
            }
        }
        return results
    }

    /// The snapshot's weight for the domain, else the one implied by weighted / raw score, else an equal share.
    static func effectiveWeight(of score: DomainScore, in snapshot: Snapshot) -> Double {
        if let w = snapshot.weights[score.domain.rawValue] { return w }
        if score.rawScore > 0 { return score.weightedScore / score.rawScore * 100 }
        return 100 / Double(max(1, snapshot.domains.count))
    }

    /// The next target: the seed's "good" level or the team average, whichever is better, and a
    /// step beyond the current value when that is already reached.
    var target: Double {
        let team = teamAverage.flatMap { $0 > 0 ? $0 : nil }
        switch advice.formula {
        case .percentUp:
            let goal = max(90, team ?? 0)
            return value >= goal ? min(100, value + 5) : goal
        case .percentDown:
            let goal = min(10, team ?? 10)
            return value <= goal ? max(0, value - 5) : goal
        case .rating:
            let goal = max(4.5, team ?? 0)
            return value >= goal ? min(5, value + 0.25) : goal
        case .noteLength:
            return 100
        case .delay, .fasterThanTeam:
            // At least 20% quicker, and at least as quick as the team.
            return min(value * 0.8, team ?? .infinity)
        case .shareOfTeam:
            return max(value * 1.2, team ?? 0)
        }
    }

    /// The points the metric would earn at `value`, nil when that needs a team average we lack.
    func points(at value: Double) -> Double? {
        let full = info.maxPoints
        let team = teamAverage.flatMap { $0 > 0 ? $0 : nil }
        let raw: Double
        switch advice.formula {
        case .percentUp: raw = full * value / 100
        case .percentDown: raw = full * (1 - value / 100)
        case .rating: raw = full * value / 5
        case .noteLength: raw = full * min(1, value / 100)
        case .delay: raw = full * (1 - value / 60)
        case .fasterThanTeam:
            guard let team else { return nil }
            raw = full * (1 - value / team)
        case .shareOfTeam:
            guard let team else { return nil }
            raw = full * value / team
        }
        return min(full, max(0, raw))
    }

    /// Points gained in the domain if ``target`` is reached, nil when it cannot be estimated.
    var targetGain: Double? {
        guard let reached = points(at: target) else { return nil }
        let gain = reached - points
        return gain >= 0.05 ? gain : nil
    }

    /// True when the value is better than the team average.
    var beatsTeam: Bool? {
        guard let team = teamAverage, ReviewFormat.value(team, unit: info.unit) != ReviewFormat.value(value, unit: info.unit) else {
            return nil
        }
        return info.lowerIsBetter ? value < team : value > team
    }

    /// `SLA compliance 72%`.
    var labelled: String { "\(advice.label) \(ReviewFormat.value(value, unit: info.unit))" }

    /// The label inside a sentence: `ticket resolution time`, but `SLA compliance`.
    var midSentenceLabel: String { ReviewFormat.midSentence(advice.label) }

    /// `28.8 of 40 points in support`.
    var pointsPhrase: String {
        "\(ReviewFormat.number(points)) of \(ReviewFormat.number(info.maxPoints)) points in \(ReviewFormat.domain(domain))"
    }
}

/// Number and label formatting shared by the coaches: deterministic, locale-free.
enum ReviewFormat {
    /// One decimal at most, no trailing `.0`: `72`, `72.5`, `-3`.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        let rounded = (x * 10).rounded() / 10
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        return String(rounded)
    }

    /// A metric value with its unit: `72%`, `95 min`, `4.2/5`, `85 chars`, `12500`.
    static func value(_ x: Double, unit: String) -> String {
        switch unit {
        case "percent": "\(number(x))%"
        case "minutes": "\(number(x)) min"
        case "rating": "\(number(x))/5"
        case "chars": "\(number(x)) chars"
        case "currency": number(x.rounded())
        default: number(x)
        }
    }

    /// `field service` for `.fieldService`.
    static func domain(_ d: Domain) -> String { String(d.rawValue.map { $0 == "_" ? " " : $0 }) }

    /// `Ticket resolution time` → `ticket resolution time`; acronyms (`SLA`, `CSAT`) stay.
    static func midSentence(_ label: String) -> String {
        let letters = Array(label.prefix(2))
        guard letters.count == 2, letters[0].isUppercase, !letters[1].isUppercase else { return label }
        return label.prefix(1).lowercased() + label.dropFirst()
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
