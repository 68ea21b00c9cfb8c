/// How many snapshots a scoring run wrote.
public struct ScoreSaveResult: Sendable, Equatable, Codable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// Snapshots removed because the person no longer had activity in the week.
    public var deleted = 0
    public init() {}
}
