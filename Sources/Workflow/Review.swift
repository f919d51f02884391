import Foundation

/// How a task's deliveries are signed off.
public enum ApprovalMode: String, Sendable, CaseIterable, Codable, Hashable {
    /// The first decision of a listed approver (of any brand manager when none is listed) settles the round.
    case any
    /// Every listed approver must approve the round; one request for changes settles it at once (Ziflow's rule).
    case all
}

/// Who signs off a task's deliveries: set by the brand at `add_task` or with `set_approval`.
public struct ApprovalPolicy: Sendable, Hashable {
    public var mode: ApprovalMode
    /// API key ids of the brand: each person has their own key, whose name is the person's name. Empty with `any`:
    /// any brand key that may act decides (the behaviour before approval policies existed).
    public var approvers: [UUID]

    public init(mode: ApprovalMode, approvers: [UUID]) {
        self.mode = mode
        self.approvers = approvers
    }

    /// Any brand manager, one decision.
    public static let standard = ApprovalPolicy(mode: .any, approvers: [])

    /// Whether `key` may decide under this policy (a brand key that may act: checked before).
    public func admits(_ key: UUID?) -> Bool { approvers.isEmpty || key.map(approvers.contains) == true }
}

/// A decision on a delivery round.
public enum Verdict: String, Sendable, CaseIterable, Codable, Hashable {
    case approve
    case requestChanges = "request_changes"
}

extension Verdict {
    /// The verdict an action gives: `approve` and `request_changes` decide a round; nothing else does.
    public init?(_ action: Action) {
        switch action {
        case .approve: self = .approve
        case .requestChanges: self = .requestChanges
        default: return nil
        }
    }
}

/// One approver's decision on one delivery round. The database keeps one per approver per round (migration 0013).
public struct ApprovalDecision: Sendable, Hashable {
    public var taskID: UUID
    public var round: Int
    public var apiKeyID: UUID
    public var verdict: Verdict
    public var decidedAt: Date

    public init(taskID: UUID, round: Int, apiKeyID: UUID, verdict: Verdict, decidedAt: Date) {
        self.taskID = taskID
        self.round = round
        self.apiKeyID = apiKeyID
        self.verdict = verdict
        self.decidedAt = decidedAt
    }
}

/// Facts about a brand key named as an approver, read with the action that names it.
public struct ApproverKey: Sendable, Hashable {
    public var organizationID: UUID
    public var role: Role
    public var revoked: Bool

    public init(organizationID: UUID, role: Role, revoked: Bool) {
        self.organizationID = organizationID
        self.role = role
        self.revoked = revoked
    }
}

/// A comment on a task, as stored and as the API shows it.
public struct TaskComment: Sendable, Hashable {
    public var id: UUID
    public var projectID: UUID
    public var taskID: UUID
    /// The agency holding the task when the comment was written: the conversation is the brand's with that agency.
    public var agencyID: UUID
    /// The delivery round it is about, if any.
    public var round: Int?
    /// The thread it answers (one level: a reply has no replies).
    public var parentID: UUID?
    public var authorOrganizationID: UUID
    public var authorAPIKeyID: UUID?
    public var authorSide: Side
    /// Markdown, stored as text; the daemon never renders it as HTML.
    public var body: String
    /// Brand only: never shown, sent or listed to an agency.
    public var isInternal: Bool
    public var createdAt: Date
    public var resolvedAt: Date?
    public var resolvedByAPIKeyID: UUID?

    public init(
        id: UUID, projectID: UUID, taskID: UUID, agencyID: UUID, round: Int?, parentID: UUID?,
        authorOrganizationID: UUID, authorAPIKeyID: UUID?, authorSide: Side, body: String, isInternal: Bool,
        createdAt: Date, resolvedAt: Date? = nil, resolvedByAPIKeyID: UUID? = nil
    ) {
        self.id = id
        self.projectID = projectID
        self.taskID = taskID
        self.agencyID = agencyID
        self.round = round
        self.parentID = parentID
        self.authorOrganizationID = authorOrganizationID
        self.authorAPIKeyID = authorAPIKeyID
        self.authorSide = authorSide
        self.body = body
        self.isInternal = isInternal
        self.createdAt = createdAt
        self.resolvedAt = resolvedAt
        self.resolvedByAPIKeyID = resolvedByAPIKeyID
    }

