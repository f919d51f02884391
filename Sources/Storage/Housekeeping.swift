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
    /// Notifications older than this are deleted; settled emails after `attemptRetention`, like attempts.
    let notificationRetention: Duration
    let interval: Duration

    public init(
        db: Database, attemptRetention: Duration = .seconds(30 * 86_400),
        idempotencyRetention: Duration = .seconds(86_400), notificationRetention: Duration = .seconds(90 * 86_400),
        interval: Duration = .seconds(300)
    ) {
        self.db = db
        self.attemptRetention = attemptRetention
        self.idempotencyRetention = idempotencyRetention
        self.notificationRetention = notificationRetention
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
                    if pruned.attempts + pruned.deliveries + pruned.idempotencyKeys + pruned.emails
                        + pruned.notifications > 0
                    {
                        db.logger.info(
                            "housekeeping",
                            metadata: [
                                "attempts_pruned": "\(pruned.attempts)", "deliveries_pruned": "\(pruned.deliveries)",
                                "idempotency_keys_pruned": "\(pruned.idempotencyKeys)",
                                "emails_pruned": "\(pruned.emails)", "notifications_pruned": "\(pruned.notifications)",
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
        public var emails: Int = 0
        public var notifications: Int = 0
        public var full: Bool
    }

    /// Rows deleted per table and round, so no round holds locks or WAL for long.
    public static let batch = 5_000

    /// One round; nil when another daemon holds the lock.
    public func runOnce() async throws -> Pruned? {
        let attemptSeconds = Double(attemptRetention.components.seconds)
        let keySeconds = Double(idempotencyRetention.components.seconds)
        let noticeSeconds = Double(notificationRetention.components.seconds)
        return try await db.transaction { conn in
            guard try await conn.rows(TryLock(key: Self.lockKey), logger: db.logger).first == true else { return nil }
            let batch = Self.batch
            func prune<P: Prune>(_ statement: P) async throws -> Int {
                try await conn.rows(statement, logger: db.logger).first ?? 0
            }
            let attempts = try await prune(PruneAttempts(olderThanSeconds: attemptSeconds, limit: batch))
            let deliveries = try await prune(PruneDeliveries(olderThanSeconds: attemptSeconds, limit: batch))
            let keys = try await prune(PruneIdempotencyKeys(olderThanSeconds: keySeconds, limit: batch))
            let emails = try await prune(PruneEmails(olderThanSeconds: attemptSeconds, limit: batch))
            let notices = try await prune(PruneNotifications(olderThanSeconds: noticeSeconds, limit: batch))
            try await conn.rows(PrunePasswordResets(), logger: db.logger)
            try await conn.rows(PruneSessions(), logger: db.logger)
            try await conn.rows(PrunePersonSessions(), logger: db.logger)
            try await conn.rows(PruneSignInFailures(), logger: db.logger)
            let full = [attempts, deliveries, keys, emails, notices].contains(batch)
            return Pruned(
                attempts: attempts, deliveries: deliveries, idempotencyKeys: keys, emails: emails,
                notifications: notices, full: full)
        }
    }
}
