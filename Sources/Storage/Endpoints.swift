import Foundation
import Logging
import PostgresNIO
import Workflow

/// A webhook endpoint of an organization. Its secrets stay sealed here.
public struct WebhookEndpoint: Sendable, Hashable {
    public var id: UUID
    public var organizationID: UUID
    public var url: String
    public var description: String
    public var eventTypes: [String]
    public var enabled: Bool
    public var disabledReason: String?
    public var previousSecretExpiresAt: Date?
    public var failingSince: Date?
    public var lastSuccessAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
}

/// A change to an endpoint; nil fields stay as they are.
public struct EndpointPatch: Sendable {
    public var url: String?
    public var description: String?
    public var eventTypes: [String]?
    public var enabled: Bool?
    public init(url: String? = nil, description: String? = nil, eventTypes: [String]? = nil, enabled: Bool? = nil) {
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
        self.enabled = enabled
    }
}

/// Webhook endpoints of each organization: create, list, change, delete, rotate the secret.
public struct EndpointStore: Sendable {
    let db: Database

    public init(db: Database) { self.db = db }

    static let endpointColumns = """
        id, organization_id, url, description, event_types, enabled, disabled_reason, previous_secret_expires_at,
        failing_since, last_success_at, created_at, updated_at
        """

    static func endpoints(_ rows: [PostgresRow]) throws -> [WebhookEndpoint] {
        try rows.map { row in
            let r = try row.decode(
                (UUID, UUID, String, String, [String], Bool, String?, Date?, Date?, Date?, Date, Date).self)
            return WebhookEndpoint(
                id: r.0, organizationID: r.1, url: r.2, description: r.3, eventTypes: r.4, enabled: r.5,
                disabledReason: r.6,
                previousSecretExpiresAt: r.7, failingSince: r.8, lastSuccessAt: r.9, createdAt: r.10, updatedAt: r.11)
        }
    }

    // MARK: Endpoints

    /// Webhook endpoints an organization may have at once.
    public static let maxEndpoints = 25

    /// Creates an endpoint; refused with ``LimitReached`` past ``maxEndpoints`` (counted under the organization's
    /// row lock).
    public func create(
        organizationID: UUID, url: String, description: String, eventTypes: [String], enabled: Bool,
        secretSealed: [UInt8], idempotency: IdempotentCompletion<WebhookEndpoint>? = nil
    ) async throws -> WebhookEndpoint {
        let now = Date()
        return try await db.transaction { conn in
            let existing = try await LimitReached.countLocked(
                conn, organizationID: organizationID,
                count: "SELECT count(*)::int FROM webhook_endpoints WHERE organization_id = $1", logger: db.logger)
            guard existing < Self.maxEndpoints else {
                throw LimitReached(what: "webhook endpoints", limit: Self.maxEndpoints, advice: "delete one first")
            }
            var rows: [PostgresRow] = []
            for try await row in try await conn.query(
                """
                INSERT INTO webhook_endpoints (id, organization_id, url, description, event_types, enabled,
                    secret_sealed, created_at, updated_at)
                VALUES (\(UUID.v7(now: now)), \(organizationID), \(url), \(description), \(eventTypes), \(enabled),
                    \(Data(secretSealed)), \(now), \(now))
                RETURNING \(unescaped: Self.endpointColumns)
                """, logger: db.logger)
            { rows.append(row) }
            guard let endpoint = try Self.endpoints(rows).first else {
                throw NoRowReturned(statement: "INSERT webhook_endpoints")
            }
            try await idempotency?.complete(conn, endpoint, logger: db.logger)
            return endpoint
        }
    }

    public func list(organizationID: UUID, after: UUID?, limit: Int) async throws -> [WebhookEndpoint] {
        try Self.endpoints(
            try await db.rows(
                """
                SELECT \(unescaped: Self.endpointColumns) FROM webhook_endpoints
                WHERE organization_id = \(organizationID) AND (\(after)::uuid IS NULL OR id > \(after))
                ORDER BY id LIMIT \(limit)
                """))
    }

