import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    /// The longest range the KPI endpoint answers, in days.
    static let maxKPIRangeDays = 366

    mutating func addPerformanceRoutes() {
        let services = services
        on(.get, "/api/v1/performance/kpis") { request, _ in
            let scope = try await services.scope(request)
            let personID = try scope.effectivePerson(request.uri.queryParameters.get("person_id"))
            let (from, to) = try Routes.range(request)
            return try .json(try await KPIs.report(personID: personID, from: from, to: to, store: services.store))
        }
    }

    /// `date` (it wins), or `from`/`to`, or today (UTC); with only one of `from` and `to`, that one day.
    static func range(_ request: Request) throws -> (CivilDate, CivilDate) {
        let date = try request.query("date") { CivilDate($0) }
        let today = CivilDate(daysSinceEpoch: Int(Date().timeIntervalSince1970) / 86_400)
        let givenFrom = try request.query("from") { CivilDate($0) }
        let givenTo = try request.query("to") { CivilDate($0) }
        let from = date ?? givenFrom ?? givenTo ?? today
        let to = date ?? givenTo ?? givenFrom ?? today
        guard from <= to else { throw APIError.invalid("from", "must not be after 'to'") }
        guard to.daysSinceEpoch - from.daysSinceEpoch < maxKPIRangeDays else {
            throw APIError.invalid("to", "the range may span at most \(maxKPIRangeDays) days")
        }
        return (from, to)
    }
}
