import ScorecardCore

/// The goals section of a scorecard: the goals with progress bars, their edit forms, the create
/// form, and a stale edit's conflict.
struct GoalsView {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct OptionGroup {
        var label: String
        var options: [Option]
    }

    /// The values a goal form shows (a goal's, or what was just submitted), with its options.
    struct Form {
        var label: String
        var targetValue: String
        var deadline: String
        var domains: [Option]
        var metrics: [OptionGroup]
        var comparisons: [Option]

        init(label: String, targetValue: String, deadline: String, domain: String, metricKey: String, comparison: String) {
            self.label = label
            self.targetValue = targetValue
            self.deadline = deadline
            domains = Domain.allCases.map { Option(value: $0.rawValue, label: Format.domain($0), selected: $0.rawValue == domain) }
            var groups = [OptionGroup(label: "Any domain", options: MetricCatalogue.all.filter { $0.domain == nil }.map {
                Option(value: $0.key, label: Format.metric($0.key), selected: $0.key == metricKey)
            })]
            for d in Domain.allCases {
                groups.append(OptionGroup(label: Format.domain(d), options: MetricCatalogue.metrics(of: d).map {
                    Option(value: $0.key, label: Format.metric($0.key), selected: $0.key == metricKey)
                }))
            }
            metrics = groups
            comparisons = [Option(value: "gte", label: "at least (higher is better)", selected: comparison != "lte"),
                           Option(value: "lte", label: "at most (lower is better)", selected: comparison == "lte")]
        }

        init(goal: Goal) {
            self.init(
                label: goal.label, targetValue: SVG.number(goal.targetValue, places: 4), deadline: goal.deadline, domain: goal.domain.rawValue,
                metricKey: goal.metricKey, comparison: goal.comparison.rawValue)
        }

        init(form: FormBody) {
            self.init(
                label: form["label"] ?? "", targetValue: form["target_value"] ?? "", deadline: form["deadline"] ?? "",
                domain: form["domain"] ?? "", metricKey: form["metric_key"] ?? "", comparison: form["comparison"] ?? "")
        }
    }

    struct Item {
        var id: String
        var label: String
        var summary: String
        var statusLabel: String
        var statusClass: String
        var progress: String
        var progressText: String
        var currentValue: String
        var editable: Bool
        var editAction: String
        var cancelAction: String
        var version: Int
        var base: Form
        var form: Form
        var error: String?
        var open: Bool
    }

    /// A stale edit: the goal changed since the form was opened.
    struct Conflict {
        struct Change {
            var field: String
            var opened: String
            var now: String
            var yours: String
        }

        var label: String
        var version: Int
        var changes: [Change]
    }

    var items: [Item]
    var hasItems: Bool
    var canCreate: Bool
    var createAction: String
    var csrf: String
    var form: Form
    var error: String?
    var openCreate: Bool
    var conflict: Conflict?

    /// The section for `goals`, editable through `basePath` (`/agent/my-performance` or
    /// `/admin/performance/agents/ID`), with an optional error or conflict from the last post.
    static func make(goals: [Goal], basePath: String, csrf: String, today: CivilDate, overlay: ScorecardOverlay) -> GoalsView {
        let items = goals.sorted { ($0.status != .active ? 1 : 0, $0.deadline, $0.id) < ($1.status != .active ? 1 : 0, $1.deadline, $1.id) }.map { goal -> Item in
            let editable = goal.status == .active
            let mine = overlay.goalID == goal.id
            var item = Item(
                id: goal.id, label: goal.label,
                summary: "\(Format.metric(goal.metricKey)) \(goal.comparison == .lte ? "≤" : "≥") \(SVG.number(goal.targetValue, places: 2)) · \(Format.domain(goal.domain)) · by \(goal.deadline)",
                statusLabel: goal.status.rawValue.capitalized, statusClass: ["achieved": "good", "missed": "bad", "canceled": "", "active": "info"][goal.status.rawValue] ?? "",
                progress: "", progressText: "", currentValue: goal.currentValue.map { SVG.number($0, places: 2) } ?? "no value yet",
                editable: editable, editAction: "\(basePath)/goals/\(PageRedirect.escape(goal.id))",
                cancelAction: "\(basePath)/goals/\(PageRedirect.escape(goal.id))/cancel", version: goal.version, base: Form(goal: goal),
                form: mine && overlay.form != nil ? Form(form: overlay.form!) : Form(goal: goal), error: mine ? overlay.goalError : nil, open: mine)
            let fraction = GoalsView.progress(goal)
            item.progressText = fraction.map { "\(SVG.number($0 * 100, places: 0))% of the way" } ?? "No value yet"
            item.progress = ProgressBar(
                fraction: fraction ?? 0, label: "\(goal.label): \(item.progressText); current \(item.currentValue), target \(SVG.number(goal.targetValue, places: 2))",
                tone: goal.status == .achieved ? "done" : (goal.status == .missed ? "warn" : "")).svg
            return item
        }
        let creating = overlay.goalID == "" && overlay.form != nil
        return GoalsView(
            items: items, hasItems: !items.isEmpty, canCreate: true, createAction: "\(basePath)/goals", csrf: csrf,
            form: creating ? Form(form: overlay.form!) : Form(label: "", targetValue: "", deadline: today.adding(days: 28).description, domain: "support", metricKey: "composite_score", comparison: "gte"),
            error: creating ? overlay.goalError : nil, openCreate: creating, conflict: overlay.conflict)
    }

    /// How far a goal is towards its target, 0…1; nil without a current value.
    static func progress(_ goal: Goal) -> Double? {
        if goal.status == .achieved { return 1 }
        guard let current = goal.currentValue else { return nil }
        switch goal.comparison {
        case .gte: return goal.targetValue <= 0 ? 1 : min(1, max(0, current / goal.targetValue))
        case .lte: return current <= goal.targetValue ? 1 : (current <= 0 ? 0 : min(1, max(0, goal.targetValue / current)))
        }
    }
}