    public func find(organizationID: UUID, id: UUID) async throws -> WebhookEndpoint? {
        try Self.endpoints(
            try await db.rows(
                """
                SELECT \(unescaped: Self.endpointColumns) FROM webhook_endpoints WHERE id = \(id)
                    AND organization_id = \(organizationID)
                """)
        ).first
    }

    public func update(organizationID: UUID, id: UUID, patch: EndpointPatch) async throws -> WebhookEndpoint? {
        try Self.endpoints(
            try await db.write(
                """
                UPDATE webhook_endpoints SET
                    url = COALESCE(\(patch.url), url), description = COALESCE(\(patch.description), description),
                    event_types = COALESCE(\(patch.eventTypes)::text[], event_types),
                        enabled = COALESCE(\(patch.enabled), enabled),
                    disabled_reason = CASE WHEN \(patch.enabled) IS TRUE THEN NULL ELSE disabled_reason END,
                    failing_since = CASE WHEN \(patch.enabled) IS TRUE THEN NULL ELSE failing_since END,
                    updated_at = now()
                WHERE id = \(id) AND organization_id = \(organizationID)
                RETURNING \(unescaped: Self.endpointColumns)
                """)
        ).first
    }

    public func delete(organizationID: UUID, id: UUID) async throws -> Bool {
        try await db.transaction { conn in
            try await conn.query(
                """
                DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries
                    WHERE endpoint_id = \(id))
                  AND EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = \(id) AND organization_id = \(organizationID))
                """, logger: db.logger
            ).run()
            var deleted = false
            for try await _ in try await conn.query(
                """
                DELETE FROM webhook_endpoints WHERE id = \(id) AND organization_id = \(organizationID) RETURNING 1
                """, logger: db.logger)
            { deleted = true }
            return deleted
        }
    }

    /// Replaces the secret; the previous one keeps signing until `previousValidUntil`.
    public func rotate(
        organizationID: UUID, id: UUID, newSealed: [UInt8], previousValidUntil: Date,
        idempotency: IdempotentCompletion<WebhookEndpoint>? = nil
    ) async throws -> WebhookEndpoint? {
        try await db.transaction { conn in
            let rows = try await conn.query(
                """
                UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed,
                    previous_secret_expires_at = \(previousValidUntil),
                    secret_sealed = \(Data(newSealed)), updated_at = now()
                WHERE id = \(id) AND organization_id = \(organizationID)
                RETURNING \(unescaped: Self.endpointColumns)
                """, logger: db.logger
            ).collect()
            guard let endpoint = try Self.endpoints(rows).first else { return nil }
            try await idempotency?.complete(conn, endpoint, logger: db.logger)
            return endpoint
        }
    }

    /// Every endpoint's sealed secrets, for `briefd reseal`.
    public func sealedSecrets() async throws -> [(id: UUID, secret: [UInt8], previous: [UInt8]?)] {
        try await db.rows("SELECT id, secret_sealed, previous_secret_sealed FROM webhook_endpoints ORDER BY id").map {
            let (id, secret, previous) = try $0.decode((UUID, Data, Data?).self)
            return (id, Array(secret), previous.map(Array.init))
        }
    }

    /// Replaces an endpoint's sealed secret by the same secret sealed under the current key, unless it changed
    /// meanwhile (a rotation wins). `previous` names the rotated-out secret's column.
    public func reseal(id: UUID, previous: Bool, from old: [UInt8], to new: [UInt8]) async throws {
        if previous {
            _ = try await db.write(
                """
                UPDATE webhook_endpoints SET previous_secret_sealed = \(Data(new))
                WHERE id = \(id) AND previous_secret_sealed = \(Data(old)) RETURNING 1
                """)
        } else {
            _ = try await db.write(
                """
                UPDATE webhook_endpoints SET secret_sealed = \(Data(new))
                WHERE id = \(id) AND secret_sealed = \(Data(old)) RETURNING 1
                """)
        }
    }
}
