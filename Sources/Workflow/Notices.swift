import Foundation

/// Why a person is told something: what waits on their organization now, a deadline, or a mention.
public enum NoticeKind: String, Sendable, CaseIterable, Codable, Hashable {
    /// A task is offered to the agency: accept or decline.
    case taskOffered = "task_offered"
    /// The agency owes a delivery (the task accepted, the delivery started).
    case deliveryDue = "delivery_due"
    /// A delivery waits for the brand's review.
    case deliverySubmitted = "delivery_submitted"
    /// The brand asked the agency for changes.
    case changesRequested = "changes_requested"
    /// A declined task waits for the brand to give it to another agency.
    case taskDeclined = "task_declined"
    /// A project step waits on the brand: start the KPI review, record the results, close.
    case projectStep = "project_step"
    /// The deadline events (`task.response_overdue`, `task.due_soon`, …) and a brand's reminder.
    case responseOverdue = "response_overdue"
    case dueSoon = "due_soon"
    case overdue
    case escalated
    case reviewOverdue = "review_overdue"
    case reminder
    /// A comment names the person (`@name` or `@email`).
    case mention

    /// The deadline kind an event announces, if it is one.
    static func deadline(_ event: EventType) -> NoticeKind? {
        switch event {
        case .taskResponseOverdue: .responseOverdue
        case .taskDueSoon: .dueSoon
        case .taskOverdue: .overdue
        case .taskEscalated: .escalated
        case .taskReviewOverdue: .reviewOverdue
        case .taskReminderSent: .reminder
        default: nil
        }
    }
}

/// One organization to tell: its admins and managers, or, where a task names its approvers, those of them who are
/// people (the database resolves the members: `briefd_notify`, migration 0018).
public struct Notice: Sendable, Hashable {
    public var organizationID: UUID
    public var kind: NoticeKind
    public var projectID: UUID
    /// Nil for a project step.
    public var taskID: UUID?
    /// The task's named approvers, for a delivery to review; nil for the organization's admins and managers.
    public var approvers: [UUID]?
    /// The event that caused it.
    public var eventID: UUID?
}

/// Who must hear of a transition, decided from the machine's own inbox (`Inbox.items`), so a notice can never point
/// at a step the machine would refuse: an organization is told when an item appears in its inbox that was not there
/// before the transition (a task offered, a delivery to review, changes requested, a KPI review due…), and on every
/// deadline event, the organizations that hold the task in their inbox (an escalation tells the brand too).
///
/// Mentions are the database's: it alone knows the members' names (`briefd_notify`).
public enum Notices {
    /// The notices of one decision: `before` and `after` the project, the events it announces (type and id, with
    /// the task each names).
    public static func of(
        before: ProjectRecord?, after: ProjectRecord, events: [(type: EventType, id: UUID, taskID: UUID?)], now: Date
    ) -> [Notice] {
        var out: [Notice] = []
        let causing = events.first?.id
        // Only what changed can start a wait: the tasks that changed, or every task when the project moved.
        let changed = changedTasks(before: before, after: after)
        for (organization, kind) in parties(before: before, after: after) where !changed.isEmpty || before == nil {
            let was = Set((before.map { items(organization, kind, $0, changed, now) } ?? []).map(ItemKey.init))
            for item in items(organization, kind, after, changed, now) where !was.contains(ItemKey(item)) {
                out.append(notice(for: item, organization: organization, kind: kind, project: after, event: causing))
            }
        }
        // A round with named approvers waits on them, not on the brand at large: the inbox above, read for no one in
        // particular, leaves it out.
        for task in after.tasks where !task.pendingApprovers.isEmpty {
            let old = before?.tasks.first { $0.id == task.id }
            guard old?.state != .delivered || old?.deliveries.count != task.deliveries.count else { continue }
            out.append(
                Notice(
                    organizationID: after.brandID, kind: .deliverySubmitted, projectID: after.id, taskID: task.id,
                    approvers: task.pendingApprovers, eventID: causing))
        }
        for event in events {
            guard let deadline = NoticeKind.deadline(event.type), let taskID = event.taskID else { continue }
            var told: Set<UUID> = []
            for (organization, kind) in parties(before: nil, after: after) {
                let awaitsApprovers =
                    kind == .brand && after.tasks.contains { $0.id == taskID && !$0.pendingApprovers.isEmpty }
                guard
                    awaitsApprovers
                        || items(organization, kind, after, [taskID], now).contains(where: { $0.task?.id == taskID })
                else { continue }
                told.insert(organization)
                out.append(
                    Notice(
                        organizationID: organization, kind: deadline, projectID: after.id, taskID: taskID,
                        approvers: approvers(after, taskID, kind), eventID: event.id))
            }
            if deadline == .escalated, !told.contains(after.brandID) {
                out.append(
                    Notice(
                        organizationID: after.brandID, kind: deadline, projectID: after.id, taskID: taskID,
                        approvers: nil, eventID: event.id))
            }
        }
        return out
    }

