import Foundation
import PostgresNIO

// Every statement of the webhook endpoints (`EndpointStore`), typed and prepared like the hot path's.
extension EndpointStore {
    /// The columns of a `WebhookEndpoint`, in `endpoint(_:)`'s order.
    static let endpointColumns = """
        id, organization_id, url, description, event_types, enabled, disabled_reason, previous_secret_expires_at,
        failing_since, last_success_at, created_at, updated_at
        """

    /// An endpoint from a row of `endpointColumns`.
    static func endpoint(_ row: PostgresRow) throws -> WebhookEndpoint {
        let (
            id, organization, url, description, types, enabled, disabledReason, previousExpires, failing, success,
            created, updated
        ) = try row.decode(
            (UUID, UUID, String, String, [String], Bool, String?, Date?, Date?, Date?, Date, Date).self)
        return WebhookEndpoint(
            id: id, organizationID: organization, url: url, description: description, eventTypes: types,
            enabled: enabled, disabledReason: disabledReason, previousSecretExpiresAt: previousExpires,
            failingSince: failing, lastSuccessAt: success, createdAt: created, updatedAt: updated)
    }

    /// A statement whose rows are endpoints.
    protocol EndpointRows: PostgresPreparedStatement where Row == WebhookEndpoint {}

    struct InsertEndpoint: EndpointRows {
        static let name = "briefd_insert_endpoint"
        static let sql = """
            INSERT INTO webhook_endpoints (id, organization_id, url, description, event_types, enabled, secret_sealed,
                created_at, updated_at)
            VALUES ($1::uuid, $2::uuid, $3::text, $4::text, $5::text[], $6::bool, $7::bytea, $8::timestamptz,
                $8::timestamptz)
            RETURNING \(endpointColumns)
            """
        var id: UUID
        var organizationID: UUID
        var url: String
        var description: String
        var eventTypes: [String]
        var enabled: Bool
        var secretSealed: [UInt8]
        var now: Date

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 8)
            b.append(id)
            b.append(organizationID)
            b.append(url)
            b.append(description)
            b.append(eventTypes)
            b.append(enabled)
            try b.append(Data(secretSealed))
            b.append(now)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try endpoint(row) }
    }

    struct EndpointPage: EndpointRows, PageOfOrganization {
        static let name = "briefd_endpoint_page"
        static let sql = """
            SELECT \(endpointColumns) FROM webhook_endpoints
            WHERE organization_id = $1::uuid AND ($2::uuid IS NULL OR id > $2::uuid)
            ORDER BY id LIMIT $3::int8
            """
        var organizationID: UUID
        var after: UUID?
        var limit: Int

        func decodeRow(_ row: PostgresRow) throws -> Row { try endpoint(row) }
    }

    struct FindEndpoint: EndpointRows, OneOfOrganization {
        static let name = "briefd_find_endpoint"
        static let sql =
            "SELECT \(endpointColumns) FROM webhook_endpoints WHERE id = $1::uuid AND organization_id = $2::uuid"
        var id: UUID
        var organizationID: UUID

        func decodeRow(_ row: PostgresRow) throws -> Row { try endpoint(row) }
    }

    /// Changes what the patch names; re-enabling clears the reason and the failing clock.
    struct UpdateEndpoint: EndpointRows {
        static let name = "briefd_update_endpoint"
        static let sql = """
            UPDATE webhook_endpoints SET
                url = COALESCE($3::text, url), description = COALESCE($4::text, description),
                event_types = COALESCE($5::text[], event_types), enabled = COALESCE($6::bool, enabled),
                disabled_reason = CASE WHEN $6::bool IS TRUE THEN NULL ELSE disabled_reason END,
                failing_since = CASE WHEN $6::bool IS TRUE THEN NULL ELSE failing_since END,
                updated_at = now()
            WHERE id = $1::uuid AND organization_id = $2::uuid
            RETURNING \(endpointColumns)
            """
        var id: UUID
        var organizationID: UUID
        var patch: EndpointPatch

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 6)
            b.append(id)
            b.append(organizationID)
            try b.append(optional: patch.url)
            try b.append(optional: patch.description)
            try b.append(optional: patch.eventTypes)
            try b.append(optional: patch.enabled)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try endpoint(row) }
    }

    /// The previous secret keeps signing until `$4`.
    struct RotateEndpoint: EndpointRows {
        static let name = "briefd_rotate_endpoint"
        static let sql = """
            UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed,
                previous_secret_expires_at = $4::timestamptz,
                secret_sealed = $3::bytea, updated_at = now()
            WHERE id = $1::uuid AND organization_id = $2::uuid
            RETURNING \(endpointColumns)
            """
        var id: UUID
        var organizationID: UUID
        var newSealed: [UInt8]
        var previousValidUntil: Date

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 4)
            b.append(id)
            b.append(organizationID)
            try b.append(Data(newSealed))
            b.append(previousValidUntil)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try endpoint(row) }
    }

    /// Its attempts first (they reference its deliveries), only when the endpoint is the organization's.
    struct DeleteEndpointAttempts: PostgresPreparedStatement, OneOfOrganization {
        static let name = "briefd_delete_endpoint_attempts"
        static let sql = """
            DELETE FROM webhook_attempts
            WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = $1::uuid)
              AND EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = $1::uuid AND organization_id = $2::uuid)
            """
        typealias Row = Void
        var id: UUID
        var organizationID: UUID

    }

    struct DeleteEndpoint: PostgresPreparedStatement, OneOfOrganization {
        static let name = "briefd_delete_endpoint"
        static let sql = "DELETE FROM webhook_endpoints WHERE id = $1::uuid AND organization_id = $2::uuid RETURNING id"
        typealias Row = UUID
        var id: UUID
        var organizationID: UUID

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(UUID.self) }
    }

    /// Every endpoint's sealed secrets (`briefd reseal`).
    struct SealedSecrets: PostgresPreparedStatement {
        static let name = "briefd_sealed_secrets"
        static let sql = "SELECT id, secret_sealed, previous_secret_sealed FROM webhook_endpoints ORDER BY id"
        typealias Row = (id: UUID, secret: [UInt8], previous: [UInt8]?)

        func makeBindings() throws -> PostgresBindings { PostgresBindings() }
        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (id, secret, previous) = try row.decode((UUID, Data, Data?).self)
            return (id, Array(secret), previous.map(Array.init))
        }
    }

    /// One sealed secret replaced by the same secret sealed under the current key, unless it changed meanwhile.
    struct Reseal: PostgresPreparedStatement {
        static let name = "briefd_reseal"
        static let sql = """
            UPDATE webhook_endpoints
            SET secret_sealed = CASE WHEN $2::bool THEN secret_sealed ELSE $4::bytea END,
                previous_secret_sealed = CASE WHEN $2::bool THEN $4::bytea ELSE previous_secret_sealed END
            WHERE id = $1::uuid
              AND (CASE WHEN $2::bool THEN previous_secret_sealed ELSE secret_sealed END) = $3::bytea
            """
        typealias Row = Void
        var id: UUID
        var previous: Bool
        var old: [UInt8]
        var new: [UInt8]

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 4)
            b.append(id)
            b.append(previous)
            try b.append(Data(old))
            try b.append(Data(new))
            return b
        }
    }
}
