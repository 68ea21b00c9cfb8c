import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    mutating func addAuditRoutes() {
        let services = services
        // The audit log, newest first: admins only.
        on(.get, "/api/v1/admin/audit") { request, _ in
            _ = try await services.requireAdmin(request)
            let query = try Routes.auditQuery(request)
            let entries = try await services.store.auditLog(query)
            return try .json(["entries": entries.map(AuditEntryView.init)])
        }
    }

    /// `since` (unix seconds, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`), `action`, `limit` (1…1000, default 100).
    static func auditQuery(_ request: Request) throws -> AuditQuery {
        let since = try request.query("since", AuditQuery.parseSince)
        let action = try request.query("action") { $0.isEmpty ? nil : $0 }
        let limit = try request.query("limit") { Int($0).flatMap { (1...AuditQuery.maxLimit).contains($0) ? $0 : nil } } ?? AuditQuery.defaultLimit
        return AuditQuery(since: since, action: action, limit: limit)
    }
}
