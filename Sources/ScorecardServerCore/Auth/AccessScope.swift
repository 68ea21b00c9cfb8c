import ScorecardCore

/// Who the caller may see, decided once from the token's person (seed 002's access table).
///
/// An agent sees themselves; anyone who manages teams (the team's manager, or an active
/// `lead`/`manager` member of an active team) also sees those teams' active members; an admin
/// sees everyone. Every route asks this one value; query parameters never widen it.
public struct AccessScope: Sendable {
    public enum Visible: Sendable, Equatable {
        case everyone
        case people(Set<String>)
    }

    public let caller: Person
    public let visible: Visible

    /// Resolves the scope of `caller` from the store.
    public static func resolve(for caller: Person, in store: any ServerStore) async throws -> AccessScope {
        if caller.role == .admin { return AccessScope(caller: caller, visible: .everyone) }
        var ids = try await store.managedPersonIDs(of: caller.id)
        ids.insert(caller.id)
        return AccessScope(caller: caller, visible: .people(ids))
    }

    /// True when the caller may see `personID`.
    public func contains(_ personID: String) -> Bool {
        switch visible {
        case .everyone: return true
        case .people(let ids): return ids.contains(personID)
        }
    }

    /// The person a request is about: the caller when `requested` is nil, else `requested` when
    /// in scope; anyone else is 403 (never a silent fallback to self).
    public func effectivePerson(_ requested: String?) throws -> String {
        guard let requested, !requested.isEmpty else { return caller.id }
        guard contains(requested) else {
            throw StoreError(.forbidden, "You may not see person '\(requested)'; ask their manager or an admin.")
        }
        return requested
    }
}
