import Foundation

/// One step where the next move belongs to an organization: a task to act on, or a project step.
public struct InboxItem: Sendable, Hashable {
    public var projectID: UUID
    public var projectTitle: String
    public var projectState: ProjectState
    /// Nil for a project step (start the KPI review, record results, close).
    public var task: TaskRecord?
    /// What the organization can do about it now.
    public var actions: [Action]
    /// Since when it has been waiting.
    public var waitingSince: Date
    /// Past its deadline or service level.
    public var overdue: Bool

    /// The item's id for cursors: the task's, or the project's.
    public var id: UUID { task?.id ?? projectID }
}

/// "Waiting on you", computed from the projects and the machine's own `allowedActions`, so it can never offer
/// a step the machine would refuse. Nudges (`remind`), deadline changes (`set_due_date`) and approval settings
/// (`set_approval`) do not make an item: they are always possible, never owed (comments are never offered at all).
public enum Inbox {
    static let nudges: Set<Action> = [.remind, .setDueDate, .setApproval]
    static let projectSteps: Set<Action> = [.startKPIReview, .recordKPIResults, .close]

    /// The actions that make an inbox item for `side`: its requestable task actions but nudges, and its project
    /// steps.
    static func inboxActions(for side: Side) -> [ActionSpec] {
        WorkflowDefinition.actions.filter { spec in
            spec.requestable && spec.isPerformed(by: side) && !nudges.contains(spec.action)
                && (spec.scope == .task || projectSteps.contains(spec.action))
        }
    }

    /// The project states in which an organization of `kind` can have anything in its inbox, from the table: the
    /// inbox reads only projects in these states.
    public static func states(for kind: OrganizationKind) -> [ProjectState] {
        let side: Side = kind == .brand ? .brand : .agency
        let from = Set(inboxActions(for: side).flatMap(\.from))
        return ProjectState.allCases.filter(from.contains)
    }

    /// Whether the table lets `side` take an inbox action on `project` at all; the machine (`allowed`, which tries
    /// each action on a copy) runs only where it does.
    static func mayWait(_ project: ProjectRecord, on side: Side) -> Bool {
        inboxActions(for: side).contains { spec in
            spec.from.contains(project.state)
                && (spec.scope == .project || project.tasks.contains { spec.taskFrom.contains($0.state) })
        }
    }

    /// The items of `organization` (of `kind`) in `projects`, oldest wait first.
    public static func items(
        organization: UUID, kind: OrganizationKind, projects: [ProjectRecord], now: Date, person: UUID? = nil
    ) -> [InboxItem] {
        // Whose move it is does not depend on the caller's role: a viewer sees what its organization must do. It
        // depends on the person where a task names its approvers: a round waits on each approver still pending.
        let actor = Actor(organizationID: organization, kind: kind, role: .manager, apiKeyID: person)
        var out: [InboxItem] = []
        let side: Side = kind == .brand ? .brand : .agency
        for project in projects
        where !project.state.isTerminal && mayWait(project, on: side) && Machine.isVisible(project, to: actor) {
            let allowed = Machine.allowed(
                project, for: actor, context: DecisionContext(now: now, serviceLevels: project.serviceLevels))
            out += waits(
                in: project, tasks: Machine.visibleTasks(project, to: actor), now: now,
                actions: { allowed.tasks[$0.id] ?? [] }, steps: allowed.project.filter(projectSteps.contains))
        }
        // Ties by id: `UUID`'s order is its bytes', the order of its text (formatting ids to compare them cost most of
        // an inbox).
        return out.sorted { ($0.waitingSince, $0.id) < ($1.waitingSince, $1.id) }
    }

    /// What waits on `organization` in one project among the tasks `tasks`, and the project's own steps: what a
    /// transition that changed those tasks can have changed in its inbox (`Notices`). The same items as `items`
    /// for those tasks, deciding each task's actions alone (`items` decides every task of the project, which a
    /// transition of one task in a project of fifty must not pay for inside its lock).
    public static func items(
        organization: UUID, kind: OrganizationKind, in project: ProjectRecord, tasks: Set<UUID>, now: Date
    ) -> [InboxItem] {
        let actor = Actor(organizationID: organization, kind: kind, role: .manager)
        let side: Side = kind == .brand ? .brand : .agency
        guard !project.state.isTerminal, mayWait(project, on: side), Machine.isVisible(project, to: actor) else {
            return []
        }
        let context = DecisionContext(now: now, serviceLevels: project.serviceLevels)
        return waits(
            in: project, tasks: Machine.visibleTasks(project, to: actor).filter { tasks.contains($0.id) }, now: now,
            actions: { Machine.allowedActions(project, task: $0.id, for: actor, context: context) },
            steps: Machine.allowedSteps(project, among: projectSteps, for: actor, context: context))
    }

