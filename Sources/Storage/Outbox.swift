import Foundation
import Logging
import PostgresNIO

/// The webhook outbox step of the transition transaction: turns the transaction's events into delivery rows
/// for every matching enabled endpoint of every receiving organization, and sends one NOTIFY.
public struct Outbox: Sendable {
    /// The LISTEN/NOTIFY channel dispatchers wait on.
    public static let channel = "briefd_deliveries"

    public init() {}

    /// Called inside the transition transaction with the events it wrote.
    func enqueue(_ conn: PostgresConnection, events: [(id: UUID, type: String, audience: Set<UUID>)], logger: Logger) async throws {
        // Webhook endpoints arrive with migration 0002; until then there is nothing to deliver.
    }
}
