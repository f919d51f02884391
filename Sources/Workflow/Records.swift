import Foundation

/// One execution task of a project, as the engine sees it.
public struct TaskRecord: Sendable, Hashable {
    public var id: UUID
    public var agencyID: UUID
    public var position: Int
    public var title: String
    public var description: String
    public var dueDate: String?
    public var state: TaskState
    public var declineReason: String?
    public var changeNote: String?
    public var deliveries: [DeliveryRound]
    public var createdAt: Date
    public var updatedAt: Date
    /// The deadline of the delivery (`due_date` is the end of that day in the brand's time zone).
    public var dueAt: Date?
    /// When the task entered its current state: the start of the current wait.
    public var stateSince: Date
    /// The last `remind` on this task (at most one a day).
    public var lastReminderAt: Date?
    /// The fee agreed with the agency (`add_task`'s `fee_minor` and `currency`).
    public var fee: Money?
    /// Who signs off its deliveries.
    public var approval: ApprovalPolicy
    /// Every approver's decision on every round, oldest first.
    public var decisions: [ApprovalDecision]

    public init(
        id: UUID, agencyID: UUID, position: Int, title: String, description: String, dueDate: String?, state: TaskState,
        declineReason: String? = nil, changeNote: String? = nil, deliveries: [DeliveryRound] = [], createdAt: Date,
        updatedAt: Date, dueAt: Date? = nil, stateSince: Date? = nil, lastReminderAt: Date? = nil, fee: Money? = nil,
        approval: ApprovalPolicy = .standard, decisions: [ApprovalDecision] = []
    ) {
        self.fee = fee
        self.approval = approval
        self.decisions = decisions
        self.dueAt = dueAt
        self.stateSince = stateSince ?? updatedAt
        self.lastReminderAt = lastReminderAt
        self.id = id
        self.agencyID = agencyID
        self.position = position
        self.title = title
        self.description = description
        self.dueDate = dueDate
        self.state = state
        self.declineReason = declineReason
        self.changeNote = changeNote
        self.deliveries = deliveries
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A project with its tasks: the whole state the machine decides on.
public struct ProjectRecord: Sendable, Hashable {
    public var id: UUID
    public var brandID: UUID
    public var title: String
    public var state: ProjectState
    /// Increases by one with every applied action; the `ETag`.
    public var version: Int
    /// The sequence number of the last transition (gap-free per project).
    public var lastSequence: Int
    public var strategy: Strategy
    public var tasks: [TaskRecord]
    public var kpiResults: KPIResults
    public var outcome: Outcome?
    public var cancelReason: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// The brand's service levels as they were read with the project (not part of its state).
    public var serviceLevels: ServiceLevels

    public init(
        id: UUID, brandID: UUID, title: String, state: ProjectState, version: Int, lastSequence: Int,
        strategy: Strategy,
        tasks: [TaskRecord], kpiResults: KPIResults, outcome: Outcome?, cancelReason: String?, createdAt: Date,
        updatedAt: Date, serviceLevels: ServiceLevels = .defaults
    ) {
        self.serviceLevels = serviceLevels
        self.id = id
        self.brandID = brandID
        self.title = title
        self.state = state
        self.version = version
        self.lastSequence = lastSequence
        self.strategy = strategy
        self.tasks = tasks
        self.kpiResults = kpiResults
        self.outcome = outcome
        self.cancelReason = cancelReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The index of task `id`, if the project has it.
    public func taskIndex(_ id: UUID) -> Int? { tasks.firstIndex { $0.id == id } }

    /// Agencies that can see the project: those named by a task that is no longer a draft.
    public var visibleAgencies: Set<UUID> { Set(tasks.filter(\.state.isVisibleToAgency).map(\.agencyID)) }
}

/// One applied state change, recorded in the history and announced as an event.
public struct Transition: Sendable, Hashable {
    public var action: Action
    public var from: ProjectState?
    public var to: ProjectState
    public var taskID: UUID?
    public var side: Side
    public var eventType: EventType
    /// Action-specific details (a reason, a round, results).
    public var data: [String: JSONValue]
    /// Organizations that receive the event.
    public var audience: Set<UUID>
}

/// What the machine decided: the project after the action, the transitions to record, and the timers to arm
/// and cancel (in the same transaction).
public struct Decision: Sendable, Hashable {
    public var project: ProjectRecord
    public var transitions: [Transition]
    public var timers: TimerPlan = TimerPlan()
    /// The comment and approval decisions to write (in the same transaction).
    public var writes: ReviewWrites = ReviewWrites()

    public init(
        project: ProjectRecord, transitions: [Transition], timers: TimerPlan = TimerPlan(),
        writes: ReviewWrites = ReviewWrites()
    ) {
        self.project = project
        self.transitions = transitions
        self.timers = timers
        self.writes = writes
    }
}

/// A refusal with the problem code the API answers.
public struct Refusal: Error, Sendable, Hashable {
    public enum Code: String, Sendable {
        case notFound = "not_found"
        case forbidden
        case invalidTransition = "invalid_transition"
        case guardFailed = "guard_failed"
        case agencyNotOnRoster = "agency_not_on_roster"
    }

    public var code: Code
    public var message: String
    /// For `invalid_transition`: the project's state and the caller's allowed actions.
    public var state: ProjectState?
    public var taskState: TaskState?
    public var allowedActions: [Action]

    public init(
        _ code: Code, _ message: String, state: ProjectState? = nil, taskState: TaskState? = nil,
        allowedActions: [Action] = []
    ) {
        self.code = code
        self.message = message
        self.state = state
        self.taskState = taskState
        self.allowedActions = allowedActions
    }
}

/// Facts from outside the project that an action may need.
public struct DecisionContext: Sendable {
    public var now: Date
    /// The id a new task or a new comment gets.
    public var newTaskID: UUID
    /// The kinds of organizations the input names (for `add_task` and `reassign`); absent means unknown.
    public var organizationKinds: [UUID: OrganizationKind]
    /// The brand's service levels: its time zone for `due_date`, and the waits timers count.
    public var serviceLevels: ServiceLevels = .defaults
    /// The comment the input names (a reply's parent, the thread to resolve), as stored; nil when there is none.
    public var comment: TaskComment?
    /// The API keys an approval policy names (for `add_task` and `set_approval`); absent means unknown.
    public var approverKeys: [UUID: ApproverKey]
    /// The agencies the input names that are on the brand's roster (an active relationship, docs/people.md).
    public var roster: Set<UUID>

    public init(
        now: Date, newTaskID: UUID = UUID(), organizationKinds: [UUID: OrganizationKind] = [:],
        serviceLevels: ServiceLevels = .defaults, comment: TaskComment? = nil, approverKeys: [UUID: ApproverKey] = [:],
        roster: Set<UUID> = []
    ) {
        self.roster = roster
        self.now = now
        self.newTaskID = newTaskID
        self.organizationKinds = organizationKinds
        self.serviceLevels = serviceLevels
        self.comment = comment
        self.approverKeys = approverKeys
    }
}
