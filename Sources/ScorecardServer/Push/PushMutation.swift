import Foundation
import ScorecardCore

/// One mutation of `POST /api/v1/sync/push`, as API.md defines them.
public struct PushMutation: Sendable, Equatable {
    /// The client-made id the result is stored under.
    public var id: String
    /// `ack_review`, `create_goal`, `update_goal` or `cancel_goal` (anything else is rejected).
    public var type: String
    /// The whole mutation object.
    public var fields: [String: JSONValue]

    /// Reads a mutation object; nil when it has no usable `id` (the request is then refused whole).
    public init?(_ value: JSONValue) {
        guard case .object(let object) = value, case .string(let id)? = object["id"], !id.isEmpty, id.count <= 100 else { return nil }
        self.id = id
        if case .string(let type)? = object["type"] { self.type = type } else { self.type = "" }
        self.fields = object
    }

    func string(_ key: String) -> String? {
        if case .string(let s)? = fields[key] { return s }
        return nil
    }

    func int(_ key: String) -> Int? {
        if case .number(let n)? = fields[key], n == n.rounded() { return Int(exactly: n) }
        return nil
    }

    func object(_ key: String) -> [String: JSONValue]? {
        if case .object(let o)? = fields[key] { return o }
        return nil
    }
}

/// The stored outcome of one mutation (API.md push result).
public struct PushResult: Codable, Sendable, Equatable {
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

    static func rejected(_ id: String, _ reason: String) -> PushResult { PushResult(id: id, status: .rejected, reason: reason) }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(status, forKey: .status)
        try c.encode(entity, forKey: .entity)
        try c.encode(conflicts, forKey: .conflicts)
        try c.encode(reason, forKey: .reason)
    }
}
