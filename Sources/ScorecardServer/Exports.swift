// The HTTP layer is used with the domain and services it serves: importing ScorecardServer
// brings ScorecardServerCore's types (ServerStore, ReviewService, TeamSummary, …) along.
@_exported import ScorecardServerCore
