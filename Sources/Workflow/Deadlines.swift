import Foundation

/// A brand's service levels: how long each side may keep the other waiting, and its time zone.
public struct ServiceLevels: Sendable, Hashable {
    /// IANA time zone; a `due_date` means the end of that day here.
    public var timezone: String
    /// How long an agency has to accept or decline an issued task.
    public var responseSLA: TimeInterval
    /// How long the brand has to approve or request changes on a delivery.
    public var reviewSLA: TimeInterval
    /// The lead time of the `task.due_soon` reminder before `due_at`.
    public var dueSoon: TimeInterval
    /// Time past `due_at`, without a delivery, before `task.escalated`.
    public var escalateAfter: TimeInterval

    public init(
        timezone: String = "UTC", responseSLA: TimeInterval = 48 * 3600, reviewSLA: TimeInterval = 72 * 3600,
        dueSoon: TimeInterval = 48 * 3600, escalateAfter: TimeInterval = 24 * 3600
    ) {
        self.timezone = timezone
        self.responseSLA = responseSLA
        self.reviewSLA = reviewSLA
        self.dueSoon = dueSoon
        self.escalateAfter = escalateAfter
    }

    /// The defaults: 48 h to respond, 72 h to review, a reminder 48 h before the deadline, escalation 24 h after.
    public static let defaults = ServiceLevels()
}

/// What a durable timer announces when it fires.
public enum TimerKind: String, Sendable, CaseIterable, Hashable, Codable {
    /// The task is still `issued` `response_sla` after it was issued.
    case responseOverdue = "response_overdue"
    /// `due_soon` before `due_at`, no delivery yet.
    case dueSoon = "due_soon"
    /// `due_at` passed without a delivery.
    case overdue
    /// `escalate_after` past `due_at`, still no delivery.
    case escalate
    /// A delivery waits on the brand past `review_sla`.
    case reviewOverdue = "review_overdue"

    /// The system action that records the firing.
    public var action: Action {
        switch self {
        case .responseOverdue: .responseOverdue
        case .dueSoon: .dueSoon
        case .overdue: .overdue
        case .escalate: .escalate
        case .reviewOverdue: .reviewOverdue
        }
    }
}

/// One timer: for a task, of a kind, armed on a basis (the moment the wait started, or the deadline it counts
/// from), due at a time. `(task, kind, basis)` identifies it: the same wait never arms twice.
public struct TimerSpec: Sendable, Hashable {
    public var taskID: UUID
    public var kind: TimerKind
    public var basis: Date
    public var dueAt: Date

    public init(taskID: UUID, kind: TimerKind, basis: Date, dueAt: Date) {
        self.taskID = taskID
        self.kind = kind
        self.basis = basis
        self.dueAt = dueAt
    }
}

/// The timers a decision arms and cancels, written in the transition's own transaction.
public struct TimerPlan: Sendable, Hashable {
    public var arm: [TimerSpec] = []
    public var cancel: [TimerSpec] = []
    public init(arm: [TimerSpec] = [], cancel: [TimerSpec] = []) {
        self.arm = arm
        self.cancel = cancel
    }
}

/// Who the next move of a task belongs to.
public enum WaitingOn: String, Sendable, Hashable, Codable {
    case brand
    case agency
    case nobody
}

/// How a task stands against its deadline.
public enum Timeliness: String, Sendable, Hashable, Codable {
    case onTrack = "on_track"
    case dueSoon = "due_soon"
    case overdue
    case deliveredOnTime = "delivered_on_time"
    case deliveredLate = "delivered_late"
}

/// Deadlines as pure functions of a project and its brand's service levels.
public enum Deadlines {
    /// Task states in which a delivery is still owed.
    public static let awaitingDelivery: Set<TaskState> = [.issued, .accepted, .changesRequested]

    /// Whose move it is on `task`.
    public static func waitingOn(_ task: TaskRecord, in project: ProjectRecord) -> WaitingOn {
        guard !project.state.isTerminal else { return .nobody }
        switch task.state {
        case .issued, .accepted, .changesRequested: return .agency
        case .delivered, .declined: return .brand
        case .draft, .approved: return .nobody
        }
    }

    /// How `task` stands against its `due_at` now; nil without a deadline.
    public static func timeliness(_ task: TaskRecord, levels: ServiceLevels, now: Date) -> Timeliness? {
        guard let due = task.dueAt else { return nil }
        if let first = task.deliveries.first {
            return first.submittedAt <= due ? .deliveredOnTime : .deliveredLate
        }
        if now > due { return .overdue }
        if now >= due.addingTimeInterval(-levels.dueSoon) { return .dueSoon }
        return .onTrack
    }

    /// Whether `task` is past its deadline without a delivery (or, issued, past the response level).
    public static func isOverdue(_ task: TaskRecord, in project: ProjectRecord, levels: ServiceLevels, now: Date)
        -> Bool
    {
        guard !project.state.isTerminal else { return false }
        if awaitingDelivery.contains(task.state), let due = task.dueAt, now > due { return true }
        switch task.state {
        case .issued: return now > task.stateSince.addingTimeInterval(levels.responseSLA)
        case .delivered: return now > task.stateSince.addingTimeInterval(levels.reviewSLA)
        default: return false
        }
    }

