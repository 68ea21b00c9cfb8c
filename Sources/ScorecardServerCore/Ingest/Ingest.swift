import Foundation
import ScorecardCore

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

extension Ingest {
    /// Records one ingest request by `actor` (`ingest.calls`, `ingest.day_summaries`,
    /// `ingest.activities`) with its counts, right after its transaction committed.
    public static func audit(_ result: IngestResult, kind: String, by actor: AuditActor, store: any ServerStore) async throws {
        let total = result.inserted + result.updated + result.unchanged + result.rejected.count
        let detail =
            "\(total) records: \(result.inserted) inserted, \(result.updated) updated, \(result.unchanged) unchanged, \(result.rejected.count) rejected"
        try await store.appendAudit(AuditEntry(actor, "ingest." + kind, detail: detail))
    }
}
