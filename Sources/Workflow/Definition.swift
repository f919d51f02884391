/// Every action of the machine, in lifecycle order. The raw value is the name used in routes,
/// history and `GET /v1/workflow`.
public enum Action: String, Sendable, CaseIterable, Codable, Hashable {
    case create
    case updateStrategy = "update_strategy"
    case addTask = "add_task"
    case removeTask = "remove_task"
    case issueBrief = "issue_brief"
    case withdrawBrief = "withdraw_brief"
    case accept
    case decline
    case reassign
    /// Automatic: the engine moves the project to `delivery` when every task is accepted.
    case startDelivery = "start_delivery"
    case submitDelivery = "submit_delivery"
    case approve
    case requestChanges = "request_changes"
    case startKPIReview = "start_kpi_review"
    case recordKPIResults = "record_kpi_results"
    case close
    case cancel
    /// The brand sets or moves a task's deadline.
    case setDueDate = "set_due_date"
    /// Either side nudges the other about a task waiting on it (at most once a day per task).
    case remind
    /// Timers: the engine announces a wait that ran late (no state changes).
    case responseOverdue = "response_overdue"
    case dueSoon = "due_soon"
    case overdue
    case escalate
    case reviewOverdue = "review_overdue"
    /// Either side comments on a task (its own route: `POST …/tasks/{task_id}/comments`); no state changes.
    case comment
    /// Either side resolves a thread (`POST …/comments/{comment_id}/resolve`); no state changes.
    case resolveComment = "resolve_comment"
    /// The brand sets who signs off a task's deliveries (`approval: {mode, approvers}`).
    case setApproval = "set_approval"
    /// The outcome of an `approve` that leaves listed approvers pending (mode `all`): the decision is recorded,
    /// the task stays delivered. Not requested by name.
    case recordDecision = "record_decision"
}

/// Whether an action addresses the project or one of its tasks.
public enum ActionScope: String, Sendable, Codable {
    case project
    case task
}

/// One row of the machine table: who may do what, from where, to where — for the project and its tasks.
public struct ActionSpec: Sendable, Hashable {
    public var action: Action
    public var scope: ActionScope
    /// The side that performs it (`system` for automatic transitions and timers).
    public var side: Side
    /// A second side that may perform it too (`remind`: either side nudges the other).
    public var otherSide: Side?
    /// Project states in which the action is allowed; empty for `create`.
    public var from: [ProjectState]
    /// The project state after the action; nil when it stays where it is.
    public var to: ProjectState?
    /// The task states it moves: for a task action, the one task's; for a project action, every task
    /// in one of these states (`issue_brief` issues every draft).
    public var taskFrom: [TaskState]
    /// The task state after the action (for `add_task`, the state a new task starts in).
    public var taskTo: TaskState?
    /// The automatic action the engine tries right after this one (its own guard decides).
    public var then: Action?
    /// The event announced when the action is applied.
    public var eventType: EventType
    /// The guard, in words, as `GET /v1/workflow` shows it.
    public var guardDescription: String?
    /// Whether a caller can request it (false for automatic transitions, timers, and a decision's outcome).
    public var requestable: Bool { side != .system && action != .create && action != .recordDecision }
    /// Comments and their resolution: their own routes (`…/comments`), never in `allowed_actions` or the inbox
    /// (always possible where the task is seen, never owed: `Machine.mayComment` says whether).
    public var isConversation: Bool { action == .comment || action == .resolveComment }
    /// Whether the project's version (its `ETag`) stays as it is: a comment changes no state, so it never makes
    /// an `If-Match` stale.
    public var keepsVersion: Bool { isConversation }
    /// Whether `side` may perform it.
    public func isPerformed(by side: Side) -> Bool { self.side == side || otherSide == side }
}

/// Every event type the daemon emits: one per action (its row's `event`), and the one the dispatcher emits itself.
/// The API's values: a receiver subscribes to them by name.
public enum EventType: String, Sendable, CaseIterable, Codable, Hashable {
    case projectCreated = "project.created"
    case projectStrategyUpdated = "project.strategy_updated"
    case projectTaskAdded = "project.task_added"
    case projectTaskRemoved = "project.task_removed"
    case projectBriefIssued = "project.brief_issued"
    case projectBriefWithdrawn = "project.brief_withdrawn"
    case taskAccepted = "task.accepted"
    case taskDeclined = "task.declined"
    case taskReassigned = "task.reassigned"
    case projectDeliveryStarted = "project.delivery_started"
    case taskDelivered = "task.delivered"
    case taskApproved = "task.approved"
    case taskChangesRequested = "task.changes_requested"
    case projectKpiReviewStarted = "project.kpi_review_started"
    case projectKpiResultsRecorded = "project.kpi_results_recorded"
    case projectClosed = "project.closed"
    case projectCancelled = "project.cancelled"
    case taskDueDateChanged = "task.due_date_changed"
    case taskReminderSent = "task.reminder_sent"
    case taskResponseOverdue = "task.response_overdue"
    case taskDueSoon = "task.due_soon"
    case taskOverdue = "task.overdue"
    case taskEscalated = "task.escalated"
    case taskReviewOverdue = "task.review_overdue"
    case taskCommented = "task.commented"
    case taskCommentResolved = "task.comment_resolved"
    case taskApprovalSet = "task.approval_set"
    case taskDecisionRecorded = "task.decision_recorded"
    /// Not an action's: the dispatcher disabled an endpoint that kept failing.
    case webhookEndpointDisabled = "webhook_endpoint.disabled"
}

