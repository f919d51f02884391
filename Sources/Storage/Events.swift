import Foundation
import Logging
import PostgresNIO

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

/// Each organization's stream of events.
public struct EventStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// Events received by `organizationID` after position `after`, in order.
    public func list(organizationID: UUID, after: Int64, limit: Int) async throws -> [EventRecord] {
        let rows = try await db.rows("""
            SELECT r.position, e.id, e.type, e.occurred_at, e.data::text
            FROM event_recipients r JOIN events e ON e.id = r.event_id
            WHERE r.organization_id = \(organizationID) AND r.position > \(after)
            ORDER BY r.position LIMIT \(limit)
            """)
        var out: [EventRecord] = []
        for row in rows {
            let r = try row.decode((Int64, UUID, String, Date, String).self)
            out.append(EventRecord(position: r.0, id: r.1, type: r.2, occurredAt: r.3, data: r.4))
        }
        return out
    }
}
