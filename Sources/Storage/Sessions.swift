import Crypto
import Foundation
import PostgresNIO
import Workflow

/// A console session: who is signed in, and the token its forms must carry.
public struct ConsoleSession: Sendable, Hashable {
    /// The key the person signed in with, and its organization (as `authenticate` returns them).
    public var principal: Principal
    /// Every form of the session carries it; a POST without it is refused.
    public var csrfToken: String
    public var expiresAt: Date
}

/// Console sessions in PostgreSQL, so any daemon serves a session and revoking a key ends its sessions.
/// The session id is a random 256-bit token given to the browser as a cookie; only its SHA-256 is stored.
public struct SessionStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// Starts a session for the key of `principal`; returns the session id (the cookie's value, shown nowhere
    /// else) and the session.
    public func start(_ principal: Principal, lifetime: TimeInterval) async throws -> (id: String, ConsoleSession) {
        let id = Self.randomToken()
        let now = Date()
        let session = ConsoleSession(
            principal: principal, csrfToken: Self.randomToken(), expiresAt: now.addingTimeInterval(lifetime))
        try await db.rows(
            InsertSession(
                idHash: Self.hash(id), apiKeyID: principal.key.id, csrfToken: session.csrfToken, createdAt: now,
                expiresAt: session.expiresAt))
        return (id, session)
    }

    /// The live session with this id: not expired, its key not revoked. Nil otherwise.
    public func find(id: String) async throws -> ConsoleSession? {
        guard id.utf8.count <= 128 else { return nil }
        guard let r = try await db.rows(SessionByID(idHash: Self.hash(id))).first else { return nil }
        let role = try known(Role.self, r.2, column: "api_keys.role")
        let kind = try known(OrganizationKind.self, r.6, column: "organizations.kind")
        let principal = Principal(
            key: APIKey(id: r.0, organizationID: r.4, name: r.1, role: role, createdAt: r.3, revokedAt: nil),
            organization: Organization(
                id: r.4, name: r.5, kind: kind, createdAt: r.7,
                serviceLevels: ServiceLevels(
                    timezone: r.8, responseSLA: r.9, reviewSLA: r.10, dueSoon: r.11, escalateAfter: r.12)))
        return ConsoleSession(principal: principal, csrfToken: r.13, expiresAt: r.14)
    }

    /// Ends the session (sign-out); nothing happens for an unknown id.
    public func end(id: String) async throws {
        guard id.utf8.count <= 128 else { return }
        try await db.rows(DeleteSession(idHash: Self.hash(id)))
    }

    /// 32 random bytes, base64url without padding.
    static func randomToken() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ id: String) -> Data { Data(SHA256.hash(data: Data(id.utf8))) }

    struct InsertSession: PostgresPreparedStatement {
        static let name = "briefd_insert_session"
        static let sql = """
            INSERT INTO console_sessions (id_hash, api_key_id, csrf_token, created_at, expires_at)
            VALUES ($1::bytea, $2::uuid, $3::text, $4::timestamptz, $5::timestamptz)
            """
        typealias Row = Void
        var idHash: Data
        var apiKeyID: UUID
        var csrfToken: String
        var createdAt: Date
        var expiresAt: Date

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 5)
            try b.append(idHash)
            b.append(apiKeyID)
            b.append(csrfToken)
            b.append(createdAt)
            b.append(expiresAt)
            return b
        }
    }

    /// A live session with its key and organization, in `Authenticate`'s column order and then the session's.
    struct SessionByID: PostgresPreparedStatement {
        static let name = "briefd_find_session"
        static let sql = """
            SELECT k.id, k.name, k.role, k.created_at, o.id, o.name, o.kind, o.created_at,
                   \(OrganizationStore.serviceLevelColumns), s.csrf_token, s.expires_at
            FROM console_sessions s
            JOIN api_keys k ON k.id = s.api_key_id
            JOIN organizations o ON o.id = k.organization_id
            WHERE s.id_hash = $1::bytea AND s.expires_at > now() AND k.revoked_at IS NULL
            """
        typealias Row = (
            UUID, String, String, Date, UUID, String, String, Date, String, Double, Double, Double, Double, String,
            Date
        )
        var idHash: Data

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 1)
            try b.append(idHash)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    struct DeleteSession: PostgresPreparedStatement {
        static let name = "briefd_delete_session"
        static let sql = "DELETE FROM console_sessions WHERE id_hash = $1::bytea"
        typealias Row = Void
        var idHash: Data

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 1)
            try b.append(idHash)
            return b
        }
    }
}
