import Foundation
import ScorecardCore

/// Everything the routes and jobs need from the database, and nothing more.
///
/// Narrow on purpose: the SQLite implementation is the embedded default; a PostgreSQL one
/// implements the same protocol without any route changing.
public protocol ServerStore: Sendable {
    /// Checks that the database answers.
    func ping() async throws
    /// Releases connections (a no-op for stores that hold none open); the store is not used after.
    func close() async

    // MARK: People and teams

    /// Creates a team, with `audit` in the same transaction when given; fails with `conflict` when the id exists.
    func createTeam(_ team: Team, audit: AuditEntry?) async throws
    /// Adds (or re-activates) a membership and sets the person's `team_id` when they have none.
    func addMember(teamID: String, personID: String, role: MemberRole) async throws
    /// Creates a person with a bcrypt password hash, with `audit` in the same transaction when
    /// given; fails with `conflict` when the id exists.
    func createPerson(_ person: Person, passwordHash: String, audit: AuditEntry?) async throws
    /// Replaces a person's password hash and revokes their tokens (`audit` in the same transaction).
    func setPasswordHash(personID: String, hash: String, audit: AuditEntry?) async throws
    /// Marks a person inactive, ends their memberships and revokes their tokens (`audit` in the same transaction).
    func deactivatePerson(id: String, audit: AuditEntry?) async throws
    /// One person, active or not.
    func person(id: String) async throws -> Person?
    /// A person's bcrypt hash.
    func passwordHash(personID: String) async throws -> String?
    /// Every person, sorted by id.
    func people() async throws -> [Person]
    /// Every team with its members, sorted by id.
    func teams() async throws -> [Team]
    /// The active members of the active teams `personID` manages (as the team's manager or an
    /// active `lead`/`manager` member), active people only (seed 002's manager scope).
    func managedPersonIDs(of personID: String) async throws -> Set<String>

    // MARK: Tokens

    /// Stores a token's SHA-256 hash with its kind (API bearer token or web session).
    func insertToken(hash: Data, personID: String, expiresAt: Int, kind: TokenKind) async throws
    /// Looks a token hash up at time `now` (seconds since 1970); a token of another kind is `unknown`.
    func lookUpToken(hash: Data, now: Int, kind: TokenKind) async throws -> TokenLookup
    /// Revokes one token.
    func revokeToken(hash: Data) async throws

    // MARK: Login throttling and job leases (shared by every process on the database)

    /// A person id's failed-login record, if any.
    func loginThrottle(personID: String) async throws -> LoginThrottle.Record?
    /// Replaces a person id's record with what `update` makes of it (nil deletes it), atomically
    /// with respect to every other process; returns what was stored. Records of other ids left
    /// untouched for a day may be deleted on the way (`now` is seconds since 1970).
    func updateLoginThrottle(
        personID: String, now: Int, _ update: @Sendable (LoginThrottle.Record?) -> LoginThrottle.Record?
    ) async throws -> LoginThrottle.Record?
    /// Runs `body` while holding the lease named `name`, which at most one process holds at a
    /// time; nil, without running `body`, when another holds it.
    func withJobLease<R: Sendable>(_ name: String, _ body: @Sendable () async throws -> R) async throws -> R?

    // MARK: Ingest and reads

    /// Upserts calls in one transaction, recording every change in the owners' feeds.
    /// `calls` carries each record's index in the request for rejections.
    func ingestCalls(_ calls: [(index: Int, call: Call)]) async throws -> IngestResult
    /// Upserts day summaries by (person, date) in one transaction, feeds included.
    func ingestDaySummaries(_ summaries: [(index: Int, summary: DaySummary)]) async throws -> IngestResult
    /// Upserts activity records by (kind, id) in one transaction; feedback goes to its owner's feed.
    func ingestActivities(_ records: [(index: Int, record: ActivityRecord)]) async throws -> IngestResult
    /// Deletes a call and leaves a tombstone in its owner's feed, with `audit` (its `person_id`
    /// set to the call's owner) in the same transaction; false, writing nothing, when unknown.
    func deleteCall(id: String, audit: AuditEntry?) async throws -> Bool
    /// A person's calls that started on the UTC days `from...to`, by start time.
    func calls(personID: String, from: CivilDate, to: CivilDate) async throws -> [Call]
    /// A person's day summaries on `from...to`.
    func daySummaries(personID: String, from: CivilDate, to: CivilDate) async throws -> [DaySummary]

    // MARK: Settings and jobs

