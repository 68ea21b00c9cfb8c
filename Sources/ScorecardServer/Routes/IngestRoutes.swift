import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    mutating func addIngestRoutes() {
        let services = services
        on(.post, "/api/v1/ingest/cdr") { request, _ in
            _ = try await services.requireAdmin(request)
            let records = try await Routes.records([CDRRecord].self, request, services)
            return try .json(try await Ingest.calls(records, store: services.store))
        }
        on(.post, "/api/v1/ingest/agent-summary") { request, _ in
            _ = try await services.requireAdmin(request)
            let records = try await Routes.records([AgentSummaryRecord].self, request, services)
            return try .json(try await Ingest.summaries(records, store: services.store))
        }
        on(.delete, "/api/v1/calls/{id}") { request, context in
            _ = try await services.requireAdmin(request)
            let id = try context.parameters.require("id")
            guard try await services.store.deleteCall(id: id) else {
                throw APIError(.notFound, "not_found", "No call with id '\(id)'.")
            }
            return Response(status: .noContent)
        }
    }

    static func records<T: Decodable & Collection>(_ type: T.Type, _ request: Request, _ services: ServerServices) async throws -> T {
        let records: T
        do {
            records = try await request.decode(T.self, limit: services.configuration.maxBodyBytes)
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
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

/// Ingest shared by the HTTP routes and `demo-data`: per-record validation, then one store transaction.
public enum Ingest {
    /// Maps dialer CDRs and stores the valid ones; invalid ones come back as rejections.
    public static func calls(_ records: [CDRRecord], store: any ServerStore) async throws -> IngestResult {
        var valid: [(index: Int, call: Call)] = []
        var rejected: [IngestRejection] = []
        valid.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            switch record.result {
            case .success(let call): valid.append((index, call))
            case .failure(let error): rejected.append(IngestRejection(index: index, reason: error.reason))
            }
        }
        var result = try await store.ingestCalls(valid)
        result.rejected = (rejected + result.rejected).sorted { $0.index < $1.index }
        return result
    }

    /// Maps dialer agent summaries and stores the valid ones.
    public static func summaries(_ records: [AgentSummaryRecord], store: any ServerStore) async throws -> IngestResult {
        var valid: [(index: Int, summary: DaySummary)] = []
        var rejected: [IngestRejection] = []
        for (index, record) in records.enumerated() {
            switch record.result {
            case .success(let summary): valid.append((index, summary))
            case .failure(let error): rejected.append(IngestRejection(index: index, reason: error.reason))
            }
        }
        var result = try await store.ingestDaySummaries(valid)
        result.rejected = (rejected + result.rejected).sorted { $0.index < $1.index }
        return result
    }
}
