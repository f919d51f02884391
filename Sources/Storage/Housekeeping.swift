import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Periodic pruning, done by one daemon at a time: each round runs in a transaction that first takes
/// a transaction-scoped advisory lock with `pg_try_advisory_xact_lock`; other daemons skip the round.
public struct Housekeeper: Service {
    static let lockKey: Int64 = 0x6272_6965_6668  // "briefh"

    let db: Database
    /// Attempts older than this are deleted.
    let attemptRetention: Duration
    /// Idempotency keys older than this are deleted.
    let idempotencyRetention: Duration
    let interval: Duration

    public init(
        db: Database, attemptRetention: Duration = .seconds(30 * 86_400),
        idempotencyRetention: Duration = .seconds(86_400),
        interval: Duration = .seconds(300)
    ) {
        self.db = db
        self.attemptRetention = attemptRetention
        self.idempotencyRetention = idempotencyRetention
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            do {
                if let (attempts, keys) = try await runOnce() {
                    db.logger.info(
                        "housekeeping",
                        metadata: ["attempts_pruned": "\(attempts)", "idempotency_keys_pruned": "\(keys)"])
                }
            } catch {
                db.logger.warning("housekeeping failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    /// One round; nil when another daemon holds the lock.
    public func runOnce() async throws -> (attempts: Int, idempotencyKeys: Int)? {
        let attemptSeconds = Double(attemptRetention.components.seconds)
        let keySeconds = Double(idempotencyRetention.components.seconds)
        return try await db.transaction { conn in
            var locked = false
            for try await l in try await conn.query(
                "SELECT pg_try_advisory_xact_lock(\(Self.lockKey))", logger: db.logger
            ).decode(Bool.self) { locked = l }
            guard locked else { return nil }
            var attempts = 0
            var keys = 0
            for try await n in try await conn.query(
                """
                WITH gone AS (DELETE FROM webhook_attempts WHERE attempted_at < now() - make_interval(secs => \(attemptSeconds)) RETURNING 1)
                SELECT count(*)::int FROM gone
                """, logger: db.logger
            ).decode(Int.self) { attempts = n }
            for try await n in try await conn.query(
                """
                WITH gone AS (DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => \(keySeconds)) RETURNING 1)
                SELECT count(*)::int FROM gone
                """, logger: db.logger
            ).decode(Int.self) { keys = n }
            // Expired console sessions: they already sign nobody in (every read checks expiry); this keeps the table small.
            try await conn.query("DELETE FROM console_sessions WHERE expires_at < now()", logger: db.logger).run()
            return (attempts, keys)
        }
    }
}
