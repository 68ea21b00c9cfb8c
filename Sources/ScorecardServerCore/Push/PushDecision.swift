import Foundation
import ScorecardCore

/// What a backend does with one pushed mutation, decided from the rows it read: the same
/// decisions on every backend, which only reads, writes and stores the result.
///
/// A store reads what ``PushDecision/reads(_:)`` names inside the mutation's transaction, asks
/// ``PushDecision/decide(_:personID:now:review:goal:)``, performs the write (if any), and stores
/// the result with the mutation id.
public enum PushDecision: Sendable {
    /// Nothing to write: answer this.
    case answer(PushResult)
    /// Mark this review acknowledged (the store's acknowledge path moves its version on), then
    /// answer applied with the review as written.
    case acknowledge(Review)
    /// Write this goal as it is (version and `updated_at` already set), then answer applied with it.
    case writeGoal(Goal)

    /// The entity a mutation needs read first.
    public enum Read: Sendable, Equatable {
        case review(String)
        case goal(String)
        case nothing
    }

    /// What `m` needs read before it can be decided.
    public static func reads(_ m: PushMutation) -> Read {
        switch m.type {
        case "ack_review": return m.string("review_id").map(Read.review) ?? .nothing
        case "update_goal", "cancel_goal": return m.string("goal_id").map(Read.goal) ?? .nothing
        case "create_goal":
            if case .string(let id)? = m.object("goal")?["id"] { return .goal(id) }
            return .nothing
        default: return .nothing
        }
    }

    /// Decides `m` for `personID` at `now` (seconds since 1970), given what ``reads(_:)`` named.
    public static func decide(_ m: PushMutation, personID: String, now: Int, review: Review?, goal: Goal?) throws -> PushDecision {
        switch m.type {
        case "ack_review":
            guard m.string("review_id") != nil else { return .answer(.rejected(m.id, "ack_review needs review_id")) }
            switch PushRules.ack(review, by: personID, acknowledgedAt: m.string("acknowledged_at"), now: now) {
            case .apply(let acked?): return .acknowledge(acked)
            case .apply(nil): return .answer(try .applied(m.id, review!))
            case .conflict(let fields): return .answer(PushResult(id: m.id, status: .conflict, entity: try review.map(entity), conflicts: fields))
            case .reject(let reason): return .answer(.rejected(m.id, reason))
            }
        case "create_goal":
            guard let object = m.object("goal") else { return .answer(.rejected(m.id, "create_goal needs a goal object")) }
            let draft: GoalRules.Draft
            do {
                draft = try WireJSON.decode(GoalRules.Draft.self, from: WireJSON.encode(JSONValue.object(object)))
            } catch {
                return .answer(.rejected(m.id, "the goal needs id, domain, metric_key, label, target_value (a number), comparison and deadline"))
            }
            guard let id = draft.id else { return .answer(.rejected(m.id, "the goal needs the id the client made for it")) }
            if let personInDraft = draft.personID, personInDraft != personID {
                return .answer(.rejected(m.id, "goals pushed by a client are its own person's"))
            }
            let created: Goal
            do {
                created = try GoalRules.create(
                    draft, personID: personID, createdBy: personID, today: CivilDate(daysSinceEpoch: now / 86_400),
                    now: Timestamp.format(epochSeconds: now))
            } catch let error as StoreError {
                return .answer(.rejected(m.id, error.message))
            }
            if goal != nil { return .answer(.rejected(m.id, "a goal with id '\(id)' exists already")) }
            return .writeGoal(created)
        case "update_goal", "cancel_goal":
            guard m.string("goal_id") != nil else { return .answer(.rejected(m.id, "\(m.type) needs goal_id")) }
            let outcome =
                m.type == "cancel_goal"
                ? PushRules.cancel(goal, by: personID)
                : PushRules.update(goal, by: personID, baseVersion: m.int("base_version"), base: m.object("base") ?? [:], changes: m.object("changes") ?? [:])
            switch outcome {
            case .apply(var changed?):
                changed.version = goal!.version + 1
                changed.updatedAt = Timestamp.format(epochSeconds: now)
                return .writeGoal(changed)
            case .apply(nil): return .answer(try .applied(m.id, goal!))
            case .conflict(let fields): return .answer(PushResult(id: m.id, status: .conflict, entity: try goal.map(entity), conflicts: fields))
            case .reject(let reason): return .answer(.rejected(m.id, reason))
            }
        default:
            return .answer(.rejected(m.id, "unknown mutation type '\(m.type)'; expected ack_review, create_goal, update_goal or cancel_goal"))
        }
    }

    static func entity(_ value: some Encodable) throws -> JSONValue {
        try WireJSON.decode(JSONValue.self, from: WireJSON.encode(value))
    }
}

extension PushResult {
    /// An applied mutation with the entity as the server now has it.
    public static func applied(_ id: String, _ entity: some Encodable) throws -> PushResult {
        PushResult(id: id, status: .applied, entity: try PushDecision.entity(entity))
    }
}
