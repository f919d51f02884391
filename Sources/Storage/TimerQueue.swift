import Foundation
import Logging
import PostgresNIO
import Workflow

/// A due timer a timer service holds under a lease.
public struct ClaimedTimer: Sendable, Hashable {
    public var id: UUID
    public var projectID: UUID
    public var taskID: UUID
    public var kind: TimerKind
    public var basis: Date
    public var dueAt: Date
}

/// Durable timers: armed and cancelled inside a transition's transaction (by `briefd_write_transition`, migration
/// 0015, from the decision's `TimerPlan`), claimed under a lease by every daemon's timer service, fired by
/// `ProjectStore.fire` through
/// the transition transaction. `(task, kind, basis)` is unique: a wait is armed once and fires at most once.
public struct TimerQueue: Sendable {
    let db: Database

    public init(db: Database) { self.db = db }

    /// Claims up to `limit` due timers, oldest due first, leasing each for `lease`: a service that dies holding
    /// one lets the lease run out, and another claims it again.
    public func claim(limit: Int, lease: Duration) async throws -> [ClaimedTimer] {
        try await db.rows(Claim(limit: limit, leaseSeconds: Double(lease.nanoseconds) / 1e9)).map { r in
            ClaimedTimer(
                id: r.0, projectID: r.1, taskID: r.2, kind: try known(TimerKind.self, r.3, column: "timers.kind"),
                basis: r.4, dueAt: r.5)
        }
    }

    struct Claim: PostgresPreparedStatement {
        static let name = "briefd_claim_timers"
        static let sql = """
            WITH due AS (
                SELECT id FROM timers
                WHERE status = 'pending' AND due_at <= now() AND (lease_until IS NULL OR lease_until < now())
                ORDER BY due_at LIMIT $1::int8
                FOR UPDATE SKIP LOCKED
            )
            UPDATE timers t SET lease_until = now() + make_interval(secs => $2::float8)
            FROM due WHERE t.id = due.id
            RETURNING t.id, t.project_id, t.task_id, t.kind, t.basis, t.due_at
            """
        typealias Row = (UUID, UUID, UUID, String, Date, Date)
        var limit: Int
        var leaseSeconds: Double

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 2)
            b.append(limit)
            b.append(leaseSeconds)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// How long until the next pending timer is due (zero when one is due now); nil when none is pending.
    public func untilNextDue() async throws -> Duration? {
        let rows = try await db.rows(
            """
            SELECT EXTRACT(EPOCH FROM min(due_at) - now())::float8 FROM timers
            WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < now())
            """)
        guard let seconds = try rows.first?.decode(Double?.self) else { return nil }
        return .milliseconds(Int64(max(0, seconds) * 1000))
    }

    /// Settles timers inside the firing transaction: `fired` ones as fired, `ended` ones (their wait ended) as
    /// cancelled.
    static func settle(_ conn: PostgresConnection, fired: [UUID], ended: [UUID], logger: Logger) async throws {
        guard !fired.isEmpty || !ended.isEmpty else { return }
        try await conn.query(
            """
            UPDATE timers SET status = CASE WHEN id = ANY(\(fired)) THEN 'fired' ELSE 'cancelled' END,
                settled_at = now(), lease_until = NULL
            WHERE id = ANY(\(fired + ended)) AND status = 'pending'
            """, logger: logger
        ).run()
    }

    /// The timers among `ids` still pending, locked until the end of the transaction.
    static func lockPending(_ conn: PostgresConnection, _ ids: [UUID], logger: Logger) async throws -> Set<UUID> {
        var out = Set<UUID>()
        let rows = try await conn.query(
            "SELECT id FROM timers WHERE id = ANY(\(ids)) AND status = 'pending' ORDER BY id FOR UPDATE", logger: logger
        )
        for try await id in rows.decode(UUID.self) { out.insert(id) }
        return out
    }
}