    /// The stored settings.
    func settings() async throws -> Settings
    /// Stores a validated setting; `.null` removes it (back to the default). `audit` is written
    /// in the same transaction when given.
    func setSetting(key: String, value: JSONValue, by personID: String?, audit: AuditEntry?) async throws
    /// Removes setting `key` when its stored value is still `expected`, stores `replacements`
    /// (keys not already set only) and writes `audit`, in one transaction; the removed value is
    /// overwritten where the backend can (SQLite's secure delete). False, changing nothing, when
    /// the stored value is no longer `expected`.
    func retireSetting(key: String, expected: JSONValue, replacements: [String: JSONValue], audit: AuditEntry) async throws -> Bool
    /// A job checkpoint, e.g. `last_scored_period`.
    func jobState(_ key: String) async throws -> String?
    func setJobState(_ key: String, _ value: String) async throws

    // MARK: Scoring

    /// The week's per-person aggregates for every active person with activity, in a fixed
    /// number of batch queries (one per activity kind), whatever the number of people.
    func scoringFacts(period: ISOWeek, channels: [String]) async throws -> ScoringFacts
    /// Upserts snapshots and domain scores in one transaction; unchanged snapshots keep their
    /// version and make no feed entry.
    func saveScores(period: ISOWeek, results: [ScoringEngine.Result], now: Int) async throws -> ScoreSaveResult
    /// The earliest timestamp any activity places in a week, if any.
    func earliestActivity() async throws -> String?

    /// One person's snapshot for a week (`YYYY-Www`), or their latest when `period` is nil.
    func snapshot(personID: String, period: String?) async throws -> Snapshot?
    /// Every snapshot of a week, by person.
    func snapshots(period: String) async throws -> [Snapshot]
    /// Each person's latest snapshot.
    func latestSnapshots() async throws -> [String: Snapshot]
    /// The latest week any snapshot has.
    func latestScoredPeriod() async throws -> String?
    /// Tickets resolved in the week by these people: within SLA, and with an SLA at all.
    func ticketSLA(personIDs: [String], period: ISOWeek) async throws -> (met: Int, total: Int)
    /// The composite and domain scores of these people in the weeks `from...to` (inclusive), one
    /// row per snapshot, by person then week: one batch read whatever the number of people.
    func scoreHistory(personIDs: [String], from: ISOWeek, to: ISOWeek) async throws -> [WeekScore]

    // MARK: Feedback

    /// Feedback entries per person and type whose `occurred_at` is in `[from, to)` (timestamps
    /// `YYYY-MM-DDTHH:MM:SSZ`), for these people only: one grouped read.
    func feedbackCounts(personIDs: [String], from: String, to: String) async throws -> [String: [FeedbackType: Int]]

    // MARK: Reviews

    func reviews(personID: String, limit: Int) async throws -> [Review]
    func review(id: String) async throws -> Review?
    func review(personID: String, period: String) async throws -> Review?
    /// The people who have a review for the week.
    func reviewedPersonIDs(period: String) async throws -> Set<String>
    /// Stores a review (a rewrite for the same person and week keeps the id, moves the version
    /// on), its run and its audit entry, and the feed entry, in one transaction.
    func saveReview(_ review: Review, period: String, run: ReviewRun) async throws -> Review
    /// Records a failed run with its audit entry.
    func recordReviewRun(_ run: ReviewRun) async throws
    func reviewRuns(personID: String?) async throws -> [ReviewRun]
    /// Audit entries, newest first, filtered by `query`.
    func auditLog(_ query: AuditQuery) async throws -> [AuditEntry]
    /// Appends one audit entry on its own (for actions whose change has its own transactions, such as ingest).
    func appendAudit(_ entry: AuditEntry) async throws
    /// Manual reviews `actorPersonID` asked for since `since` (seconds since 1970).
    func manualReviewCount(actorPersonID: String, since: Int) async throws -> Int
    /// Snapshots of active people in `periods` below `threshold` without a review, newest week
    /// first, lowest score first.
    func flaggedWithoutReview(periods: [String], threshold: Double) async throws -> [Snapshot]
    /// Marks a review acknowledged at `at` (idempotent), feed included.
    func acknowledgeReview(id: String, at: String) async throws -> Review
    /// The person's most recent resolved tickets, conversations and completed work orders up to the week's end.
    func reviewSamples(personID: String, period: ISOWeek, tickets: Int, conversations: Int, workOrders: Int) async throws -> [ActivitySample]

    // MARK: Goals