/// The machine's definition: the single table the engine runs, `GET /v1/workflow` shows, and the
/// database's triggers are tested against (`TriggerEdgeTests`).
public enum WorkflowDefinition {
    /// Details of a transition that only the brand reads: left out of every event (which agencies may receive)
    /// and of the history an agency reads. One agency learns nothing about another.
    public static let brandOnlyDetails: Set<Detail> = [.previousAgencyID]

    /// `details` without what only the brand reads.
    public static func agencyVisible(_ details: [String: JSONValue]) -> [String: JSONValue] {
        details.filter { Detail(rawValue: $0.key).map { !brandOnlyDetails.contains($0) } ?? true }
    }

    /// Every action, in lifecycle order.
    public static let actions: [ActionSpec] = Action.allCases.map(spec)

    /// The row of the table for `action`.
    public static func spec(_ action: Action) -> ActionSpec {
        let nonTerminal = ProjectState.allCases.filter { !$0.isTerminal }
        func row(
            _ scope: ActionScope, _ side: Side, _ from: [ProjectState], to: ProjectState? = nil,
            tasks taskFrom: [TaskState] = [], become taskTo: TaskState? = nil, then: Action? = nil,
            event: EventType, guard description: String? = nil, orBy otherSide: Side? = nil
        ) -> ActionSpec {
            ActionSpec(
                action: action, scope: scope, side: side, otherSide: otherSide, from: from, to: to, taskFrom: taskFrom,
                taskTo: taskTo, then: then, eventType: event, guardDescription: description)
        }
        let working: [ProjectState] = [.brief, .delivery]
        switch action {
        case .create:
            return row(.project, .brand, [], to: .strategy, event: .projectCreated, guard: "title and strategy valid")
        case .updateStrategy:
            return row(.project, .brand, [.strategy], event: .projectStrategyUpdated, guard: "valid strategy")
        case .addTask:
            return row(
                .project, .brand, [.strategy], to: nil, tasks: [], become: .draft, event: .projectTaskAdded,
                guard: "agency exists and is an agency")
        case .removeTask:
            return row(
                .project, .brand, [.strategy], tasks: [.draft], event: .projectTaskRemoved, guard: "task exists")
        case .issueBrief:
            return row(
                .project, .brand, [.strategy], to: .brief, tasks: [.draft], become: .issued,
                event: .projectBriefIssued,
                guard: "at least one objective, one KPI with a target and one task")
        case .withdrawBrief:
            return row(
                .project, .brand, [.brief], to: .strategy, tasks: [.issued, .accepted, .declined], become: .draft,
                event: .projectBriefWithdrawn)
        case .accept:
            return row(
                .task, .agency, [.brief], tasks: [.issued], become: .accepted, then: .startDelivery,
                event: .taskAccepted)
        case .decline:
            return row(
                .task, .agency, [.brief], tasks: [.issued], become: .declined, event: .taskDeclined, guard: "reason")
        case .reassign:
            return row(
                .task, .brand, [.brief], tasks: [.declined], become: .issued, event: .taskReassigned,
                guard: "agency_id is an agency")
        case .startDelivery:
            return row(
                .project, .system, [.brief], to: .delivery, event: .projectDeliveryStarted,
                guard: "every task accepted")
        case .submitDelivery:
            return row(
                .task, .agency, [.delivery], tasks: [.accepted, .changesRequested], become: .delivered,
                event: .taskDelivered, guard: "summary, links")
        case .approve:
            return row(
                .task, .brand, [.delivery], tasks: [.delivered], become: .approved, event: .taskApproved,
                guard: "a listed approver (any brand manager when none is listed) who has not decided this round; "
                    + "with mode all, the last pending approval settles it, an earlier one is record_decision")
        case .requestChanges:
            return row(
                .task, .brand, [.delivery], tasks: [.delivered], become: .changesRequested,
                event: .taskChangesRequested,
                guard: "note; a listed approver (any brand manager when none is listed) who has not decided this round")
        case .startKPIReview:
            return row(
                .project, .brand, [.delivery], to: .kpiReview, event: .projectKpiReviewStarted,
                guard: "every task approved")
        case .recordKPIResults:
            return row(
                .project, .brand, [.kpiReview], event: .projectKpiResultsRecorded,
                guard: "keys are the strategy's KPIs, numbers")
        case .close:
            return row(
                .project, .brand, [.kpiReview], to: .closed, event: .projectClosed, guard: "every KPI has an actual")
        case .cancel:
            return row(.project, .brand, nonTerminal, to: .cancelled, event: .projectCancelled, guard: "reason")
        case .setDueDate:
            return row(
                .task, .brand, [.strategy, .brief, .delivery],
                tasks: [.draft, .issued, .accepted, .declined, .changesRequested, .delivered],
                event: .taskDueDateChanged, guard: "due_at (RFC 3339) or due_date, in the future")
        case .remind:
            return row(
                .task, .brand, working, tasks: [.issued, .accepted, .changesRequested, .delivered],
                event: .taskReminderSent, guard: "the task waits on the other side; once a day per task",
                orBy: .agency)
        case .responseOverdue:
            return row(
                .task, .system, working, tasks: [.issued], event: .taskResponseOverdue,
                guard: "still issued response_sla after it was issued")
        case .dueSoon:
            return row(
                .task, .system, working, tasks: [.issued, .accepted, .changesRequested], event: .taskDueSoon,
                guard: "due_soon before due_at, no delivery yet")
        case .overdue:
            return row(
                .task, .system, working, tasks: [.issued, .accepted, .changesRequested], event: .taskOverdue,
                guard: "due_at passed, no delivery")
        case .escalate:
            return row(
                .task, .system, working, tasks: [.issued, .accepted, .changesRequested], event: .taskEscalated,
                guard: "escalate_after past due_at, still no delivery")
        case .reviewOverdue:
            return row(
                .task, .system, working, tasks: [.delivered], event: .taskReviewOverdue,
                guard: "a delivery waits on the brand past review_sla")
        case .comment:
            return row(
                .task, .brand, nonTerminal, tasks: TaskState.allCases, event: .taskCommented,
                guard:
                    "body (at most 10,000 bytes); round and parent_id, when given, of this task; internal: brand only",
                orBy: .agency)
        case .resolveComment:
            return row(
                .task, .brand, nonTerminal, tasks: TaskState.allCases, event: .taskCommentResolved,
                guard: "an open thread of this task the caller sees", orBy: .agency)
        case .setApproval:
            return row(
                .task, .brand, [.strategy, .brief, .delivery],
                tasks: [.draft, .issued, .accepted, .declined, .changesRequested], event: .taskApprovalSet,
                guard: "mode any or all; approvers: the brand's keys that may act, at least one with all")
        case .recordDecision:
            return row(
                .task, .brand, [.delivery], tasks: [.delivered], event: .taskDecisionRecorded,
                guard: "an approve by a listed approver that leaves others pending (mode all)")
        }
    }