    /// The timers the project's tasks should have armed, given their states: the wait for an answer to an issued
    /// task, the deadline's reminder, overdue and escalation while a delivery is owed, and the wait for a review.
    public static func desiredTimers(_ project: ProjectRecord, levels: ServiceLevels) -> Set<TimerSpec> {
        guard !project.state.isTerminal else { return [] }
        var timers = Set<TimerSpec>()
        for task in project.tasks {
            switch task.state {
            case .issued:
                let since = task.stateSince
                timers.insert(
                    TimerSpec(
                        taskID: task.id, kind: .responseOverdue, basis: since, dueAt: since + levels.responseSLA))
            case .delivered:
                let since = task.stateSince
                timers.insert(
                    TimerSpec(taskID: task.id, kind: .reviewOverdue, basis: since, dueAt: since + levels.reviewSLA))
            default: break
            }
            if awaitingDelivery.contains(task.state), let due = task.dueAt {
                timers.insert(TimerSpec(taskID: task.id, kind: .dueSoon, basis: due, dueAt: due - levels.dueSoon))
                timers.insert(TimerSpec(taskID: task.id, kind: .overdue, basis: due, dueAt: due))
                timers.insert(
                    TimerSpec(taskID: task.id, kind: .escalate, basis: due, dueAt: due + levels.escalateAfter))
            }
        }
        return timers
    }

    /// The timers a change from `before` to `after` arms and cancels. Identity is (task, kind, basis): a timer
    /// that stays wanted is left alone, so a timer that already fired is never armed again for the same wait.
    public static func plan(before: ProjectRecord?, after: ProjectRecord, levels: ServiceLevels) -> TimerPlan {
        func key(_ t: TimerSpec) -> TimerKey { TimerKey(taskID: t.taskID, kind: t.kind, basis: t.basis) }
        let old = before.map { desiredTimers($0, levels: levels) } ?? []
        let new = desiredTimers(after, levels: levels)
        let oldKeys = Set(old.map(key))
        let newKeys = Set(new.map(key))
        return TimerPlan(
            arm: new.filter { !oldKeys.contains(key($0)) }.sorted { $0.dueAt < $1.dueAt },
            cancel: old.filter { !newKeys.contains(key($0)) }.sorted { $0.dueAt < $1.dueAt })
    }

    /// Whether a timer armed on `basis` still stands for `task` now: the wait it counts has not ended.
    public static func stillStands(_ kind: TimerKind, basis: Date, task: TaskRecord, in project: ProjectRecord) -> Bool
    {
        guard !project.state.isTerminal else { return false }
        switch kind {
        case .responseOverdue: return task.state == .issued && task.stateSince == basis
        case .reviewOverdue: return task.state == .delivered && task.stateSince == basis
        case .dueSoon, .overdue, .escalate: return awaitingDelivery.contains(task.state) && task.dueAt == basis
        }
    }

    /// The end of calendar day `date` (YYYY-MM-DD) in `timezone`: the first instant of the next day there.
    public static func endOfDay(_ date: String, timezone: String) -> Date? {
        guard let zone = TimeZone(identifier: timezone) else { return nil }
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let start = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else {
            return nil
        }
        return calendar.date(byAdding: .day, value: 1, to: start)
    }
}

/// A timer's identity.
struct TimerKey: Hashable {
    var taskID: UUID
    var kind: TimerKind
    var basis: Date
}

/// ISO 8601 durations as service levels are written: `P2D`, `PT48H`, `PT1S`, `P1W`, `P1DT12H30M`.
public enum ISODuration {
    /// The duration in seconds; nil when `text` is not such a duration. Years and months are refused: their
    /// length depends on the date.
    public static func parse(_ text: String) -> TimeInterval? {
        var rest = Substring(text.uppercased())
        guard rest.first == "P" else { return nil }
        rest = rest.dropFirst()
        var total: Double = 0
        var inTime = false
        var number = ""
        var any = false
        for c in rest {
            if c == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                continue
            }
            if c.isNumber || c == "." || c == "," {
                number.append(c == "," ? "." : c)
                continue
            }
            guard let n = Double(number) else { return nil }
            number = ""
            any = true
            switch (c, inTime) {
            case ("W", false): total += n * 7 * 86_400
            case ("D", false): total += n * 86_400
            case ("H", true): total += n * 3600
            case ("M", true): total += n * 60
            case ("S", true): total += n
            default: return nil
            }
        }
        guard any, number.isEmpty, total.isFinite else { return nil }
        return total
    }

    /// `seconds` written back as an ISO 8601 duration (`PT172800S` reads badly: days, hours, minutes, seconds).
    public static func format(_ seconds: TimeInterval) -> String {
        var s = Int(seconds.rounded())
        let days = s / 86_400
        s %= 86_400
        let hours = s / 3600
        s %= 3600
        let minutes = s / 60
        s %= 60
        var out = "P"
        if days > 0 { out += "\(days)D" }
        if hours > 0 || minutes > 0 || s > 0 || days == 0 {
            out += "T"
            if hours > 0 { out += "\(hours)H" }
            if minutes > 0 { out += "\(minutes)M" }
            if s > 0 || (hours == 0 && minutes == 0) { out += "\(s)S" }
        }
        return out
    }
}
