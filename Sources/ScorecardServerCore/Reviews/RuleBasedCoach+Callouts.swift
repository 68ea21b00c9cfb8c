import ScorecardCore

extension RuleBasedCoach {
    /// One callout per sample whose facts say something: a `concern` when any fact is bad, else a
    /// `positive`. Concerns come first, each group in sample order; samples with no usable facts
    /// get none. References are the samples' own.
    func callouts(_ input: ReviewInput) -> [Callout] {
        var concerns: [Callout] = []
        var positives: [Callout] = []
        for sample in input.samples {
            let facts = SampleFacts(sample: sample, teamAverages: input.teamAverages)
            let (bad, good) = facts.observations()
            if !bad.isEmpty {
                concerns.append(Callout(type: "concern", reference: sample.reference, observation: Self.sentence(bad)))
            } else if !good.isEmpty {
                positives.append(Callout(type: "positive", reference: sample.reference, observation: Self.sentence(good)))
            }
        }
        return Array((concerns + positives).prefix(Self.maxCallouts))
    }

    /// `["missed its SLA", "was escalated"]` → `Missed its SLA and was escalated.`
    static func sentence(_ parts: [String]) -> String {
        let text = ReviewFormat.list(parts)
        return text.prefix(1).uppercased() + text.dropFirst() + "."
    }
}

/// The outcome facts of one sample, read leniently (`true`/`yes`/`1`, numbers as text).
struct SampleFacts {
    let sample: ActivitySample
    let teamAverages: [String: Double]

    /// Late starts from this many minutes are a concern; up to `onTimeMinutes` are on time.
    static let lateMinutes = 15.0
    static let onTimeMinutes = 5.0
    /// Taking this many times the team average is a concern.
    static let slowFactor = 1.5

    func flag(_ key: String) -> Bool? {
        switch sample.facts[key]?.lowercased() {
        case "true", "yes", "1": true
        case "false", "no", "0": false
        default: nil
        }
    }

    func number(_ key: String) -> Double? {
        sample.facts[key].flatMap { Double($0.filter { !$0.isWhitespace }) }.flatMap { $0.isFinite ? $0 : nil }
    }

    /// The team average resolution time for this kind of item.
    var resolutionAverage: Double? {
        switch sample.kind {
        case "ticket": teamAverages["avg_resolution_minutes"]
        case "conversation": teamAverages["avg_conversation_resolution_minutes"]
        default: nil
        }
    }

    /// What went badly and what went well, in a fixed order.
    func observations() -> (bad: [String], good: [String]) {
        var bad: [String] = []
        var good: [String] = []
        let fmt = { (x: Double) in ReviewFormat.value(x, unit: "minutes") }
        switch flag("sla_met") {
        case false?: bad.append("missed its SLA")
        case true?: good.append("met its SLA")
        case nil: break
        }
        if flag("escalated") == true { bad.append("was escalated") }
        if flag("resolved") == false { bad.append("is not resolved") }
        if let minutes = number("resolution_minutes") {
            if let team = resolutionAverage, team > 0 {
                if minutes >= team * Self.slowFactor {
                    bad.append("took \(fmt(minutes)) to resolve against a team average of \(fmt(team))")
                } else if minutes <= team {
                    good.append("was resolved in \(fmt(minutes)) (team average \(fmt(team)))")
                }
            } else if flag("resolved") != false {
                good.append("was resolved in \(fmt(minutes))")
            }
        } else if flag("resolved") == true {
            good.append("was resolved")
        }
        if let minutes = number("first_response_minutes"), let team = teamAverages["avg_first_response_minutes"], team > 0 {
            if minutes >= team * Self.slowFactor {
                bad.append("got its first reply after \(fmt(minutes)) against a team average of \(fmt(team))")
            } else if minutes <= team {
                good.append("got its first reply after \(fmt(minutes)) (team average \(fmt(team)))")
            }
        }
        if let delay = number("delay_minutes") {
            if delay >= Self.lateMinutes {
                bad.append("started \(fmt(delay)) late")
            } else if delay <= Self.onTimeMinutes {
                good.append(delay <= 0 ? "started on time" : "started within \(fmt(delay)) of its slot")
            }
        }
        switch flag("has_notes") {
        case false?: bad.append("was closed without notes")
        case true?: good.append("was documented with notes")
        case nil: break
        }
        if flag("escalated") == false, !good.isEmpty { good.append("needed no escalation") }
        return (bad, good)
    }
}
