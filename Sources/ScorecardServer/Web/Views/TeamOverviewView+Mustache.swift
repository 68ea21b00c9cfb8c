import Mustache

// The team page renders one row per member: its values answer Mustache's lookups with a switch
// instead of a `Mirror` built for every `{{name}}` (the leaderboard of a 50-person team is most
// of the page's rendering time).

extension TeamOverviewView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "teams": return teams
        case "teamName": return teamName
        case "teamID": return teamID
        case "periods": return periods
        case "week": return week
        case "periodLabel": return periodLabel
        case "csvHref": return csvHref
        case "feedbackHref": return feedbackHref
        case "scoredNote": return scoredNote
        case "cards": return cards
        case "threshold": return threshold
        case "rows": return rows
        case "hasRows": return hasRows
        case "csrf": return csrf
        case "histogram": return histogram
        case "buckets": return buckets
        case "mostImproved": return mostImproved
        case "sla": return sla
        case "slaNote": return slaNote
        case "notice": return notice
        case "error": return error
        default: return nil
        }
    }
}

extension TeamOverviewView.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "rank": return rank
        case "personID": return personID
        case "name": return self.name
        case "href": return href
        case "score": return score
        case "scoreClass": return scoreClass
        case "scoreWords": return scoreWords
        case "change": return change
        case "changeClass": return changeClass
        case "spark": return spark
        case "bars": return bars
        case "generateAction": return generateAction
        default: return nil
        }
    }
}

extension TeamOverviewView.Card: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "key": return key
        case "label": return label
        case "value": return value
        case "note": return note
        case "valueClass": return valueClass
        case "href": return href
        default: return nil
        }
    }
}

extension PeriodChoice.Option: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": return value
        case "label": return label
        case "selected": return selected
        default: return nil
        }
    }
}
