import Workflow

/// The keys of the documents `briefd_write_transition` and `briefd_append_events` read (migration 0015), one enum
/// per object. The documents are built from these and nothing else, and `TransitionDocumentTests` compares every
/// case with the keys the functions read: a key renamed on one side fails a test instead of writing NULL.
enum TransitionDocument {
    /// A key of one object of the document.
    protocol Key: RawRepresentable, CaseIterable, Hashable where RawValue == String {}

    /// The whole document.
    enum Root: String, Key {
        case expectedLastSequence = "expected_last_sequence"
        case project
        case events
        case comment
        case decisions
        case idempotency
        case removedTasks = "removed_tasks"
        case changedTasks = "changed_tasks"
        case addedTasks = "added_tasks"
        case cancelledTimers = "cancelled_timers"
        case armedTimers = "armed_timers"
        /// Who must hear of it (`Workflow.Notices`), read by `briefd_notify` (migration 0018).
        case notices
        /// Whether the daemon mails: emails are written only then.
        case mail
    }

    /// An organization to tell (`Workflow.Notice`).
    enum Notice: String, Key {
        case kind, approvers
        case organizationID = "organization_id"
        case taskID = "task_id"
        case eventID = "event_id"
    }

    /// The project row after the decision; the JSON columns only when they changed.
    enum Project: String, Key {
        case id, title, state, version, strategy, outcome
        case lastSequence = "last_sequence"
        case cancelReason = "cancel_reason"
        case updatedAt = "updated_at"
        case kpiResults = "kpi_results"
    }

    /// A task that was there before: every column a transition may change.
    enum ChangedTask: String, Key {
        case id, state, deliveries, approvers
        case agencyID = "agency_id"
        case declineReason = "decline_reason"
        case changeNote = "change_note"
        case updatedAt = "updated_at"
        case dueDate = "due_date"
        case dueAt = "due_at"
        case stateSince = "state_since"
        case lastReminderAt = "last_reminder_at"
        case approvalMode = "approval_mode"
    }

    /// A new task, every column.
    enum AddedTask: String, Key {
        case id, position, title, description, state, deliveries, currency, approvers
        case agencyID = "agency_id"
        case dueDate = "due_date"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case dueAt = "due_at"
        case stateSince = "state_since"
        case lastReminderAt = "last_reminder_at"
        case feeMinor = "fee_minor"
        case approvalMode = "approval_mode"
    }

    /// A timer armed or cancelled.
    enum Timer: String, Key {
        case kind, basis
        case taskID = "task_id"
        case dueAt = "due_at"
    }

    /// An approver's decision.
    enum Decision: String, Key {
        case round, verdict
        case taskID = "task_id"
        case apiKeyID = "api_key_id"
        case decidedAt = "decided_at"
    }

    /// A new comment, or one just resolved.
    enum Comment: String, Key {
        case id
        case round
        case body
        case isInternal = "internal"
        case projectID = "project_id"
        case taskID = "task_id"
        case agencyID = "agency_id"
        case parentID = "parent_id"
        case authorOrganizationID = "author_org_id"
        case authorAPIKeyID = "author_api_key_id"
        case authorSide = "author_side"
        case createdAt = "created_at"
        case resolvedAt = "resolved_at"
        case resolvedByAPIKeyID = "resolved_by_api_key_id"
    }

    /// The response kept for an idempotency key.
    enum Idempotency: String, Key {
        case scope, key, status, headers, body, sealed
    }

    /// An event (`briefd_append_events`).
    enum Event: String, Key {
        case id, type, data, recipients, history, ordinal
        case occurredAt = "occurred_at"
        case organizationID = "organization_id"
    }

    /// An event's history row.
    enum History: String, Key {
        case sequence, action, data
        case projectID = "project_id"
        case fromState = "from_state"
        case toState = "to_state"
        case taskID = "task_id"
        case actorOrganizationID = "actor_org_id"
        case actorAPIKeyID = "actor_api_key_id"
        case actorUserID = "actor_user_id"
        case actorName = "actor_name"
        case actorSide = "actor_side"
    }

    /// Every object's keys, by object.
    static let objects: [(name: String, keys: [String])] = [
        ("document", Root.allCases.map(\.rawValue)), ("project", Project.allCases.map(\.rawValue)),
        ("changed task", ChangedTask.allCases.map(\.rawValue)), ("added task", AddedTask.allCases.map(\.rawValue)),
        ("timer", Timer.allCases.map(\.rawValue)), ("decision", Decision.allCases.map(\.rawValue)),
        ("comment", Comment.allCases.map(\.rawValue)), ("idempotency", Idempotency.allCases.map(\.rawValue)),
        ("event", Event.allCases.map(\.rawValue)), ("history", History.allCases.map(\.rawValue)),
        ("notice", Notice.allCases.map(\.rawValue)),
    ]
}

extension JSONValue {
    /// An object of the transition's document, its keys typed.
    static func object<K: TransitionDocument.Key>(_ fields: [K: JSONValue]) -> JSONValue {
        var object: [String: JSONValue] = [:]
        object.reserveCapacity(fields.count)
        for (key, value) in fields { object[key.rawValue] = value }
        return .object(object)
    }
}
