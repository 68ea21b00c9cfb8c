import Hummingbird
import ScorecardCore

/// What a form post adds when it shows the scorecard again instead of redirecting: a message,
/// the status, and the form it was about with what was submitted.
struct ScorecardOverlay {
    var alert: String?
    var notice: String?
    var status: HTTPResponse.Status = .ok
    /// The goal form the message is about: a goal id, or "" for the create form.
    var goalID: String?
    var goalError: String?
    var form: FormBody?
    var conflict: GoalsView.Conflict?
}
