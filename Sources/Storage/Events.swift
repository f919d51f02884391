import Foundation
import Logging
import PostgresNIO
import Workflow

/// One event as an organization's stream lists it.
public struct EventRecord: Sendable, Hashable {
    /// The event's position in the organization's stream, the cursor: increasing, with gaps
    /// (`EventLog.positionScale`).
    public var position: Int64
    public var id: UUID
    public var type: String
    public var occurredAt: Date
    /// The event's `data`, as JSON text.
    public var data: String
}

/// The history row of a project transition that an event announces.
struct HistoryRow: Sendable {
    var projectID: UUID
    var sequence: Int
    var action: Action
    var fromState: ProjectState?
    var toState: ProjectState
    var taskID: UUID?
    var actorOrganizationID: UUID?
    var actorAPIKeyID: UUID?
    var actorUserID: UUID?
    var actorName: String?
    var actorSide: Side
    /// The transition's details.
    var data: JSONValue
}

/// An event to append: a project transition's (with its history row) or an organization's own
/// (`webhook_endpoint.disabled`, with `organizationID`).
struct NewEvent: Sendable {
    var id: UUID
    var type: EventType
    var occurredAt: Date
    /// The `data` member of the webhook body and of `GET /v1/events`.
    var data: JSONValue
    /// The organizations that receive it.
    var recipients: [UUID]
    var history: HistoryRow?
    var organizationID: UUID?
    /// The event's place among the events its transaction appends (0, 1, …): part of its position.
    var ordinal: Int = 0

    /// What `Notices.of` needs of it.
    var cause: (type: EventType, id: UUID, taskID: UUID?) { (type, id, history?.taskID) }

    /// The event as `briefd_append_events` reads it (migration 0015).
    func document() throws -> JSONValue {
        // An ordinal past the scale would take a position of a later transaction: the transaction fails instead
        // (the function checks it too).
        guard ordinal >= 0, Int64(ordinal) < EventLog.positionScale else {
            throw EventLog.TooManyEventsInTransaction()
        }
        let history: JSONValue =
            self.history.map { h in
                .object([
                    TransitionDocument.History.projectID: .id(h.projectID), .sequence: .number(Double(h.sequence)),
                    .action: .string(h.action.rawValue), .fromState: .optional(h.fromState?.rawValue),
                    .toState: .string(h.toState.rawValue), .taskID: .id(h.taskID),
                    .actorOrganizationID: .id(h.actorOrganizationID), .actorAPIKeyID: .id(h.actorAPIKeyID),
                    .actorUserID: .id(h.actorUserID), .actorName: .optional(h.actorName),
                    .actorSide: .string(h.actorSide.rawValue), .data: h.data,
                ])
            } ?? .null
        return .object([
            TransitionDocument.Event.id: .id(id), .type: .string(type.rawValue), .occurredAt: .timestamp(occurredAt),
            .data: data, .recipients: .array(recipients.map { .id($0) }), .history: history,
            .organizationID: .id(organizationID), .ordinal: .number(Double(ordinal)),
        ])
    }
}

/// The one way an event enters the system, for every emitter (transitions, timers, endpoint disabling): the
/// history row when there is one, the event, its position in each recipient's stream, and the outbox (a delivery row
/// per matching enabled endpoint of the recipients), written by `briefd_append_events` (migration 0015) in the
/// caller's transaction — by itself here, or as the last part of `briefd_write_transition` (`TransitionWrites`). The
/// NOTIFY that wakes dispatchers is sent by the database when deliveries are inserted (migration 0004), so it goes out
/// at commit and never for a rolled-back transaction.
///
/// The position takes no lock (migration 0014): it is the writing transaction's id times `positionScale` plus the
/// event's ordinal in that transaction, and readers stay below the oldest transaction still running
/// (`EventStore.ListEvents`), so a cursor never passes an event that commits late. The order of one project's events
/// is its history's: every transition transaction locks the project row before it writes anything, so it gets its id
/// only once the previous transition of the project committed (docs/decisions.md, "The feed's order").
enum EventLog {
    /// A transaction tried to append more events than its positions have room for (`positionScale`).
    struct TooManyEventsInTransaction: Error {}

