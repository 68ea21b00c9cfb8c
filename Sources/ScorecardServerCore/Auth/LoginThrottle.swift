import Foundation

/// Throttles repeated failed logins per person id, across every server process on the database.
///
/// After `maxFailures` failures within `windowSeconds` the person id is locked for
/// `baseLockoutSeconds`, doubling with each further lockout up to `maxLockoutSeconds`.
/// A successful login clears the record. The record is a row in the database (updated under the
/// row's lock), so a password guesser gains nothing by spreading attempts over processes.
public struct LoginThrottle: Sendable {
    /// The throttling rules.
    public struct Policy: Sendable {
        public var maxFailures = 5
        public var windowSeconds = 900
        public var baseLockoutSeconds = 30
        public var maxLockoutSeconds = 900
        public init() {}
    }

    /// One person id's failures and lockout, as the store keeps it.
    public struct Record: Codable, Sendable, Equatable {
        /// Times (seconds since 1970) of the failures in the current window.
        public var failures: [Int] = []
        public var lockedUntil = 0
        /// Lockouts so far: each doubles the next one.
        public var lockouts = 0

        public init(failures: [Int] = [], lockedUntil: Int = 0, lockouts: Int = 0) {
            self.failures = failures
            self.lockedUntil = lockedUntil
            self.lockouts = lockouts
        }

        /// Adds a failure at `now`; returns the lockout length when it locked the id.
        public mutating func recordFailure(now: Int, policy: Policy) -> Int? {
            failures.removeAll { $0 <= now - policy.windowSeconds }
            failures.append(now)
            guard failures.count >= policy.maxFailures else { return nil }
            lockouts += 1
            let length = min(policy.baseLockoutSeconds << min(lockouts - 1, 20), policy.maxLockoutSeconds)
            lockedUntil = now + length
            failures = []
            return length
        }
    }

    public let store: any ServerStore
    public let policy: Policy

    public init(store: any ServerStore, policy: Policy) {
        self.store = store
        self.policy = policy
    }

    /// Seconds to wait when `personID` is locked at `now`, else nil.
    public func retryAfter(personID: String, now: Int) async throws -> Int? {
        guard let record = try await store.loginThrottle(personID: personID), record.lockedUntil > now else { return nil }
        return record.lockedUntil - now
    }

    /// Records a failed login; returns the lockout length when this failure locked the id.
    @discardableResult
    public func recordFailure(personID: String, now: Int) async throws -> Int? {
        let policy = policy
        let record = try await store.updateLoginThrottle(personID: personID, now: now) { current in
            var record = current ?? Record()
            _ = record.recordFailure(now: now, policy: policy)
            return record
        }
        // A failure that locks the id empties the window: that is how the lockout shows here.
        guard let record, record.failures.isEmpty, record.lockedUntil > now else { return nil }
        return record.lockedUntil - now
    }

    /// Clears the record after a successful login.
    public func recordSuccess(personID: String) async throws {
        _ = try await store.updateLoginThrottle(personID: personID, now: Int(Date().timeIntervalSince1970)) { _ in nil }
    }
}
