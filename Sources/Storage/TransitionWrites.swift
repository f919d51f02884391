import Foundation
import PostgresNIO
import Workflow

/// Everything one transition writes, sent as one JSON document to `briefd_write_transition` (migration 0015), which
/// applies it in the order the triggers need: one round trip where a statement per row kind cost about four.
///
/// Only what changed is sent: the strategy, KPI results and outcome of the project when they differ from the row as
/// read, the tasks that differ (their deliveries only when those differ), the tasks added and removed. The function
/// writes only if the project is still as it was read (its `last_sequence`), else fails with SQLSTATE `BFD01`: the
/// database's own check that the decision was made on the project as it is. Under the row lock the caller holds it
/// cannot fail; it keeps a write decided on a stale read from ever landing.
struct TransitionWrites: Sendable {
    /// The project as it was read.
    var before: ProjectRecord
    /// The project as the decision leaves it.
    var after: ProjectRecord
    /// The history rows and events to append, in order.
    var events: [NewEvent]
    /// The timers to cancel and arm.
    var timers = TimerPlan()
    /// A comment and approval decisions.
    var review = ReviewWrites()
    /// The response to keep for an idempotency key.
    var idempotency: (claim: IdempotencyClaim, response: StoredResponse)?
    /// Who must hear of it (`Workflow.Notices`): `briefd_notify` finds the people and writes their notifications.
    var notices: [Notice] = []
    /// Whether the daemon mails: the notifications' emails are written only then (`ProjectStore.mail`).
    var mail = false

    /// The document `briefd_write_transition` reads, its keys from `TransitionDocument`.
    func document() throws -> JSONValue {
        typealias Key = TransitionDocument.Project
        let p = after
        var project: [Key: JSONValue] = [
            .id: .id(p.id), .title: .string(p.title), .state: .string(p.state.rawValue),
            .version: .number(Double(p.version)), .lastSequence: .number(Double(p.lastSequence)),
            .cancelReason: .optional(p.cancelReason), .updatedAt: .timestamp(p.updatedAt),
        ]
        if p.strategy != before.strategy { project[.strategy] = .string(try ProjectStore.json(p.strategy)) }
        if p.kpiResults != before.kpiResults { project[.kpiResults] = .string(try ProjectStore.json(p.kpiResults)) }
        if p.outcome != before.outcome { project[.outcome] = .optional(try p.outcome.map(ProjectStore.json)) }

        let old = Dictionary(uniqueKeysWithValues: before.tasks.map { ($0.id, $0) })
        let kept = Set(p.tasks.map(\.id))
        var changed: [JSONValue] = []
        var added: [JSONValue] = []
        for t in p.tasks {
            if let o = old[t.id] {
                if o != t { changed.append(try Self.changed(t, before: o)) }
            } else {
                added.append(try Self.added(t))
            }
        }
        var document: [TransitionDocument.Root: JSONValue] = [
            .expectedLastSequence: .number(Double(before.lastSequence)), .project: .object(project),
            .removedTasks: .array(before.tasks.filter { !kept.contains($0.id) }.map { .id($0.id) }),
            .changedTasks: .array(changed), .addedTasks: .array(added),
            .cancelledTimers: .array(timers.cancel.map(Self.timer)), .armedTimers: .array(timers.arm.map(Self.timer)),
            .events: .array(try events.map { try $0.document() }),
            .decisions: .array(review.decisions.map(Self.decision)),
            .comment: review.comment.map(Self.comment) ?? .null,
            .notices: .array(notices.map(Self.notice)), .mail: .bool(mail),
        ]
        if let (claim, response) = idempotency {
            document[.idempotency] = .object([
                TransitionDocument.Idempotency.scope: .string(claim.scope), .key: .string(claim.key),
                .status: .number(Double(response.status)),
                .headers: .object(response.headers.mapValues { .string($0) }),
                .body: .string(Data(response.body).base64EncodedString()), .sealed: .bool(response.sealed),
            ])
        }
        return .object(document)
    }

    private static func decision(_ d: ApprovalDecision) -> JSONValue {
        .object([
            TransitionDocument.Decision.taskID: .id(d.taskID), .round: .number(Double(d.round)),
            .apiKeyID: .id(d.apiKeyID), .verdict: .string(d.verdict.rawValue), .decidedAt: .timestamp(d.decidedAt),
        ])
    }

    /// A new comment, or one just resolved (`resolved_at` set).
    private static func comment(_ c: TaskComment) -> JSONValue {
        .object([
            TransitionDocument.Comment.id: .id(c.id), .projectID: .id(c.projectID), .taskID: .id(c.taskID),
            .agencyID: .id(c.agencyID), .round: c.round.map { .number(Double($0)) } ?? .null,
            .parentID: .id(c.parentID), .authorOrganizationID: .id(c.authorOrganizationID),
            .authorAPIKeyID: .id(c.authorAPIKeyID), .authorSide: .string(c.authorSide.rawValue),
            .body: .string(c.body), .isInternal: .bool(c.isInternal), .createdAt: .timestamp(c.createdAt),
            .resolvedAt: .timestamp(c.resolvedAt), .resolvedByAPIKeyID: .id(c.resolvedByAPIKeyID),
        ])
    }

