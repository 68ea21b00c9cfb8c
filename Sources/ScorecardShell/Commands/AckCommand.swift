import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore

/// `ack ID`: acknowledge a coaching review, offline too; the next sync sends it.
public struct AckCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ack", abstract: "Acknowledge a coaching review (offline too; the next sync sends it).",
        discussion: "ID may be any unique prefix of the review's id. The time you acknowledged is kept, even when the sync is days later.")

    @Argument(help: "The review's id or a unique prefix of it.") var id: String

    public init() {}

    public static let completion = CompletionSpec(arguments: [.reviewID], options: ["--help": .none])

    public func execute(in context: CommandContext) async throws {
        let mirror = try context.mirror()
        let review: Review
        switch try mirrorCall({ try mirror.review(id) }) {
        case .found(let r): review = r
        case .none: throw CLIError(.failure, "no review '\(id)' in the mirror; `reviews` lists them")
        case .ambiguous(let ids): throw CLIError(.failure, "'\(id)' matches several reviews: \(ids.joined(separator: ", "))")
        }
        if review.isAcknowledged {
            let waiting = try mirrorCall { try mirror.pendingEdits() }[review.id]?.type == "ack_review"
            context.write(
                waiting
                    ? "Review \(review.id) is already acknowledged here; the next sync sends it.\n"
                    : "Review \(review.id) was already acknowledged (\(review.acknowledgedAt ?? "on the server")).\n")
            return
        }
        _ = try mirrorCall { try mirror.enqueue(.ackReview(reviewID: review.id, acknowledgedAt: Timestamp.now())) }
        context.write("Acknowledged review \(review.id); \(OutboxText.waiting(try mirrorCall { try mirror.outboxCounts() })).\n")
    }
}

/// Shared words about the outbox.
enum OutboxText {
    /// `1 edit waiting to sync (`sync` sends it)`.
    static func waiting(_ counts: [OutboxState: Int]) -> String {
        let n = counts[.pending] ?? 0
        return "\(n) edit\(n == 1 ? "" : "s") waiting to sync (`sync` sends \(n == 1 ? "it" : "them"))"
    }

    /// `3 min ago` for a timestamp, relative to `now` (epoch seconds).
    static func age(_ timestamp: String, now: Int = Int(Date().timeIntervalSince1970)) -> String {
        guard let then = Timestamp.epochSeconds(timestamp) else { return timestamp }
        let s = max(0, now - then)
        switch s {
        case ..<60: return "\(s) s ago"
        case ..<3600: return "\(s / 60) min ago"
        case ..<86400: return "\(s / 3600) h ago"
        default: return "\(s / 86400) d ago"
        }
    }
}