    func goals(personID: String) async throws -> [Goal]
    func goal(id: String) async throws -> Goal?
    /// Creates a goal; `conflict` when the id exists.
    func createGoal(_ goal: Goal) async throws
    /// Applies `change` to the current goal in one transaction; throws `VersionMismatch<Goal>`
    /// when `expectedVersion` is not the current one. Version and `updated_at` move only on change.
    func updateGoal(id: String, expectedVersion: Int?, _ change: @Sendable (Goal) throws -> Goal) async throws -> Goal
    func activeGoals() async throws -> [Goal]

    // MARK: Push

    /// Applies a person's mutations in order, each in its own transaction with its stored
    /// result; a mutation id seen before returns the stored result and changes nothing.
    func push(personID: String, mutations: [PushMutation]) async throws -> [PushResult]

    // MARK: Change feed

    /// Up to `limit` changes after `since` in a person's feed, read from one snapshot.
    /// Throws `cursorExpired` when `since` is beyond the head, or when `since > 0` is below the
    /// feed's floor unless `resync` (a full download into fresh tables cannot miss a tombstone).
    /// With `streams`, only those streams' changes (a per-stream repair); nil: all of them.
    func pull(personID: String, since: Int64, limit: Int, resync: Bool, streams: Set<SyncStream>?) async throws -> FeedPage
    /// The same page as the response body in `format`. The pull route's hot path: a store may
    /// write the body straight from its rows instead of building a ``FeedPage`` first.
    func pullBody(personID: String, since: Int64, limit: Int, resync: Bool, format: PullFormat, streams: Set<SyncStream>?) async throws -> FeedPageBody
    /// The count and order-independent digest (``EntityDigest``) of each stream's live entities
    /// of a person (upserts of the change log, no tombstones) with the feed head, from one
    /// snapshot; `listing` also lists that stream's `(id, version)` pairs.
    func feedDigest(personID: String, listing: SyncStream?) async throws -> FeedDigest
    /// The mark of the write that took a person's feed to `seq` or past it: the random tag stored
    /// with the first feed mark at or above `seq` (every write that moves a feed stores one, at its
    /// new head). A cursor and its mark name one history: a database restored from a backup gives
    /// the same seqs new marks (docs/sync.md, "Feed marks"). nil when no mark is at or above `seq`.
    func feedMark(personID: String, atOrAfter seq: Int64) async throws -> Int64?
    /// Deletes tombstones older than `cutoff` (seconds since 1970) and raises each feed's floor;
    /// feed marks older than `cutoff` go too, but each feed's latest.
    func pruneTombstones(olderThan cutoff: Int) async throws -> Int
    /// The feed heads (latest seq) of the named people, in one query; people without a feed are left out.
    func feedHeads(personIDs: [String]) async throws -> [String: Int64]
    /// Calls `moved` after each commit that moved someone's feed, with the people whose feeds
    /// moved, or nil when the store cannot tell whose (check everyone waiting). Commits made in
    /// this process are always reported; the PostgreSQL store reports other processes' too
    /// (`LISTEN`/`NOTIFY`). Runs until the task is cancelled. The long-poll (``FeedWaiters``)
    /// also checks on a slow timer, so a missed report only delays a wake-up.
    func watchFeeds(_ moved: @escaping @Sendable ([String]?) -> Void) async throws
}

extension ServerStore {
    /// Creates a team without an audit entry (seeding, demo data).
    public func createTeam(_ team: Team) async throws { try await createTeam(team, audit: nil) }
    /// Creates a person without an audit entry (seeding, demo data).
    public func createPerson(_ person: Person, passwordHash: String) async throws {
        try await createPerson(person, passwordHash: passwordHash, audit: nil)
    }
    /// Sets a password without an audit entry.
    public func setPasswordHash(personID: String, hash: String) async throws { try await setPasswordHash(personID: personID, hash: hash, audit: nil) }
    /// Deactivates a person without an audit entry.
    public func deactivatePerson(id: String) async throws { try await deactivatePerson(id: id, audit: nil) }
    /// Deletes a call without an audit entry.
    public func deleteCall(id: String) async throws -> Bool { try await deleteCall(id: id, audit: nil) }
    /// Stores a setting without an audit entry (tests, demo data).
    public func setSetting(key: String, value: JSONValue, by personID: String?) async throws {
        try await setSetting(key: key, value: value, by: personID, audit: nil)
    }
    /// The whole audit log, oldest first.
    public func auditLog() async throws -> [AuditEntry] { try await auditLog(AuditQuery()).reversed() }

