import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Periodic pruning, done by one daemon at a time: each round runs in a transaction that first takes
/// a transaction-scoped advisory lock with `pg_try_advisory_xact_lock`; other daemons skip the round.
public struct Housekeeper: Service {
    static let lockKey: Int64 = 0x6272_6965_6668  // "briefh"

    let db: Database
    /// Attempts older than this are deleted, and finished deliveries (succeeded or failed) created before it.
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
                // Batches until a round finds less than a batch of anything (a backlog goes in several rounds).
                for _ in 0..<100 {
                    guard let pruned = try await runOnce() else { break }
                    if pruned.attempts + pruned.deliveries + pruned.idempotencyKeys > 0 {
                        db.logger.info(
                            "housekeeping",
                            metadata: [
                                "attempts_pruned": "\(pruned.attempts)", "deliveries_pruned": "\(pruned.deliveries)",
                                "idempotency_keys_pruned": "\(pruned.idempotencyKeys)",
                            ])
                    }
                    if !pruned.full || Task.isShuttingDownGracefully { break }
                }
            } catch {
                db.logger.warning("housekeeping failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    /// What one round deleted; `full` when some table had a whole batch to delete (more may remain).
    public struct Pruned: Sendable {
        public var attempts: Int
        public var deliveries: Int
        public var idempotencyKeys: Int
        public var full: Bool
    }

    /// Rows deleted per table and round, so no round holds locks or WAL for long.
    public static let batch = 5_000

    /// One round; nil when another daemon holds the lock.
    public func runOnce() async throws -> Pruned? {
        let attemptSeconds = Double(attemptRetention.components.seconds)
        let keySeconds = Double(idempotencyRetention.components.seconds)
        return try await db.transaction { conn in
            var locked = false
            for try await l in try await conn.query(
                "SELECT pg_try_advisory_xact_lock(\(Self.lockKey))", logger: db.logger
            ).decode(Bool.self) { locked = l }
            guard locked else { return nil }
            var attempts = 0
            var deliveries = 0
            var keys = 0
            let batch = Self.batch
            for try await n in try await conn.query(
                """
                WITH gone AS (DELETE FROM webhook_attempts WHERE id IN (SELECT id FROM webhook_attempts
                    WHERE attempted_at < now() - make_interval(secs => \(attemptSeconds)) LIMIT \(batch)) RETURNING 1)
                SELECT count(*)::int FROM gone
                """, logger: db.logger
            ).decode(Int.self) { attempts = n }
            // Finished deliveries past retention go with their attempts (ON DELETE CASCADE); pending ones stay.
            for try await n in try await conn.query(
                """
                WITH gone AS (DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries
                    WHERE created_at < now() - make_interval(secs => \(attemptSeconds)) AND status <> 'pending'
                    LIMIT \(batch)) RETURNING 1)
                SELECT count(*)::int FROM gone
                """, logger: db.logger
            ).decode(Int.self) { deliveries = n }
            for try await n in try await conn.query(
                """
                WITH gone AS (DELETE FROM idempotency_keys WHERE (scope, key) IN (SELECT scope, key FROM
                    idempotency_keys
                    WHERE created_at < now() - make_interval(secs => \(keySeconds)) LIMIT \(batch)) RETURNING 1)
                SELECT count(*)::int FROM gone
                """, logger: db.logger
            ).decode(Int.self) { keys = n }
            // Expired console sessions: they already sign nobody in (every read checks expiry); this keeps the table
            // small.
            try await conn.query("DELETE FROM console_sessions WHERE expires_at < now()", logger: db.logger).run()
            let full = attempts == batch || deliveries == batch || keys == batch
            return Pruned(attempts: attempts, deliveries: deliveries, idempotencyKeys: keys, full: full)
        }
    }
}
