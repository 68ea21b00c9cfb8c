import ScorecardCore

/// One person's activity aggregates for one week, as the batch queries return them.
///
/// Every field is a plain count, sum or mean over the week's events (docs/scoring.md says which
/// events and which period field); nil means "no event had the value".
public struct PersonFacts: Sendable, Equatable {
    public var personID: String
    public var teamID: String?
    public var teamType: TeamType?

    // support: tickets resolved in the week
    public var tickets = 0
    public var ticketsWithSLA = 0
    public var ticketsSLAMet = 0
    public var ticketResolutionMinutes: Double?
    public var ticketsEscalated = 0
    public var csatAverage: Double?
    public var ticketsTagged = 0

    // operations: tasks assigned in the week
    public var tasks = 0
    public var tasksDone = 0
    public var tasksDoneWithDue = 0
    public var tasksOnTime = 0
    public var taskEffortAccuracy: Double?
    public var tasksBlocked = 0

    // field service: work orders assigned in the week
    public var workOrders = 0
    public var workOrdersCompleted = 0
    public var workOrderDelayMinutes: Double?
    public var workOrderDurationAccuracy: Double?
    public var workOrdersWithNotes = 0

    // communication: conversations started in the week
    public var conversations = 0
    public var firstResponseMinutes: Double?
    public var conversationResolutionMinutes: Double?
    public var conversationsResolved = 0
    public var conversationsTagged = 0
    public var channelsUsed = 0

    // sales
    public var leadsCreated = 0
    public var pipelineValue = 0.0
    public var leadsWon = 0
    public var leadsLost = 0
    public var quotesSent = 0
    public var quotesAccepted = 0
    public var leadMessages = 0

    // data quality: records touched in the week
    public var records = 0
    public var contactCompleteness: Double?
    public var orgCompleteness: Double?
    public var noteLength: Double?

    public init(personID: String, teamID: String? = nil, teamType: TeamType? = nil) {
        self.personID = personID
        self.teamID = teamID
        self.teamType = teamType
    }

    /// Closed leads (won or lost) in the week.
    public var leadsClosed: Int { leadsWon + leadsLost }

    /// Whether the person had activity in `domain` this week (else the domain is left out).
    public func isActive(_ domain: Domain) -> Bool {
        switch domain {
        case .support: return tickets > 0
        case .operations: return tasks > 0
        case .fieldService: return workOrders > 0
        case .communication: return conversations > 0
        case .sales: return salesEvents > 0
        case .dataQuality: return records > 0
        }
    }

    /// Leads created, leads closed, quotes sent and messages to leads.
    public var salesEvents: Int { leadsCreated + leadsClosed + quotesSent + leadMessages }

    /// Every event of the week the ratio counts.
    public var trackedEvents: Int { tickets + tasks + workOrders + conversations + records + salesEvents }
}

/// Everything scoring one week needs: the facts of every active person with activity.
public struct ScoringFacts: Sendable {
    public var period: ISOWeek
    public var people: [PersonFacts]
    /// Channels available (the `communication_channels` setting) — the coverage denominator.
    public var channelsAvailable: Int
    /// SQL statements the batch read ran (independent of how many people there are).
    public var statements: Int

    public init(period: ISOWeek, people: [PersonFacts], channelsAvailable: Int, statements: Int = 0) {
        self.period = period
        self.people = people
        self.channelsAvailable = channelsAvailable
        self.statements = statements
    }
}