    /// A task that was there before: every column a transition may change, its deliveries only when they changed.
    private static func changed(_ t: TaskRecord, before: TaskRecord) throws -> JSONValue {
        .object([
            TransitionDocument.ChangedTask.id: .id(t.id), .agencyID: .id(t.agencyID), .state: .string(t.state.rawValue),
            .declineReason: .optional(t.declineReason), .changeNote: .optional(t.changeNote),
            .deliveries: t.deliveries == before.deliveries ? .null : .string(try ProjectStore.json(t.deliveries)),
            .updatedAt: .timestamp(t.updatedAt), .dueDate: .optional(t.dueDate), .dueAt: .timestamp(t.dueAt),
            .stateSince: .timestamp(t.stateSince), .lastReminderAt: .timestamp(t.lastReminderAt),
            .approvalMode: .string(t.approval.mode.rawValue), .approvers: .array(t.approval.approvers.map { .id($0) }),
        ])
    }

    /// A new task, every column.
    private static func added(_ t: TaskRecord) throws -> JSONValue {
        .object([
            TransitionDocument.AddedTask.id: .id(t.id), .agencyID: .id(t.agencyID),
            .position: .number(Double(t.position)), .title: .string(t.title), .description: .string(t.description),
            .dueDate: .optional(t.dueDate), .state: .string(t.state.rawValue),
            .deliveries: .string(try ProjectStore.json(t.deliveries)), .createdAt: .timestamp(t.createdAt),
            .updatedAt: .timestamp(t.updatedAt), .dueAt: .timestamp(t.dueAt), .stateSince: .timestamp(t.stateSince),
            .lastReminderAt: .timestamp(t.lastReminderAt),
            // As text: a JSON number is exact only up to 2^53.
            .feeMinor: .optional(t.fee.map { String($0.amountMinor) }), .currency: .optional(t.fee?.currency),
            .approvalMode: .string(t.approval.mode.rawValue), .approvers: .array(t.approval.approvers.map { .id($0) }),
        ])
    }

    private static func notice(_ n: Notice) -> JSONValue {
        .object([
            TransitionDocument.Notice.organizationID: .id(n.organizationID), .kind: .string(n.kind.rawValue),
            .taskID: .id(n.taskID), .approvers: n.approvers.map { .array($0.map { .id($0) }) } ?? .null,
            .eventID: .id(n.eventID),
        ])
    }

    private static func timer(_ t: TimerSpec) -> JSONValue {
        .object([
            TransitionDocument.Timer.taskID: .id(t.taskID), .kind: .string(t.kind.rawValue),
            .basis: .timestamp(t.basis), .dueAt: .timestamp(t.dueAt),
        ])
    }

    /// The statement: the document as JSON text, to `briefd_transition` (the writes, then the notifications).
    struct WriteTransition: PostgresPreparedStatement {
        static let name = "briefd_transition"
        static let sql = "SELECT briefd_transition($1::text::jsonb)"
        typealias Row = Void
        var writes: TransitionWrites

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 1)
            b.append(try writes.document().serializedString())
            return b
        }
    }
}

extension JSONValue {
    /// A timestamp as PostgreSQL reads it (`2026-11-29T12:00:00.123456Z`), to the same microsecond PostgresNIO's
    /// binary encoding sends: a timer's basis is matched by equality, so both ways must agree to the microsecond.
    static func timestamp(_ date: Date) -> JSONValue { .string(PostgresTimestamp.text(date)) }

    /// `timestamp`, or null.
    static func timestamp(_ date: Date?) -> JSONValue { date.map(timestamp) ?? .null }
}

/// Timestamps as text, exactly as PostgresNIO would send them in binary.
enum PostgresTimestamp {
    /// PostgreSQL's epoch, 2000-01-01 00:00:00 UTC, in seconds since 1970.
    private static let epoch = Date(timeIntervalSince1970: 946_684_800)
    private static let microsecondsPerDay: Int64 = 86_400_000_000

    /// `date` in UTC as `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    static func text(_ date: Date) -> String {
        // PostgresNIO's own arithmetic (Date+PostgresCodable): microseconds since 2000, truncated toward zero.
        let micros = Int64(date.timeIntervalSince(epoch) * 1_000_000)
        var days = micros / microsecondsPerDay
        var rest = micros % microsecondsPerDay
        if rest < 0 {
            days -= 1
            rest += microsecondsPerDay
        }
        let (year, month, day) = civil(daysSince1970: days + 10_957)
        let seconds = rest / 1_000_000
        var out = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        out += pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        return out + "." + pad(rest % 1_000_000, 6) + "Z"
    }

    /// The proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civil(daysSince1970 z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ n: Int64, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