    /// The LISTEN/NOTIFY channel dispatchers wait on (named in migration 0004's trigger).
    static let channel = "briefd_deliveries"

    /// Positions are transaction id × this + ordinal: room for 1,024 events in one transaction, and positions below
    /// 2^53 (exact in a JavaScript number) for transaction ids up to 2^43 (278 years at a thousand a second).
    static let positionScale: Int64 = 1 << 10

    /// Appends `events`, in order, inside the caller's transaction.
    static func append(_ conn: PostgresConnection, _ events: [NewEvent], logger: Logger) async throws {
        guard !events.isEmpty else { return }
        try await conn.rows(AppendEvents(events: events), logger: logger)
    }

    struct AppendEvents: PostgresPreparedStatement {
        static let name = "briefd_append_events"
        static let sql = "SELECT briefd_append_events($1::text::jsonb)"
        typealias Row = Void
        var events: [NewEvent]

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 1)
            b.append(JSONValue.array(try events.map { try $0.document() }).serializedString())
            return b
        }
    }
}

/// Each organization's stream of events.
public struct EventStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// How long `list` waits at most for transactions still running that may add events before the ones it found.
    public static let settleWait: Duration = .seconds(1)

    /// Events received by `organizationID` after position `after`, in order, as far as no transaction still running
    /// could add one before them. When a committed event lies beyond that point (a transaction that began earlier is
    /// still running), the list waits up to `wait` for it to settle, so a client reads its own writes; then it
    /// answers with what has settled.
    public func list(organizationID: UUID, after: Int64, limit: Int, wait: Duration = settleWait) async throws
        -> [EventRecord]
    {
        let clock = ContinuousClock()
        let deadline = clock.now + wait
        var pause = Duration.milliseconds(2)
        while true {
            let rows = try await db.withConnection { conn in
                // Two statements: the second one's snapshot is taken after the horizon was read (migration 0014).
                let horizon = try await conn.rows(FeedHorizon(), logger: db.logger).first ?? 0
                return try await conn.rows(
                    ListEvents(organizationID: organizationID, after: after, limit: limit, horizon: horizon),
                    logger: db.logger)
            }
            let settled = rows.prefix { $0.5 }.map {
                EventRecord(position: $0.0, id: $0.1, type: $0.2, occurredAt: $0.3, data: $0.4)
            }
            if settled.count == rows.count || clock.now + pause > deadline { return settled }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(50))
        }
    }

    /// The lowest transaction id that may still commit in this database (migration 0014).
    struct FeedHorizon: PostgresPreparedStatement {
        static let name = "briefd_feed_horizon"
        static let sql = "SELECT briefd_feed_horizon()"
        typealias Row = Int64

        func makeBindings() throws -> PostgresBindings { PostgresBindings() }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int64.self) }
    }

    /// An organization's events after a position, each with whether it has settled: whether it lies below the horizon
    /// (`briefd_feed_horizon()`, read by an earlier statement), so no event can still commit before it.
    struct ListEvents: PostgresPreparedStatement {
        static let name = "briefd_list_events"
        static let sql = """
            SELECT r.position, e.id, e.type, e.occurred_at, e.data::text,
                   r.position < $4::int8 * \(EventLog.positionScale)
            FROM event_recipients r JOIN events e ON e.id = r.event_id
            WHERE r.organization_id = $1::uuid AND r.position > $2::int8
            ORDER BY r.position LIMIT $3::int8
            """
        typealias Row = (Int64, UUID, String, Date, String, Bool)

        var organizationID: UUID
        var after: Int64
        var limit: Int
        /// The horizon's transaction id.
        var horizon: Int64

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 4)
            b.append(organizationID)
            b.append(after)
            b.append(limit)
            b.append(horizon)
            return b
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
