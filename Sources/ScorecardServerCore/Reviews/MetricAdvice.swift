import ScorecardCore

/// How reviews talk about one metric: a label for people, the recommendation category, one
/// concrete action, and the scoring formula of seed 002 used to estimate what a target is worth.
struct MetricAdvice: Sendable {
    /// How the metric's points depend on its value (seed 002, "Domain Score Formulas").
    enum Formula: Sendable {
        /// `max × value / 100` (completion, compliance and coverage rates).
        case percentUp
        /// `max × (1 − value / 100)` (escalation and blocked rates).
        case percentDown
        /// `max × rating / 5`.
        case rating
        /// `max × min(1, chars / 100)`.
        case noteLength
        /// `max × max(0, 1 − minutes / 60)`.
        case delay
        /// `max × max(0, 1 − agent / team)`: needs the team average.
        case fasterThanTeam
        /// `min(max, agent / team × max)`: needs the team average.
        case shareOfTeam
    }

    let label: String
    let category: String
    let action: String
    let formula: Formula

    /// The advice for a catalogue metric; a plain fallback for keys the table does not know.
    static func of(_ info: MetricInfo) -> MetricAdvice {
        if let advice = table[info.key] { return advice }
        let formula: Formula = info.unit == "percent" ? (info.lowerIsBetter ? .percentDown : .percentUp) : .shareOfTeam
        return MetricAdvice(
            label: info.summary, category: info.key, action: "Review what drives \(info.summary.lowercased()) with your manager.",
            formula: formula)
    }

    static let table: [String: MetricAdvice] = [
        "sla_compliance_rate": .init(
            label: "SLA compliance", category: "sla",
            action: "Work the queue in SLA-deadline order and raise any ticket at risk of breaching an hour before its deadline.",
            formula: .percentUp),
        "avg_resolution_minutes": .init(
            label: "Ticket resolution time", category: "resolution_time",
            action: "Use the team's saved replies for recurring issues and hand over tickets blocked on others instead of holding them.",
            formula: .fasterThanTeam),
        "escalation_rate": .init(
            label: "Escalation rate", category: "escalations",
            action: "Before escalating, check the knowledge base and ask a senior colleague; note what was tried on the ticket.",
            formula: .percentDown),
        "csat_avg": .init(
            label: "CSAT", category: "customer_satisfaction",
            action: "Confirm the fix with the customer before closing and summarise what was done in the closing reply.",
            formula: .rating),
        "task_completion_rate": .init(
            label: "Task completion", category: "task_completion",
            action: "Review open tasks at the start of each day and agree new dates early for those that will not finish.",
            formula: .percentUp),
        "on_time_rate": .init(
            label: "On-time delivery", category: "on_time_delivery",
            action: "Plan the week against due dates and flag slipping tasks before they are late.", formula: .percentUp),
        "effort_accuracy": .init(
            label: "Effort accuracy", category: "estimation",
            action: "Compare estimates with actual effort each week and adjust the next estimates accordingly.",
            formula: .percentUp),
        "blocked_rate": .init(
            label: "Blocked task rate", category: "blockers",
            action: "Raise blockers in the daily check-in the day they appear and name who can unblock them.",
            formula: .percentDown),
        "work_order_completion_rate": .init(
            label: "Work order completion", category: "work_order_completion",
            action: "Check parts and access the day before each visit so work orders can be finished in one trip.",
            formula: .percentUp),
        "avg_schedule_delay_minutes": .init(
            label: "Schedule delay", category: "schedule_adherence",
            action: "Leave buffer between visits and tell dispatch as soon as a job overruns.", formula: .delay),
        "duration_accuracy": .init(
            label: "Duration accuracy", category: "estimation",
            action: "Record actual job durations and use them to correct the estimates of similar work orders.",
            formula: .percentUp),
        "documentation_rate": .init(
            label: "Documentation rate", category: "documentation",
            action: "Add completion notes (work done, parts used, follow-ups) before closing each work order.",
            formula: .percentUp),
        "avg_first_response_minutes": .init(
            label: "First response time", category: "response_time",
            action: "Check the inbox at fixed intervals and acknowledge new conversations first, even before the full answer.",
            formula: .fasterThanTeam),
        "avg_conversation_resolution_minutes": .init(
            label: "Conversation resolution time", category: "resolution_time",
            action: "Ask for all the details needed in the first reply so conversations resolve in fewer exchanges.",
            formula: .fasterThanTeam),
        "conversations_resolved": .init(
            label: "Conversations resolved", category: "throughput",
            action: "Close conversations once the customer confirms the answer instead of leaving them open.",
            formula: .shareOfTeam),
        "channel_coverage": .init(
            label: "Channel coverage", category: "channel_coverage",
            action: "Take turns on the channels you use least (chat, email, social) so every channel has cover.",
            formula: .percentUp),
        "win_rate": .init(
            label: "Win rate", category: "win_rate",
            action: "Qualify leads earlier and focus follow-ups on those with a confirmed budget and timeline.",
            formula: .percentUp),
        "pipeline_value": .init(
            label: "Pipeline value", category: "pipeline",
            action: "Block time each week for prospecting and log every new opportunity with its value.",
            formula: .shareOfTeam),
        "quote_acceptance_rate": .init(
            label: "Quote acceptance", category: "quotes",
            action: "Follow up every quote within two working days and address objections before it expires.",
            formula: .percentUp),
        "lead_messages": .init(
            label: "Lead activity", category: "sales_activity",
            action: "Set a daily number of follow-ups to open leads and log each one.", formula: .shareOfTeam),
        "contact_completeness": .init(
            label: "Contact completeness", category: "data_completeness",
            action: "Fill in missing contact fields whenever you touch a contact record.", formula: .percentUp),
        "org_completeness": .init(
            label: "Organisation completeness", category: "data_completeness",
            action: "Complete missing organisation fields when working an account.", formula: .percentUp),
        "tagging_rate": .init(
            label: "Tagging", category: "tagging",
            action: "Tag every ticket and conversation before closing it.", formula: .percentUp),
        "avg_note_length": .init(
            label: "Note length", category: "documentation",
            action: "Write notes that say what was found, what was done and what comes next (100+ characters).",
            formula: .noteLength),
    ]
}
