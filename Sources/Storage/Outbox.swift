import Foundation
import Logging
import PostgresNIO

/// The webhook outbox step of a transaction that writes events: one delivery row per matching enabled
/// endpoint of every receiving organization, and one NOTIFY for the whole transaction (sent at commit).
/// Transitions write the same rows inside their history statement (`ProjectStore.record`, one round trip
/// less per transition); this form serves events written elsewhere (`webhook_endpoint.disabled`).
public struct Outbox: Sendable {
    /// The LISTEN/NOTIFY channel dispatchers wait on.
    public static let channel = "briefd_deliveries"

    public init() {}

    /// Called inside the transaction, after its events and their recipients are written.
    func enqueue(_ conn: PostgresConnection, eventIDs: [UUID], logger: Logger) async throws {
        guard !eventIDs.isEmpty else { return }
        try await conn.query("""
            WITH inserted AS (
                INSERT INTO webhook_deliveries (id, endpoint_id, event_id, next_attempt_at)
                SELECT gen_random_uuid(), w.id, e.id, now()
                FROM events e
                JOIN event_recipients r ON r.event_id = e.id
                JOIN webhook_endpoints w ON w.organization_id = r.organization_id
                WHERE e.id = ANY(\(eventIDs)) AND w.enabled
                  AND (cardinality(w.event_types) = 0 OR e.type = ANY(w.event_types))
                RETURNING 1)
            SELECT pg_notify(\(Self.channel), '') FROM (SELECT count(*) AS n FROM inserted) c WHERE c.n > 0
            """, logger: logger).run()
    }
}
