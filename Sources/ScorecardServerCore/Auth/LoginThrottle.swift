/// Throttles repeated failed logins per person id.
///
/// After `maxFailures` failures within `windowSeconds` the person id is locked for
/// `baseLockoutSeconds`, doubling with each further lockout up to `maxLockoutSeconds`.
/// A successful login clears the record. State is per server process.
public actor LoginThrottle {
    /// The throttling rules.
    public struct Policy: Sendable {
        public var maxFailures = 5
        public var windowSeconds = 900
        public var baseLockoutSeconds = 30
        public var maxLockoutSeconds = 900
        public init() {}
    }

    private struct Record {
        var failures: [Int] = []
        var lockedUntil = 0
        var lockouts = 0
    }

    private let policy: Policy
    private var records: [String: Record] = [:]

    public init(policy: Policy) { self.policy = policy }

    /// Seconds to wait when `personID` is locked at `now`, else nil.
    public func retryAfter(personID: String, now: Int) -> Int? {
        guard let r = records[personID], r.lockedUntil > now else { return nil }
        return r.lockedUntil - now
    }

    /// Records a failed login; returns the lockout length when this failure locked the id.
    @discardableResult
    public func recordFailure(personID: String, now: Int) -> Int? {
        if records.count > 100_000 { records = records.filter { $0.value.lockedUntil > now } }
        var r = records[personID] ?? Record()
        r.failures.removeAll { $0 <= now - policy.windowSeconds }
        r.failures.append(now)
        var locked: Int?
        if r.failures.count >= policy.maxFailures {
            r.lockouts += 1
            let length = min(policy.baseLockoutSeconds << min(r.lockouts - 1, 20), policy.maxLockoutSeconds)
            r.lockedUntil = now + length
            r.failures = []
            locked = length
        }
        records[personID] = r
        return locked
    }

    /// Clears the record after a successful login.
    public func recordSuccess(personID: String) { records[personID] = nil }
}
