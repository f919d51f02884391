import Foundation
import PostgresNIO
import Workflow

// The statements of organizations and their API keys (`OrganizationStore`) that write or list, typed and prepared
// like the hot path's. (Authentication and names, read on every request, sit beside their callers in
// Organizations.swift.)
extension OrganizationStore {
    struct InsertOrganization: PostgresPreparedStatement {
        static let name = "briefd_insert_organization"
        static let sql = """
            INSERT INTO organizations (id, name, kind, created_at)
            VALUES ($1::uuid, $2::text, $3::text, $4::timestamptz)
            """
        typealias Row = Void
        var organization: Organization

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 4)
            b.append(organization.id)
            b.append(organization.name)
            b.append(organization.kind.rawValue)
            b.append(organization.createdAt)
            return b
        }
    }

    struct InsertKey: PostgresPreparedStatement {
        static let name = "briefd_insert_key"
        static let sql = """
            INSERT INTO api_keys (id, organization_id, name, role, token_hash, created_at, owner_user_id)
            VALUES ($1::uuid, $2::uuid, $3::text, $4::text, $5::bytea, $6::timestamptz, $7::uuid)
            """
        typealias Row = Void
        var key: APIKey
        var tokenHash: Data

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 7)
            b.append(key.id)
            b.append(key.organizationID)
            b.append(key.name)
            b.append(key.role.rawValue)
            try b.append(tokenHash)
            b.append(key.createdAt)
            try b.append(optional: key.ownerUserID)
            return b
        }
    }

    /// A key's columns without its organization (the caller names it): `key(_:organizationID:)`'s order.
    static let keyColumns = "id, name, role, created_at, revoked_at, owner_user_id"

    /// A key from a row of `keyColumns`.
    static func key(_ row: PostgresRow, organizationID: UUID) throws -> APIKey {
        let (id, name, role, created, revoked, owner) = try row.decode((UUID, String, String, Date, Date?, UUID?).self)
        return APIKey(
            id: id, organizationID: organizationID, name: name,
            role: try known(Role.self, role, column: "api_keys.role"), createdAt: created, revokedAt: revoked,
            ownerUserID: owner)
    }

    struct KeyPage: PostgresPreparedStatement, PageOfOrganization {
        static let name = "briefd_key_page"
        static let sql = """
            SELECT \(keyColumns) FROM api_keys
            WHERE organization_id = $1::uuid AND ($2::uuid IS NULL OR id > $2::uuid)
            ORDER BY id LIMIT $3::int8
            """
        typealias Row = APIKey
        var organizationID: UUID
        var after: UUID?
        var limit: Int

        func decodeRow(_ row: PostgresRow) throws -> Row { try key(row, organizationID: organizationID) }
    }

    /// Revoking twice keeps the first time. With `owner`, only that person's own key.
    struct RevokeKey: PostgresPreparedStatement {
        static let name = "briefd_revoke_key"
        static let sql = """
            UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now())
            WHERE id = $1::uuid AND organization_id = $2::uuid AND ($3::uuid IS NULL OR owner_user_id = $3::uuid)
            RETURNING \(keyColumns)
            """
        typealias Row = APIKey
        var id: UUID
        var organizationID: UUID
        var owner: UUID?

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 3)
            b.append(id)
            b.append(organizationID)
            try b.append(optional: owner)
            return b
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try key(row, organizationID: organizationID) }
    }

    /// Changes the service levels the patch names; answers them as they are now.
    struct UpdateServiceLevels: PostgresPreparedStatement {
        static let name = "briefd_update_service_levels"
        static let sql = """
            UPDATE organizations o SET timezone = COALESCE($2::text, timezone),
                response_sla_seconds = COALESCE($3::float8, response_sla_seconds),
                review_sla_seconds = COALESCE($4::float8, review_sla_seconds),
                due_soon_seconds = COALESCE($5::float8, due_soon_seconds),
                escalate_after_seconds = COALESCE($6::float8, escalate_after_seconds)
            WHERE id = $1::uuid
            RETURNING \(serviceLevelColumns)
            """
        typealias Row = ServiceLevels
        var organizationID: UUID
        var patch: ServiceLevelsPatch

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 6)
            b.append(organizationID)
            try b.append(optional: patch.timezone)
            try b.append(optional: patch.responseSLA)
            try b.append(optional: patch.reviewSLA)
            try b.append(optional: patch.dueSoon)
            try b.append(optional: patch.escalateAfter)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (timezone, response, review, dueSoon, escalate) = try row.decode(
                (String, Double, Double, Double, Double).self)
            return ServiceLevels(
                timezone: timezone, responseSLA: response, reviewSLA: review, dueSoon: dueSoon,
                escalateAfter: escalate)
        }
    }
}
