extension WhatIf {
    /// One `METRIC=VALUE` of a what-if: a scored metric and its value as a snapshot shows it
    /// (percentages in percent).
    public struct Assignment: Sendable, Equatable {
        public var metric: MetricInfo
        public var value: Double

        public init(metric: MetricInfo, value: Double) {
            self.metric = metric
            self.value = value
        }
    }

    /// Parses `METRIC=VALUE` words, in order, checking each key against the catalogue and each
    /// value against what the metric can be.
    public static func parse(_ words: [String]) throws(WhatIfError) -> [Assignment] {
        guard !words.isEmpty else { throw WhatIfError(.malformed, "say which metrics to change, e.g. sla_compliance_rate=95") }
        var assignments: [Assignment] = []
        for word in words {
            guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
                throw WhatIfError(.malformed, "'\(word)' is not METRIC=VALUE, e.g. sla_compliance_rate=95")
            }
            let key = String(word[..<equals]), text = String(word[word.index(after: equals)...])
            guard let metric = MetricCatalogue.metric(key), metric.isScored else {
                if MetricCatalogue.metric(key) != nil {
                    throw WhatIfError(.unknownMetric, "'\(key)' is not a metric a what-if can set; it is computed from the metrics (Tab completes them)")
                }
                throw WhatIfError(.unknownMetric, "unknown metric '\(key)'; the metrics are listed in docs/scoring.md (Tab completes them)")
            }
            guard !assignments.contains(where: { $0.metric.key == key }) else { throw WhatIfError(.repeated, "\(key) is given twice") }
            assignments.append(Assignment(metric: metric, value: try value(text, of: metric)))
        }
        return assignments
    }

    /// `text` as a value of `metric`: a finite number ≥ 0, at most 100 for a percentage, 1–5 for
    /// a rating, whole for a count.
    static func value(_ text: String, of metric: MetricInfo) throws(WhatIfError) -> Double {
        let key = metric.key
        guard let value = Double(text), value.isFinite else {
            throw WhatIfError(.badValue, "\(key)=\(text): not a number")
        }
        guard value >= 0 else { throw WhatIfError(.badValue, "\(key)=\(text): must be 0 or more") }
        switch metric.unit {
        case "percent" where value > 100: throw WhatIfError(.badValue, "\(key)=\(text): a percentage is 0 to 100")
        case "rating" where !(1...5).contains(value): throw WhatIfError(.badValue, "\(key)=\(text): a rating is 1 to 5")
        case "count" where value != value.rounded(): throw WhatIfError(.badValue, "\(key)=\(text): a count is a whole number")
        default: return value
        }
    }
}