    /// One project's items: each of `tasks` whose `actions` (nudges aside) are not empty, and the project's
    /// `steps` as one item.
    static func waits(
        in project: ProjectRecord, tasks: [TaskRecord], now: Date, actions: (TaskRecord) -> [Action],
        steps: [Action]
    ) -> [InboxItem] {
        var out: [InboxItem] = []
        for task in tasks {
            let owed = actions(task).filter { !nudges.contains($0) }
            guard !owed.isEmpty else { continue }
            out.append(
                InboxItem(
                    projectID: project.id, projectTitle: project.title, projectState: project.state, task: task,
                    actions: owed, waitingSince: task.stateSince,
                    overdue: Deadlines.isOverdue(task, in: project, levels: project.serviceLevels, now: now)))
        }
        if !steps.isEmpty {
            let since = stepSince(
                state: project.state, taskSince: project.tasks.map(\.stateSince), updatedAt: project.updatedAt)
            out.append(
                InboxItem(
                    projectID: project.id, projectTitle: project.title, projectState: project.state, task: nil,
                    actions: steps, waitingSince: since, overdue: false))
        }
        return out
    }

    /// Since when a project step waits: since the last task was approved (delivery), or since the project last
    /// moved (the KPI review).
    static func stepSince(state: ProjectState, taskSince: [Date], updatedAt: Date) -> Date {
        state == .delivery ? taskSince.max() ?? updatedAt : updatedAt
    }

    /// One task of a project (or a project without tasks) as the inbox's first reading sees it: states and times,
    /// no strategy, no deliveries.
    public struct Row: Sendable, Hashable {
        public var projectID: UUID
        public var projectState: ProjectState
        public var projectUpdatedAt: Date
        public var taskState: TaskState?
        public var taskSince: Date?
        public var agencyID: UUID?
        public init(
            projectID: UUID, projectState: ProjectState, projectUpdatedAt: Date, taskState: TaskState?,
            taskSince: Date?, agencyID: UUID?
        ) {
            self.projectID = projectID
            self.projectState = projectState
            self.projectUpdatedAt = projectUpdatedAt
            self.taskState = taskState
            self.taskSince = taskSince
            self.agencyID = agencyID
        }
    }

    /// The projects that may have an item for the organization, each with the oldest wait it could have, oldest
    /// first: the table's rule (`mayWait`) applied to light rows, with the same times `items` gives. Reading full
    /// projects in this order, `items` of the first ones are the oldest items (the machine's guards only remove).
    public static func candidates(_ rows: [Row], organization: UUID, kind: OrganizationKind) -> [(
        projectID: UUID, since: Date
    )] {
        let side: Side = kind == .brand ? .brand : .agency
        let specs = inboxActions(for: side)
        var oldest: [UUID: Date] = [:]
        for (projectID, projectRows) in Dictionary(grouping: rows, by: \.projectID) {
            guard let first = projectRows.first, !first.projectState.isTerminal else { continue }
            var since: [Date] = []
            for row in projectRows {
                guard let state = row.taskState, let taskSince = row.taskSince,
                    kind == .brand || row.agencyID == organization
                else { continue }
                if specs.contains(where: {
                    $0.scope == .task && $0.from.contains(row.projectState) && $0.taskFrom.contains(state)
                }) {
                    since.append(taskSince)
                }
            }
            if specs.contains(where: { $0.scope == .project && $0.from.contains(first.projectState) }) {
                since.append(
                    stepSince(
                        state: first.projectState, taskSince: projectRows.compactMap(\.taskSince),
                        updatedAt: first.projectUpdatedAt))
            }
            if let min = since.min() { oldest[projectID] = min }
        }
        return oldest.map { (projectID: $0.key, since: $0.value) }
            .sorted { ($0.since, $0.projectID) < ($1.since, $1.projectID) }
    }
}
