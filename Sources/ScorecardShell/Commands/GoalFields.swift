import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore

/// Goal field values as typed on the command line (`label=…`, `target=95`), checked the way the
/// server checks them, except the metric key: the server's catalogue decides that one (a newer
/// server may know more metrics than this client).
enum GoalFields {
    /// Short names the commands accept, and the wire names they stand for.
    static let aliases = ["target": "target_value", "metric": "metric_key"]

    /// The wire name for a typed field name, or a usage error listing the choices.
    static func wireName(_ name: String) throws -> String {
        let wire = aliases[name] ?? name
        guard Goal.editableFields.contains(wire) else {
            throw CLIError(.usage, "'\(name)' is not a goal field; use label, target, comparison, deadline, domain or metric")
        }
        return wire
    }

    /// `field=value` words as wire changes.
    static func parse(_ assignments: [String], today: CivilDate) throws -> [String: JSONValue] {
        var changes: [String: JSONValue] = [:]
        for assignment in assignments {
            guard let eq = assignment.firstIndex(of: "=") else {
                throw CLIError(.usage, "'\(assignment)' is not field=value (for example target=95 or label=\"SLA above 95%\")")
            }
            let field = try wireName(String(assignment[..<eq]))
            changes[field] = try value(field, String(assignment[assignment.index(after: eq)...]), today: today)
        }
        return changes
    }

    /// One field's typed value, checked.
    static func value(_ field: String, _ text: String, today: CivilDate) throws -> JSONValue {
        switch field {
        case "label":
            let label = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !label.isEmpty, label.count <= 200 else { throw CLIError(.usage, "label: use 1 to 200 characters") }
            return .string(label)
        case "target_value":
            guard let n = Double(text), n.isFinite, abs(n) < 1e12 else { throw CLIError(.usage, "target: '\(text)' is not a number") }
            return .number(n)
        case "comparison":
            guard GoalComparison(rawValue: text) != nil else { throw CLIError(.usage, "comparison: use lte (at most) or gte (at least)") }
            return .string(text)
        case "deadline":
            guard let d = CivilDate(text) else { throw CLIError(.usage, "deadline: '\(text)' is not a date like 2026-12-31") }
            guard d >= today else { throw CLIError(.usage, "deadline: \(d) is in the past; pick today or a later day") }
            return .string(d.description)
        case "domain":
            guard Domain(rawValue: text) != nil else {
                throw CLIError(.usage, "domain: '\(text)' is not one of \(Domain.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .string(text)
        default:  // metric_key
            let key = text.trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { throw CLIError(.usage, "metric: give a metric key (docs/scoring.md lists them)") }
            return .string(key)
        }
    }

    /// A value as the user reads it.
    static func display(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s)?: return s
        case .number(let n)?: return Text.decimal(n, n == n.rounded() ? 0 : 2)
        case .bool(let b)?: return b ? "true" : "false"
        case nil, .null?: return "–"
        default: return "\(value!)"
        }
    }

    /// The goal whose id is `key` (or a unique prefix), as the user sees it.
    static func find(_ key: String, in mirror: Mirror) throws -> Goal {
        switch try mirrorCall({ try mirror.goal(key) }) {
        case .found(let g): return g
        case .none: throw CLIError(.failure, "no goal '\(key)' in the mirror; `goals --all` lists them")
        case .ambiguous(let ids): throw CLIError(.failure, "'\(key)' matches several goals: \(ids.joined(separator: ", "))")
        }
    }
}
