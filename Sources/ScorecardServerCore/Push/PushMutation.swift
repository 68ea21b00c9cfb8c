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

    public func string(_ key: String) -> String? {
        if case .string(let s)? = fields[key] { return s }
        return nil
    }

    public func int(_ key: String) -> Int? {
        if case .number(let n)? = fields[key], n == n.rounded() { return Int(exactly: n) }
        return nil
    }

    public func object(_ key: String) -> [String: JSONValue]? {
        if case .object(let o)? = fields[key] { return o }
        return nil
    }
}
