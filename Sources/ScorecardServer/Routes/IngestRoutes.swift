import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    mutating func addIngestRoutes() {
        let services = services
        on(.post, "/api/v1/ingest/cdr") { request, _ in
            _ = try await services.requireAdmin(request)
            let records = try await Routes.records(request, services, CDRRecord.parseArray)
            return try .json(try await Ingest.calls(records, store: services.store))
        }
        on(.post, "/api/v1/ingest/agent-summary") { request, _ in
            _ = try await services.requireAdmin(request)
            let records = try await Routes.records(request, services, AgentSummaryRecord.parseArray)
            return try .json(try await Ingest.summaries(records, store: services.store))
        }
        on(.post, "/api/v1/ingest/activities") { request, _ in
            _ = try await services.requireAdmin(request)
            let records = try await Routes.records(request, services, Ingest.parseActivities)
            return try .json(try await Ingest.activities(records, store: services.store))
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

    /// Reads an ingest body with the fast scanner: malformed JSON is 400, a non-array 422,
    /// more than `maxIngestRecords` records 413.
    static func records<T>(_ request: Request, _ services: ServerServices, _ parse: (Data) throws -> [T]) async throws -> [T] {
        var request = request
        let buffer = try await request.collectBody(upTo: services.configuration.maxBodyBytes)
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

    /// Reads an activities body: a JSON array whose elements are validated one by one.
    public static func parseActivities(_ data: Data) throws -> [Result<ActivityRecord, RecordError>] {
        let elements: [JSONValue]
        do {
            elements = try WireJSON.decode([JSONValue].self, from: data)
        } catch DecodingError.typeMismatch, DecodingError.valueNotFound {
            throw DialerBodyError()
        } catch {
            throw JSONScanError(offset: 0, message: "the body could not be parsed")
        }
        return elements.map { element in
            guard case .object(let object) = element else { return .failure(RecordError("expected a JSON object")) }
            return ActivityRecord.parse(object)
        }
    }

    /// Stores the valid activity records; invalid ones come back as rejections.
    public static func activities(_ records: [Result<ActivityRecord, RecordError>], store: any ServerStore) async throws -> IngestResult {
        var valid: [(index: Int, record: ActivityRecord)] = []
        var rejected: [IngestRejection] = []
        for (index, record) in records.enumerated() {
            switch record {
            case .success(let r): valid.append((index, r))
            case .failure(let error): rejected.append(IngestRejection(index: index, reason: error.reason))
            }
        }
        var result = try await store.ingestActivities(valid)
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
