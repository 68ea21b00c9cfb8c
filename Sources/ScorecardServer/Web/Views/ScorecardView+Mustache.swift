import Mustache

// The scorecard's most repeated values (every goal form lists every metric twice) answer
// Mustache's lookups with a switch instead of a `Mirror` per `{{name}}`.

extension GoalsView.Option: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": return value
        case "label": return label
        case "selected": return selected
        default: return nil
        }
    }
}

extension GoalsView.OptionGroup: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": return label
        case "options": return options
        default: return nil
        }
    }
}

extension GoalsView.Form: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": return label
        case "targetValue": return targetValue
        case "deadline": return deadline
        case "domains": return domains
        case "metrics": return metrics
        case "comparisons": return comparisons
        default: return nil
        }
    }
}

extension GoalsView.Item: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": return id
        case "label": return label
        case "summary": return summary
        case "statusLabel": return statusLabel
        case "statusClass": return statusClass
        case "progress": return progress
        case "progressText": return progressText
        case "currentValue": return currentValue
        case "editable": return editable
        case "editAction": return editAction
        case "cancelAction": return cancelAction
        case "version": return version
        case "base": return base
        case "form": return form
        case "error": return error
        case "open": return open
        default: return nil
        }
    }
}

extension ScorecardView.MetricLine: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": return label
        case "value": return value
        case "points": return points
        default: return nil
        }
    }
}

extension ScorecardView.DomainCard: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": return self.name
        case "key": return key
        case "raw": return raw
        case "rawClass": return rawClass
        case "weight": return weight
        case "weighted": return weighted
        case "metrics": return metrics
        case "active": return active
        default: return nil
        }
    }
}

extension ScorecardView.TrendRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "week": return week
        case "score": return score
        default: return nil
        }
    }
}
