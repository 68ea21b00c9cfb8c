/// One audit entry: who did what to whom, with which model.
public struct AuditEntry: Sendable, Equatable {
    public var at: Int
    public var actorPersonID: String?
    public var action: String
    public var personID: String?
    public var model: String?
    public var detail: String?

    public init(at: Int, actorPersonID: String?, action: String, personID: String?, model: String?, detail: String?) {
        self.at = at
        self.actorPersonID = actorPersonID
        self.action = action
        self.personID = personID
        self.model = model
        self.detail = detail
    }
}
