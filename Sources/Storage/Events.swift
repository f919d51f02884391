import Foundation
import Logging
import PostgresNIO
import Workflow

/// One event as an organization's stream lists it.
public struct EventRecord: Sendable, Hashable {
    /// The organization's own gap-free position: the cursor.
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
    var action: String
    var fromState: String?
    var toState: String
    var taskID: UUID?
    var actorOrganizationID: UUID?
    var actorAPIKeyID: UUID?
    var actorSide: String
    /// The transition's details, as JSON text.
    var data: String
}

/// An event to append: a project transition's (with its history row) or an organization's own
/// (`webhook_endpoint.disabled`, with `organizationID`).
struct NewEvent: Sendable {
    var id: UUID
    var type: String
    var occurredAt: Date
    /// The `data` member of the webhook body and of `GET /v1/events`, as JSON text.
    var data: String
    /// The organizations that receive it.
    var recipients: [UUID]
    var history: HistoryRow?
    var organizationID: UUID?
}

/// The one way an event enters the system, for every emitter (transitions, endpoint disabling, timers to come):
/// the history row when there is one, the event, each recipient's next position in its own stream, and the
/// outbox (a delivery row per matching enabled endpoint of the recipients) — one statement in the caller's
/// transaction. The NOTIFY that wakes dispatchers is sent by the database when deliveries are inserted
/// (migration 0004), so it goes out at commit and never for a rolled-back transaction.
enum EventLog {
    /// The LISTEN/NOTIFY channel dispatchers wait on (named in migration 0004's trigger).
    static let channel = "briefd_deliveries"

    /// Appends `event` inside the caller's transaction. An event with several recipients needs their organization
    /// rows locked first, in id order (`ProjectStore.UpdateProject` does it for transitions): held to commit, the
    /// locks hand out each organization's positions in commit order, so its cursor never skips one, and the
    /// fixed order rules out deadlocks. With one recipient, the position update takes the lock itself.
    static func append(_ conn: PostgresConnection, _ event: NewEvent, logger: Logger) async throws {
        try await conn.rows(AppendEvent(event: event), logger: logger)
    }

    struct AppendEvent: PostgresPreparedStatement {
        static let name = "briefd_append_event"
        static let sql = """
            WITH transition AS (
                INSERT INTO transitions (project_id, sequence, action, from_state, to_state, task_id, actor_org_id,
                                         actor_api_key_id, actor_side, data, occurred_at)
                SELECT $5::uuid, $6::int8, $7::text, $8::text, $9::text, $10::uuid, $13::uuid, $14::uuid, $15::text,
                       $16::text::jsonb, $3::timestamptz
                WHERE $5::uuid IS NOT NULL
                RETURNING project_id, sequence
            ), event AS (
                INSERT INTO events (id, type, project_id, sequence, organization_id, occurred_at, data)
                SELECT $1::uuid, $2::text, t.project_id, t.sequence, $12::uuid, $3::timestamptz, $4::text::jsonb
                FROM (SELECT 1) one LEFT JOIN transition t ON true
                RETURNING id, type
            ), bumped AS (
                UPDATE organizations SET event_seq = event_seq + 1 WHERE id = ANY($11::uuid[]) RETURNING id, event_seq
            ), recipients AS (
                INSERT INTO event_recipients (organization_id, position, event_id)
                SELECT bumped.id, bumped.event_seq, event.id FROM bumped, event
            )
            INSERT INTO webhook_deliveries (id, endpoint_id, event_id, next_attempt_at)
            SELECT gen_random_uuid(), w.id, event.id, now()
            FROM event JOIN webhook_endpoints w ON w.organization_id = ANY($11::uuid[])
            WHERE w.enabled AND (cardinality(w.event_types) = 0 OR event.type = ANY(w.event_types))
            """
        typealias Row = Void

        var event: NewEvent

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 16)
            b.append(event.id)
            b.append(event.type)
            b.append(event.occurredAt)
            b.append(event.data)
            let h = event.history
            try b.append(optional: h?.projectID)
            try b.append(optional: h?.sequence)
            try b.append(optional: h?.action)
            try b.append(optional: h?.fromState)
            try b.append(optional: h?.toState)
            try b.append(optional: h?.taskID)
            b.append(event.recipients)
            try b.append(optional: event.organizationID)
            try b.append(optional: h?.actorOrganizationID)
            try b.append(optional: h?.actorAPIKeyID)
            try b.append(optional: h?.actorSide)
            try b.append(optional: h?.data)
            return b
        }
    }
}

/// Each organization's stream of events.
public struct EventStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// Events received by `organizationID` after position `after`, in order.
    public func list(organizationID: UUID, after: Int64, limit: Int) async throws -> [EventRecord] {
        try await db.rows(ListEvents(organizationID: organizationID, after: after, limit: limit)).map {
            EventRecord(position: $0.0, id: $0.1, type: $0.2, occurredAt: $0.3, data: $0.4)
        }
    }

    struct ListEvents: PostgresPreparedStatement {
        static let name = "briefd_list_events"
        static let sql = """
            SELECT r.position, e.id, e.type, e.occurred_at, e.data::text
            FROM event_recipients r JOIN events e ON e.id = r.event_id
            WHERE r.organization_id = $1::uuid AND r.position > $2::int8
            ORDER BY r.position LIMIT $3::int8
            """
        typealias Row = (Int64, UUID, String, Date, String)

        var organizationID: UUID
        var after: Int64
        var limit: Int

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 3)
            b.append(organizationID)
            b.append(after)
            b.append(limit)
            return b
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
