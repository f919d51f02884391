/// Every action of the machine. The raw value is the name used in routes,
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
    case submitDelivery = "submit_delivery"
    case approve
    case requestChanges = "request_changes"
    case startKPIReview = "start_kpi_review"
    case recordKPIResults = "record_kpi_results"
    case close
    case cancel
    /// Automatic: the engine moves the project to `delivery` when every task is accepted.
    case startDelivery = "start_delivery"
}

/// Whether an action addresses the project or one of its tasks.
public enum ActionScope: String, Sendable, Codable {
    case project
    case task
}

/// One row of the machine table: who may do what, from where, to where.
public struct ActionSpec: Sendable, Hashable {
    public var action: Action
    public var scope: ActionScope
    /// The side that performs it (`system` for automatic transitions).
    public var side: Side
    /// Project states in which the action is allowed; empty for `create`.
    public var from: [ProjectState]
    /// The project state after the action; nil when it stays where it is.
    public var to: ProjectState?
    /// For task actions: the task states it applies to.
    public var taskFrom: [TaskState]
    /// For task actions: the task state after the action.
    public var taskTo: TaskState?
    /// The event announced when the action is applied.
    public var eventType: String
    /// The guard, in words, as `GET /v1/workflow` shows it.
    public var guardDescription: String?
    /// Whether a caller can request it (false for automatic transitions).
    public var requestable: Bool { side != .system }
}

/// The machine's definition: the single table the engine runs and `GET /v1/workflow` shows.
public enum WorkflowDefinition {
    static let nonTerminal: [ProjectState] = ProjectState.allCases.filter { !$0.isTerminal }

    /// Every action, in lifecycle order.
    public static let actions: [ActionSpec] = [
        ActionSpec(action: .create, scope: .project, side: .brand, from: [], to: .strategy, taskFrom: [], taskTo: nil,
                   eventType: "project.created", guardDescription: "title and strategy valid"),
        ActionSpec(action: .updateStrategy, scope: .project, side: .brand, from: [.strategy], to: nil, taskFrom: [], taskTo: nil,
                   eventType: "project.strategy_updated", guardDescription: "valid strategy"),
        ActionSpec(action: .addTask, scope: .project, side: .brand, from: [.strategy], to: nil, taskFrom: [], taskTo: .draft,
                   eventType: "project.task_added", guardDescription: "agency exists and is an agency"),
        ActionSpec(action: .removeTask, scope: .project, side: .brand, from: [.strategy], to: nil, taskFrom: [.draft], taskTo: nil,
                   eventType: "project.task_removed", guardDescription: "task exists"),
        ActionSpec(action: .issueBrief, scope: .project, side: .brand, from: [.strategy], to: .brief, taskFrom: [.draft], taskTo: .issued,
                   eventType: "project.brief_issued", guardDescription: "at least one objective, one KPI with a target and one task"),
        ActionSpec(action: .withdrawBrief, scope: .project, side: .brand, from: [.brief], to: .strategy,
                   taskFrom: [.issued, .accepted, .declined], taskTo: .draft, eventType: "project.brief_withdrawn", guardDescription: nil),
        ActionSpec(action: .accept, scope: .task, side: .agency, from: [.brief], to: nil, taskFrom: [.issued], taskTo: .accepted,
                   eventType: "task.accepted", guardDescription: nil),
        ActionSpec(action: .decline, scope: .task, side: .agency, from: [.brief], to: nil, taskFrom: [.issued], taskTo: .declined,
                   eventType: "task.declined", guardDescription: "reason"),
        ActionSpec(action: .reassign, scope: .task, side: .brand, from: [.brief], to: nil, taskFrom: [.declined], taskTo: .issued,
                   eventType: "task.reassigned", guardDescription: "agency_id is an agency"),
        ActionSpec(action: .startDelivery, scope: .project, side: .system, from: [.brief], to: .delivery, taskFrom: [.accepted], taskTo: nil,
                   eventType: "project.delivery_started", guardDescription: "every task accepted"),
        ActionSpec(action: .submitDelivery, scope: .task, side: .agency, from: [.delivery], to: nil,
                   taskFrom: [.accepted, .changesRequested], taskTo: .delivered, eventType: "task.delivered", guardDescription: "summary, links"),
        ActionSpec(action: .approve, scope: .task, side: .brand, from: [.delivery], to: nil, taskFrom: [.delivered], taskTo: .approved,
                   eventType: "task.approved", guardDescription: nil),
        ActionSpec(action: .requestChanges, scope: .task, side: .brand, from: [.delivery], to: nil, taskFrom: [.delivered],
                   taskTo: .changesRequested, eventType: "task.changes_requested", guardDescription: "note"),
        ActionSpec(action: .startKPIReview, scope: .project, side: .brand, from: [.delivery], to: .kpiReview, taskFrom: [.approved], taskTo: nil,
                   eventType: "project.kpi_review_started", guardDescription: "every task approved"),
        ActionSpec(action: .recordKPIResults, scope: .project, side: .brand, from: [.kpiReview], to: nil, taskFrom: [], taskTo: nil,
                   eventType: "project.kpi_results_recorded", guardDescription: "keys are the strategy's KPIs, numbers"),
        ActionSpec(action: .close, scope: .project, side: .brand, from: [.kpiReview], to: .closed, taskFrom: [], taskTo: nil,
                   eventType: "project.closed", guardDescription: "every KPI has an actual"),
        ActionSpec(action: .cancel, scope: .project, side: .brand, from: nonTerminal, to: .cancelled, taskFrom: [], taskTo: nil,
                   eventType: "project.cancelled", guardDescription: "reason"),
    ]

    private static let byAction: [Action: ActionSpec] = Dictionary(uniqueKeysWithValues: actions.map { ($0.action, $0) })

    /// The row of the table for `action`.
    public static func spec(_ action: Action) -> ActionSpec { byAction[action]! }

    /// Every event type the engine can emit, in table order.
    public static var eventTypes: [String] { actions.map(\.eventType) }

    /// Project state changes the machine allows (from, to): the database trigger enforces the same set.
    public static var projectEdges: Set<[ProjectState]> {
        var edges = Set<[ProjectState]>()
        for spec in actions { if let to = spec.to { for from in spec.from where from != to { edges.insert([from, to]) } } }
        return edges
    }

    /// Task state changes the machine allows (from, to).
    public static var taskEdges: Set<[TaskState]> {
        var edges = Set<[TaskState]>()
        for spec in actions where spec.action != .removeTask {
            if let to = spec.taskTo { for from in spec.taskFrom where from != to { edges.insert([from, to]) } }
        }
        return edges
    }

    /// The requestable actions a caller of `kind` with `role` may perform while the project is in `state`.
    public static func allowedActions(state: ProjectState, kind: OrganizationKind, role: Role) -> [Action] {
        guard role.mayAct else { return [] }
        return actions.filter { $0.requestable && $0.action != .create && $0.side == kind.side && $0.from.contains(state) }.map(\.action)
    }
}
