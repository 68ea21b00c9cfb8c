import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    mutating func addIngestRoutes() {
        let services = services
        on(.post, "/api/v1/ingest/cdr") { request, _ in
            let admin = try await services.requireAdmin(request)
            let records = try await Routes.records(request, services, CDRRecord.parseArray)
            let result = try await Ingest.calls(records, store: services.store)
            try await Ingest.audit(result, kind: "calls", by: .api(admin.id), store: services.store)
            return try .json(result)
        }
        on(.post, "/api/v1/ingest/agent-summary") { request, _ in
            let admin = try await services.requireAdmin(request)
            let records = try await Routes.records(request, services, AgentSummaryRecord.parseArray)
            let result = try await Ingest.summaries(records, store: services.store)
            try await Ingest.audit(result, kind: "day_summaries", by: .api(admin.id), store: services.store)
            return try .json(result)
        }
        on(.post, "/api/v1/ingest/activities") { request, _ in
            let admin = try await services.requireAdmin(request)
            let records = try await Routes.records(request, services, Ingest.parseActivities)
            let result = try await Ingest.activities(records, store: services.store)
            try await Ingest.audit(result, kind: "activities", by: .api(admin.id), store: services.store)
            return try .json(result)
        }
        on(.delete, "/api/v1/calls/{id}") { request, context in
            let admin = try await services.requireAdmin(request)
            let id = try context.parameters.require("id")
            guard try await services.store.deleteCall(id: id, audit: AuditEntry(.api(admin.id), "call.deleted", subject: id)) else {
                throw APIError(.notFound, "not_found", "No call with id '\(id)'.")
            }
            return Response(status: .noContent)
        }
    }

    /// Reads an ingest body with the fast scanner: malformed JSON is 400, a non-array 422,
    /// more than `maxIngestRecords` records 413.
    static func records<T>(_ request: Request, _ services: ServerServices, _ parse: (Data) throws -> [T]) async throws -> [T] {
        let buffer = try await request.collectDecodedBody(upTo: services.configuration.maxBodyBytes)
        let records: [T]
        do {
            records = try parse(Data(buffer: buffer))
        } catch let error as JSONScanError {
            throw APIError(.badRequest, "malformed_json", "The body is not valid JSON (\(error)).")
        } catch is DialerBodyError {
            throw APIError.invalid("body", "expected a JSON array of records")
        }
        guard records.count <= services.configuration.maxIngestRecords else {
            throw APIError(
                .contentTooLarge, "payload_too_large",
                "At most \(services.configuration.maxIngestRecords) records per request; split the batch.")
        }
        return records
    }
}