    /// Whether `actor` may see it: the brand sees every comment of its projects; an agency the comments that are
    /// not internal, written while it held the task.
    public func isVisible(to actor: Actor) -> Bool {
        actor.kind == .brand || (!isInternal && agencyID == actor.organizationID)
    }
}

/// A new comment as `POST …/comments` describes it.
public struct NewComment: Sendable, Hashable {
    public var body: String
    public var round: Int?
    public var parentID: UUID?
    public var isInternal: Bool

    public init(body: String, round: Int?, parentID: UUID?, isInternal: Bool) {
        self.body = body
        self.round = round
        self.parentID = parentID
        self.isInternal = isInternal
    }
}

/// What a decision writes besides the project: a comment added or resolved, approval decisions.
public struct ReviewWrites: Sendable, Hashable {
    /// A comment as it is after the action: a new one (not resolved), or a thread just resolved.
    public var comment: TaskComment?
    public var decisions: [ApprovalDecision] = []

    public init(comment: TaskComment? = nil, decisions: [ApprovalDecision] = []) {
        self.comment = comment
        self.decisions = decisions
    }
}

extension TaskRecord {
    /// The decisions on the current round (the last delivery).
    public var currentRoundDecisions: [ApprovalDecision] {
        decisions.filter { $0.round == deliveries.count }
    }

    /// The listed approvers who have not decided the round under review (empty when no round waits or no one is
    /// listed).
    public var pendingApprovers: [UUID] {
        guard state == .delivered else { return [] }
        let decided = Set(currentRoundDecisions.map(\.apiKeyID))
        return approval.approvers.filter { !decided.contains($0) }
    }
}

/// The review rules: who may decide a round, what settles it, what a comment may refer to; and how comments,
/// policies and decisions read as JSON.
public enum Review {
    /// Comments are limited in bytes (UTF-8), the unit a request and a row are paid in.
    static let commentBytes = 10_000

    /// Records `verdict` by `actor` on task `task`'s round under review. Returns the decision and whether it
    /// settles the round: with `any`, always; with `all`, a request for changes or the last pending approval.
    static func decide(_ verdict: Verdict, task: TaskRecord, in state: ProjectState, actor: Actor, now: Date)
        throws(Refusal) -> (decision: ApprovalDecision?, settles: Bool, pending: [UUID])
    {
        let policy = task.approval
        guard policy.admits(actor.identity) else {
            throw Refusal(
                .forbidden, "this task's deliveries are signed off by its listed approvers; this key is not one")
        }
        let round = task.deliveries.count
        guard let key = actor.identity else { return (nil, true, []) }
        if task.currentRoundDecisions.contains(where: { $0.apiKeyID == key }) {
            throw Refusal(
                .invalidTransition, "this key already decided round \(round)", state: state, taskState: task.state)
        }
        let decision = ApprovalDecision(taskID: task.id, round: round, apiKeyID: key, verdict: verdict, decidedAt: now)
        guard policy.mode == .all, verdict == .approve else { return (decision, true, []) }
        let pending = task.pendingApprovers.filter { $0 != key }
        return (decision, pending.isEmpty, pending)
    }

    /// Checks a new policy: `all` needs approvers; every approver is a key of the brand that may act and is not
    /// revoked.
    static func check(_ policy: ApprovalPolicy, brand: UUID, keys: [UUID: ApproverKey]) throws(Refusal) {
        if policy.mode == .all && policy.approvers.isEmpty {
            throw Refusal(.guardFailed, "approval mode all needs at least one approver")
        }
        for id in policy.approvers {
            guard let key = keys[id], key.organizationID == brand else {
                throw Refusal(.guardFailed, "approver \(id.lowercased) is not a member or an API key of this brand")
            }
            guard !key.revoked else {
                throw Refusal(.guardFailed, "approver \(id.lowercased) is a revoked key or a removed member")
            }
            guard key.role.mayAct else {
                throw Refusal(.guardFailed, "approver \(id.lowercased) is a viewer: it cannot decide")
            }
        }
    }

