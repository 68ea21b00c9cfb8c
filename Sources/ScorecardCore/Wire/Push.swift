import Foundation

/// The stored outcome of one mutation (API.md push result).
public struct PushResult: Codable, Sendable, Equatable {
    /// What became of the mutation.
    public enum Status: String, Codable, Sendable {
        case applied, conflict, rejected
    }

    public var id: String
    public var status: Status
    /// The entity as it is on the server after the mutation (applied, conflict), else null.
    public var entity: JSONValue?
    /// The fields both sides changed to different values (conflict only).
    public var conflicts: [String]?
    /// Why it was rejected, in words a person can act on.
    public var reason: String?

    public init(id: String, status: Status, entity: JSONValue? = nil, conflicts: [String]? = nil, reason: String? = nil) {
        self.id = id
        self.status = status
        self.entity = entity
        self.conflicts = conflicts
        self.reason = reason
    }

    /// A rejection with its reason.
    public static func rejected(_ id: String, _ reason: String) -> PushResult { PushResult(id: id, status: .rejected, reason: reason) }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(status, forKey: .status)
        try c.encode(entity, forKey: .entity)
        try c.encode(conflicts, forKey: .conflicts)
        try c.encode(reason, forKey: .reason)
    }
}

/// The answer of `POST /api/v1/sync/push`: one result per mutation, in the request's order.
public struct PushResponse: Codable, Sendable, Equatable {
    public var results: [PushResult]

    public init(results: [PushResult]) { self.results = results }
}
