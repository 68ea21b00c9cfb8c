import ScorecardCore
extension ReviewService {
    public static let defaultCoach: CoachFactory = { _ in throw CoachError("temporary") }
}
