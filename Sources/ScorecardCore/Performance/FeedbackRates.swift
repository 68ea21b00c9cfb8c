/// Seed 001's feedback rates over a set of entries: each of the correction, enhancement and
/// approval types as a percentage of all the entries (one decimal, half away from zero; nil when
/// there are none), and the innovation count. The server's feedback dashboard and the client's
/// `feedback --summary` both compute them here (docs/scoring.md, "Feedback rates").
public struct FeedbackRates: Codable, Sendable, Equatable {
    /// The three rates, in percent of ``total``.
    public struct Rates: Codable, Sendable, Equatable {
        public var correction: Double?
        public var enhancement: Double?
        public var approval: Double?

        public init(correction: Double?, enhancement: Double?, approval: Double?) {
            self.correction = correction
            self.enhancement = enhancement
            self.approval = approval
        }

        enum CodingKeys: String, CodingKey { case correction, enhancement, approval }

        /// Each key always present: `null` when there is no rate.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(correction, forKey: .correction)
            try c.encode(enhancement, forKey: .enhancement)
            try c.encode(approval, forKey: .approval)
        }
    }

    public var total: Int
    public var corrections: Int
    public var enhancements: Int
    public var approvals: Int
    public var innovationCount: Int
    public var rates: Rates

    enum CodingKeys: String, CodingKey {
        case total, corrections, enhancements, approvals, rates
        case innovationCount = "innovation_count"
    }

    /// The rates of entries counted by type.
    public init(counts: [FeedbackType: Int]) {
        total = counts.values.reduce(0, +)
        corrections = counts[.correction] ?? 0
        enhancements = counts[.enhancement] ?? 0
        approvals = counts[.approval] ?? 0
        innovationCount = counts[.innovation] ?? 0
        rates = Rates(
            correction: FeedbackRates.percent(corrections, of: total), enhancement: FeedbackRates.percent(enhancements, of: total),
            approval: FeedbackRates.percent(approvals, of: total))
    }

    /// The rates of these entries.
    public init(_ entries: some Sequence<FeedbackEntry>) {
        var counts: [FeedbackType: Int] = [:]
        for entry in entries { counts[entry.feedbackType, default: 0] += 1 }
        self.init(counts: counts)
    }

    /// `part` of `total` in percent to one decimal (half away from zero); nil when `total` is 0.
    public static func percent(_ part: Int, of total: Int) -> Double? {
        guard total > 0 else { return nil }
        return (Double(part) / Double(total) * 1000).rounded(.toNearestOrAwayFromZero) / 10
    }

    /// Each rate's change against `earlier` in percentage points (nil where either is nil).
    public func change(since earlier: FeedbackRates) -> Rates {
        func delta(_ a: Double?, _ b: Double?) -> Double? {
            guard let a, let b else { return nil }
            return ((a - b) * 10).rounded(.toNearestOrAwayFromZero) / 10
        }
        return Rates(
            correction: delta(rates.correction, earlier.rates.correction), enhancement: delta(rates.enhancement, earlier.rates.enhancement),
            approval: delta(rates.approval, earlier.rates.approval))
    }
}