    /// The brand and every agency of the project's tasks, before or after.
    static func parties(before: ProjectRecord?, after: ProjectRecord) -> [(UUID, OrganizationKind)] {
        var agencies: [UUID] = []
        for task in (before?.tasks ?? []) + after.tasks where !agencies.contains(task.agencyID) {
            agencies.append(task.agencyID)
        }
        return [(after.brandID, .brand)] + agencies.map { ($0, .agency) }
    }

    static func items(
        _ organization: UUID, _ kind: OrganizationKind, _ project: ProjectRecord, _ tasks: Set<UUID>, _ now: Date
    ) -> [InboxItem] {
        Inbox.items(organization: organization, kind: kind, in: project, tasks: tasks, now: now)
    }

    /// The tasks a decision changed (added, removed or altered); every task when the project's state moved, and
    /// none when only the project's strategy or nothing of its tasks changed (then no project step can have
    /// started either: steps depend on the state and the tasks).
    static func changedTasks(before: ProjectRecord?, after: ProjectRecord) -> Set<UUID> {
        guard let before, before.state == after.state else { return Set(after.tasks.map(\.id)) }
        let old = Dictionary(before.tasks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var changed = Set(after.tasks.filter { old[$0.id] != $0 }.map(\.id))
        let now = Set(after.tasks.map(\.id))
        changed.formUnion(before.tasks.map(\.id).filter { !now.contains($0) })
        return changed
    }

    /// An item as the same wait: the same task in the same state (or the same project step).
    struct ItemKey: Hashable {
        var taskID: UUID?
        var taskState: TaskState?
        var projectState: ProjectState
        init(_ item: InboxItem) {
            taskID = item.task?.id
            taskState = item.task?.state
            projectState = item.projectState
        }
    }

    static func notice(
        for item: InboxItem, organization: UUID, kind: OrganizationKind, project: ProjectRecord, event: UUID?
    ) -> Notice {
        let noticeKind: NoticeKind
        switch item.task?.state {
        case nil: noticeKind = .projectStep
        case .issued?: noticeKind = .taskOffered
        case .delivered?: noticeKind = .deliverySubmitted
        case .changesRequested?: noticeKind = .changesRequested
        case .declined?: noticeKind = .taskDeclined
        default: noticeKind = .deliveryDue
        }
        return Notice(
            organizationID: organization, kind: noticeKind, projectID: project.id, taskID: item.task?.id,
            approvers: item.task.flatMap { approvers(project, $0.id, kind) }, eventID: event)
    }

    /// A brand's task under review with named approvers: those still to decide; otherwise nil (admins and managers).
    static func approvers(_ project: ProjectRecord, _ taskID: UUID, _ kind: OrganizationKind) -> [UUID]? {
        guard kind == .brand, let task = project.tasks.first(where: { $0.id == taskID }), !task.pendingApprovers.isEmpty
        else { return nil }
        return task.pendingApprovers
    }
}