    /// Stores an API bearer token.
    public func insertToken(hash: Data, personID: String, expiresAt: Int) async throws {
        try await insertToken(hash: hash, personID: personID, expiresAt: expiresAt, kind: .api)
    }

    /// Looks an API bearer token up.
    public func lookUpToken(hash: Data, now: Int) async throws -> TokenLookup {
        try await lookUpToken(hash: hash, now: now, kind: .api)
    }
}

/// One person's scores in one week, as ``ServerStore/scoreHistory(personIDs:from:to:)`` reads them.
public struct WeekScore: Sendable, Hashable {
    public var personID: String
    /// `YYYY-Www`.
    public var period: String
    public var compositeScore: Double
    /// Raw score per scored domain.
    public var domainScores: [String: Double]

    public init(personID: String, period: String, compositeScore: Double, domainScores: [String: Double]) {
        self.personID = personID
        self.period = period
        self.compositeScore = compositeScore
        self.domainScores = domainScores
    }
}

/// The outcome of looking a token up.
public enum TokenLookup: Sendable, Equatable {
    case valid(Person)
    case expired
    case unknown
}

/// One change of a feed page with the entity's current state.
public struct FeedChange: Sendable, Equatable {
    public var seq: Int64
    public var stream: SyncStream
    public var op: ChangeOp
    public var id: String
    public var entity: FeedEntity?

    public init(seq: Int64, stream: SyncStream, op: ChangeOp, id: String, entity: FeedEntity?) {
        self.seq = seq
        self.stream = stream
        self.op = op
        self.id = id
        self.entity = entity
    }
}

/// The current state an upsert carries.
public enum FeedEntity: Sendable, Equatable, Encodable {
    case call(Call)
    case daySummary(DaySummary)
    /// A snapshot, review, goal or feedback entry as its stored wire JSON.
    case document(String)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .call(let c): try c.encode(to: encoder)
        case .daySummary(let d): try d.encode(to: encoder)
        case .document(let json): try WireJSON.decode(JSONValue.self, from: Data(json.utf8)).encode(to: encoder)
        }
    }
}

/// A page of a person's change feed.
public struct FeedPage: Sendable, Equatable {
    public var changes: [FeedChange]
    public var next: Int64
    public var hasMore: Bool
    /// The feed's latest seq when the page was read (sent as `X-Feed-Head` for progress and ETA).
    public var head: Int64 = 0

    public init(changes: [FeedChange], next: Int64, hasMore: Bool, head: Int64 = 0) {
        self.changes = changes
        self.next = next
        self.hasMore = hasMore
        self.head = head
    }
}

/// A page of a person's change feed as a response body.
public struct FeedPageBody: Sendable {
    public var bytes: [UInt8]
    /// Changes on the page.
    public var count: Int
    public var hasMore: Bool
    public var head: Int64
    /// The page's `next` cursor.
    public var next: Int64

    public init(bytes: [UInt8], count: Int, hasMore: Bool, head: Int64, next: Int64) {
        self.bytes = bytes
        self.count = count
        self.hasMore = hasMore
        self.head = head
        self.next = next
    }
}

extension ServerStore {
    public func close() async {}

    /// Every stream's changes.
    public func pull(personID: String, since: Int64, limit: Int, resync: Bool = false) async throws -> FeedPage {
        try await pull(personID: personID, since: since, limit: limit, resync: resync, streams: nil)
    }

    /// Every stream's changes, as the response body.
    public func pullBody(personID: String, since: Int64, limit: Int, resync: Bool, format: PullFormat) async throws -> FeedPageBody {
        try await pullBody(personID: personID, since: since, limit: limit, resync: resync, format: format, streams: nil)
    }

    /// Builds the ``FeedPage`` and writes it (stores without a direct writer).
    public func pullBody(personID: String, since: Int64, limit: Int, resync: Bool, format: PullFormat, streams: Set<SyncStream>?) async throws -> FeedPageBody {
        let page = try await pull(personID: personID, since: since, limit: limit, resync: resync, streams: streams)
        return FeedPageBody(bytes: page.json(format: format), count: page.changes.count, hasMore: page.hasMore, head: page.head, next: page.next)
    }
}

extension FeedEntity: Decodable {
    public init(from decoder: any Decoder) throws {
        if let call = try? Call(from: decoder) {
            self = .call(call)
        } else if let summary = try? DaySummary(from: decoder) {
            self = .daySummary(summary)
        } else {
            self = .document(String(decoding: try WireJSON.encode(JSONValue(from: decoder)), as: UTF8.self))
        }
    }
}
