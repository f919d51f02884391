import Foundation
import PostgresNIO

// The statements of pruning (`Housekeeper`), typed and prepared like the hot path's.
extension Housekeeper {
    /// Whether this daemon takes the round (a transaction-scoped advisory lock: one daemon at a time).
    struct TryLock: PostgresPreparedStatement {
        static let name = "briefd_housekeeping_lock"
        static let sql = "SELECT pg_try_advisory_xact_lock($1::int8)"
        typealias Row = Bool
        var key: Int64

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 1)
            b.append(key)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Bool.self) }
    }

    /// A statement that deletes at most `limit` rows older than `olderThanSeconds` and counts them.
    protocol Prune: PostgresPreparedStatement where Row == Int {
        var olderThanSeconds: Double { get }
        var limit: Int { get }
    }

    struct PruneAttempts: Prune {
        static let name = "briefd_prune_attempts"
        static let sql = """
            WITH gone AS (DELETE FROM webhook_attempts WHERE id IN (SELECT id FROM webhook_attempts
                WHERE attempted_at < now() - make_interval(secs => $1::float8) LIMIT $2::int8) RETURNING 1)
            SELECT count(*)::int FROM gone
            """
        var olderThanSeconds: Double
        var limit: Int
    }

    /// Finished deliveries past retention go with their attempts (ON DELETE CASCADE); pending ones stay.
    struct PruneDeliveries: Prune {
        static let name = "briefd_prune_deliveries"
        static let sql = """
            WITH gone AS (DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries
                WHERE created_at < now() - make_interval(secs => $1::float8) AND status <> 'pending'
                LIMIT $2::int8) RETURNING 1)
            SELECT count(*)::int FROM gone
            """
        var olderThanSeconds: Double
        var limit: Int
    }

    struct PruneIdempotencyKeys: Prune {
        static let name = "briefd_prune_idempotency_keys"
        static let sql = """
            WITH gone AS (DELETE FROM idempotency_keys WHERE (scope, key) IN (SELECT scope, key FROM idempotency_keys
                WHERE created_at < now() - make_interval(secs => $1::float8) LIMIT $2::int8) RETURNING 1)
            SELECT count(*)::int FROM gone
            """
        var olderThanSeconds: Double
        var limit: Int
    }

    /// Settled emails (sent or failed) past retention go with their attempts (ON DELETE CASCADE); pending ones stay.
    struct PruneEmails: Prune {
        static let name = "briefd_prune_emails"
        static let sql = """
            WITH gone AS (DELETE FROM email_outbox WHERE id IN (SELECT id FROM email_outbox
                WHERE settled_at < now() - make_interval(secs => $1::float8) LIMIT $2::int8) RETURNING 1)
            SELECT count(*)::int FROM gone
            """
        var olderThanSeconds: Double
        var limit: Int
    }

    /// Notifications past their retention (read or not: the inbox, not the list, is what waits), once no email
    /// names them.
    struct PruneNotifications: Prune {
        static let name = "briefd_prune_notifications"
        static let sql = """
            WITH gone AS (DELETE FROM notifications WHERE id IN (SELECT n.id FROM notifications n
                WHERE n.created_at < now() - make_interval(secs => $1::float8)
                  AND NOT EXISTS (SELECT 1 FROM email_outbox e WHERE e.notification_id = n.id)
                LIMIT $2::int8) RETURNING 1)
            SELECT count(*)::int FROM gone
            """
        var olderThanSeconds: Double
        var limit: Int
    }

    /// Password resets a day past their expiry: used or not, they open nothing.
    struct PrunePasswordResets: PostgresPreparedStatement {
        static let name = "briefd_prune_password_resets"
        static let sql = "DELETE FROM password_resets WHERE expires_at < now() - interval '1 day'"
        typealias Row = Void

        func makeBindings() throws -> PostgresBindings { PostgresBindings() }
    }

    /// Expired console sessions: they already sign nobody in (every read checks expiry); this keeps the table small.
    struct PruneSessions: PostgresPreparedStatement {
        static let name = "briefd_prune_sessions"
        static let sql = "DELETE FROM console_sessions WHERE expires_at < now()"
        typealias Row = Void

        func makeBindings() throws -> PostgresBindings { PostgresBindings() }
    }

    /// People's expired sessions, likewise (`bfs_` tokens; every lookup checks expiry).
    struct PrunePersonSessions: PostgresPreparedStatement {
        static let name = "briefd_prune_person_sessions"
        static let sql = "DELETE FROM person_sessions WHERE expires_at < now()"
        typealias Row = Void

        func makeBindings() throws -> PostgresBindings { PostgresBindings() }
    }

    /// An email's failed sign-ins are "in a row" within a day: a day after the last one, the count starts again.
    struct PruneSignInFailures: PostgresPreparedStatement {
        static let name = "briefd_prune_sign_in_failures"
        static let sql = "DELETE FROM sign_in_failures WHERE last_failure_at < now() - interval '1 day'"
        typealias Row = Void

        func makeBindings() throws -> PostgresBindings { PostgresBindings() }
    }
}

extension Housekeeper.Prune {
    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 2)
        b.append(olderThanSeconds)
        b.append(limit)
        return b
    }
    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int.self) }
}
