import Foundation

/// One attempt to write a review, as `review_runs` keeps it.
public struct ReviewRun: Sendable, Equatable, Codable {
    /// `flagged` or `manual`.
    public var trigger: String
    public var actorPersonID: String?
    public var personID: String
    public var period: String
    /// `succeeded` or `failed`.
    public var status: String
    public var reason: String?
    public var model: String?
    public var createdAt: Int = 0

    public init(trigger: String, actorPersonID: String?, personID: String, period: String, status: String, reason: String?, model: String?, createdAt: Int = 0) {
        self.trigger = trigger
        self.actorPersonID = actorPersonID
        self.personID = personID
        self.period = period
        self.status = status
        self.reason = reason
        self.model = model
        self.createdAt = createdAt
    }
}
