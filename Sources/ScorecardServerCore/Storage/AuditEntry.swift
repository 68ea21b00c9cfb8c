import Foundation
import ScorecardCore

/// One audit entry: who did what to whom (or to which thing), when, and through what.
///
/// Never a secret, a prompt or a review's text: settings changes name the key (and the new value
/// of settings that are not secret), people changes the person, deletions the thing deleted.
public struct AuditEntry: Sendable, Equatable {
    /// The row's id, increasing with time; 0 before it is stored.
    public var id: Int64
    /// Seconds since 1970.
    public var at: Int
    /// The person who acted: the admin signed in to the API or the pages; nil for the command
    /// line (which has no login) and the scheduler.
    public var actorPersonID: String?
    /// How the action came: `api`, `web`, `cli:<OS user>`, `scheduler`; nil for entries older than
    /// this column and for reviews (whose `detail` says `manual` or `flagged`).
    public var via: String?
    /// What happened, e.g. `setting.changed`, `person.created`, `call.deleted` (docs/operations.md lists them).
    public var action: String
    /// The person concerned, when there is one (the reviewed, created or deactivated person, a deleted call's owner).
    public var personID: String?
    /// The thing acted on when it is not a person: a setting key, a team id, a call id.
    public var subject: String?
    public var model: String?
    public var detail: String?

    public init(
        id: Int64 = 0, at: Int, actorPersonID: String?, via: String? = nil, action: String, personID: String?, subject: String? = nil,
        model: String?, detail: String?
    ) {
        self.id = id
        self.at = at
        self.actorPersonID = actorPersonID
        self.via = via
        self.action = action
        self.personID = personID
        self.subject = subject
        self.model = model
        self.detail = detail
    }

    /// An entry for an action by `actor`, timed now.
    public init(_ actor: AuditActor, _ action: String, personID: String? = nil, subject: String? = nil, detail: String? = nil) {
        self.init(
            at: Int(Date().timeIntervalSince1970), actorPersonID: actor.personID, via: actor.via, action: action, personID: personID,
            subject: subject, model: nil, detail: detail)
    }
}

/// Who performs an admin action, and through what.
public struct AuditActor: Sendable, Equatable {
    /// The signed-in admin; nil for the command line and the scheduler.
    public var personID: String?
    /// `api`, `web`, `cli:<OS user>` or `scheduler`.
    public var via: String

    public init(personID: String?, via: String) {
        self.personID = personID
        self.via = via
    }

    /// An admin through the JSON API.
    public static func api(_ personID: String) -> AuditActor { AuditActor(personID: personID, via: "api") }
    /// An admin through the web pages.
    public static func web(_ personID: String) -> AuditActor { AuditActor(personID: personID, via: "web") }

    /// The management command line, run by the current OS user (`cli:root`).
    public static func commandLine() -> AuditActor {
        let user = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? String(getuid())
        return AuditActor(personID: nil, via: "cli:" + user)
    }
}

/// What to read of the audit log: newest first.
public struct AuditQuery: Sendable, Equatable {
    /// Entries at or after this time (seconds since 1970).
    public var since: Int?
    /// Entries with exactly this action.
    public var action: String?
    /// At most this many; nil for all.
    public var limit: Int?

    public init(since: Int? = nil, action: String? = nil, limit: Int? = nil) {
        self.since = since
        self.action = action
        self.limit = limit
    }

    /// The API's and the CLI's default and largest `limit`.
    public static let defaultLimit = 100
    public static let maxLimit = 1000

    /// Reads a `since` value: unix seconds, a date (`YYYY-MM-DD`, from its midnight UTC) or a
    /// timestamp (`YYYY-MM-DDTHH:MM:SSZ`); nil when it is none of these.
    public static func parseSince(_ text: String) -> Int? {
        if let seconds = Int(text), seconds >= 0 { return seconds }
        if let date = CivilDate(text) { return Timestamp.epochSeconds(date.startTimestamp) }
        return Timestamp.epochSeconds(text)
    }
}

/// An audit entry as the API and `scorecard-server audit --format json` show it.
public struct AuditEntryView: Codable, Sendable, Equatable {
    public var id: Int64
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var at: String
    public var actorPersonID: String?
    public var via: String?
    public var action: String
    public var personID: String?
    public var subject: String?
    public var model: String?
    public var detail: String?

    enum CodingKeys: String, CodingKey {
        case id, at, via, action, subject, model, detail
        case actorPersonID = "actor_person_id"
        case personID = "person_id"
    }

    public init(_ entry: AuditEntry) {
        id = entry.id
        at = Timestamp.format(epochSeconds: entry.at)
        actorPersonID = entry.actorPersonID
        via = entry.via
        action = entry.action
        personID = entry.personID
        subject = entry.subject
        model = entry.model
        detail = entry.detail
    }

    /// Every key, nulls included, so that each entry has the same shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(at, forKey: .at)
        try c.encode(actorPersonID, forKey: .actorPersonID)
        try c.encode(via, forKey: .via)
        try c.encode(action, forKey: .action)
        try c.encode(personID, forKey: .personID)
        try c.encode(subject, forKey: .subject)
        try c.encode(model, forKey: .model)
        try c.encode(detail, forKey: .detail)
    }

    /// One line: time, actor, action, subject, detail, tab-separated (`-` for what is missing).
    public var line: String {
        let actor: String
        switch (actorPersonID, via) {
        case (let person?, let via?): actor = "\(person) (\(via))"
        case (let person?, nil): actor = person
        case (nil, let via?): actor = via
        case (nil, nil): actor = "-"
        }
        let subject = [personID, self.subject].compactMap { $0 }.joined(separator: " ")
        return [at, actor, action, subject.isEmpty ? "-" : subject, detail ?? "-"].joined(separator: "\t")
    }
}