    /// Every event type the engine can emit, in table order, then the dispatcher's own.
    public static var eventTypes: [String] { EventType.allCases.map(\.rawValue) }

    /// The project states an action can leave the project in: its target, else where it was; and, when an
    /// automatic action may follow, that one's target too.
    public static func projectStatesAfter(_ spec: ActionSpec) -> Set<ProjectState> {
        var states = Set(spec.from.map { spec.to ?? $0 })
        if let then = spec.then, let to = self.spec(then).to { states.insert(to) }
        return states
    }

    /// Project state changes the machine allows (from, to): the database trigger must allow exactly these.
    public static var projectEdges: Set<ProjectEdge> {
        var edges = Set<ProjectEdge>()
        for spec in actions {
            for from in spec.from {
                for to in projectStatesAfter(spec) where to != from && (spec.to != nil || spec.then != nil) {
                    edges.insert(ProjectEdge(from: from, to: to))
                }
            }
        }
        return edges
    }

    /// Task state changes the machine allows, each with the project state it happens in (the state after
    /// the action: the project row is written before its tasks). The database trigger must allow exactly these.
    public static var taskEdges: Set<TaskEdge> {
        var edges = Set<TaskEdge>()
        for spec in actions {
            guard let to = spec.taskTo else { continue }
            for from in spec.taskFrom where from != to {
                for state in projectStatesAfter(spec) {
                    edges.insert(TaskEdge(from: from, to: to, projectState: state))
                }
            }
        }
        return edges
    }
}

/// A project state change.
public struct ProjectEdge: Sendable, Hashable, CustomStringConvertible {
    public var from: ProjectState
    public var to: ProjectState
    public init(from: ProjectState, to: ProjectState) {
        self.from = from
        self.to = to
    }
    public var description: String { "\(from.rawValue)→\(to.rawValue)" }
}

/// A task state change and the project state it happens in.
public struct TaskEdge: Sendable, Hashable, CustomStringConvertible {
    public var from: TaskState
    public var to: TaskState
    public var projectState: ProjectState
    public init(from: TaskState, to: TaskState, projectState: ProjectState) {
        self.from = from
        self.to = to
        self.projectState = projectState
    }
    public var description: String { "\(from.rawValue)→\(to.rawValue) in \(projectState.rawValue)" }
}