    /// A new comment on `task` by `actor`: its round must exist, its parent must be a thread of the same task the
    /// actor sees; only the brand writes internal comments, and a reply to an internal thread is internal.
    static func comment(
        _ new: NewComment, task: TaskRecord, project: ProjectRecord, actor: Actor, parent: TaskComment?,
        context: DecisionContext
    ) throws(Refusal) -> TaskComment {
        if new.isInternal && actor.kind != .brand {
            throw Refusal(.guardFailed, "internal comments are the brand's own")
        }
        if let round = new.round, round < 1 || round > task.deliveries.count {
            throw Refusal(.guardFailed, "round \(round) does not exist: this task has \(task.deliveries.count)")
        }
        if let parentID = new.parentID {
            guard let parent, parent.id == parentID, parent.taskID == task.id, parent.isVisible(to: actor) else {
                throw Refusal(.guardFailed, "parent_id must be a comment of this task")
            }
            guard parent.parentID == nil else {
                throw Refusal(
                    .guardFailed, "replies have no replies: answer the thread (\(parent.parentID!.lowercased))")
            }
        }
        return TaskComment(
            id: context.newTaskID, projectID: project.id, taskID: task.id, agencyID: task.agencyID, round: new.round,
            parentID: new.parentID, authorOrganizationID: actor.organizationID, authorAPIKeyID: actor.identity,
            authorSide: actor.side, body: new.body, isInternal: new.isInternal || parent?.isInternal == true,
            createdAt: context.now)
    }

    /// A thread resolved by `actor`: a comment of this task that it sees, not a reply, still open.
    static func resolve(_ id: UUID, task: TaskRecord, actor: Actor, comment: TaskComment?, now: Date) throws(Refusal)
        -> TaskComment
    {
        guard var comment, comment.id == id, comment.taskID == task.id, comment.isVisible(to: actor) else {
            throw Refusal(.notFound, "no such comment on this task")
        }
        guard comment.parentID == nil else {
            throw Refusal(.guardFailed, "a reply is not resolved on its own: resolve its thread")
        }
        if let at = comment.resolvedAt {
            throw Refusal(.invalidTransition, "the thread was resolved at \(JSONCoding.format(at))")
        }
        comment.resolvedAt = now
        comment.resolvedByAPIKeyID = actor.identity
        return comment
    }

    // MARK: As JSON (events, history, views)

    public static func json(_ policy: ApprovalPolicy) -> JSONValue {
        .object(["mode": .string(policy.mode.rawValue), "approvers": .array(policy.approvers.map { .id($0) })])
    }

    public static func json(_ decisions: [ApprovalDecision]) -> JSONValue {
        .array(
            decisions.map {
                .object([
                    "round": .number(Double($0.round)), "api_key_id": .id($0.apiKeyID),
                    "decision": .string($0.verdict.rawValue), "decided_at": .string(JSONCoding.format($0.decidedAt)),
                ])
            })
    }

    /// A comment as events, history and the API show it.
    public static func json(_ c: TaskComment) -> JSONValue {
        .object([
            "id": .id(c.id), "project_id": .id(c.projectID), "task_id": .id(c.taskID),
            "round": c.round.map {
                .number(Double($0))
            } ?? .null,
            "parent_id": .id(c.parentID), "body": .string(c.body), "internal": .bool(c.isInternal),
            "author": .object([
                "organization_id": .id(c.authorOrganizationID), "api_key_id": .id(c.authorAPIKeyID),
                "side": .string(c.authorSide.rawValue),
            ]),
            "created_at": .string(JSONCoding.format(c.createdAt)),
            "resolved_at": c.resolvedAt.map { .string(JSONCoding.format($0)) } ?? .null,
            "resolved_by": .id(c.resolvedByAPIKeyID),
        ])
    }
}
