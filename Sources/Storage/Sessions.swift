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
    /// The person's unread notifications in the session's organization, when the console has counted them.
    public var unread: Int = 0
    /// The language the console speaks to the session (`en`, `fr`): the person's locale, else the browser's.
    public var locale: String = "en"
}

/// Console sessions in PostgreSQL, so any daemon serves a session and revoking a key ends its sessions.
/// The session id is a random 256-bit token given to the browser as a cookie; only its SHA-256 is stored.
/// A person's session (`bfs_…`, `PeopleStore`) is the same session the API's bearer token is: the cookie carries it.
public struct SessionStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// Starts a session for the key of `principal`; returns the session id (the cookie's value, shown nowhere
    /// else) and the session.
    public func start(_ principal: Principal, lifetime: TimeInterval) async throws -> (id: String, ConsoleSession) {
        guard let key = principal.key else { throw Problem.malformed("a person's session starts at sign-in") }
        let id = Tokens.random()
        let now = Date()
        let session = ConsoleSession(
            principal: principal, csrfToken: Tokens.random(), expiresAt: now.addingTimeInterval(lifetime))
        try await db.write(
            InsertSession(
                idHash: Self.hash(id), apiKeyID: key.id, csrfToken: session.csrfToken, createdAt: now,
                expiresAt: session.expiresAt))
        return (id, session)
    }

    /// The live session with this id: not expired, its key not revoked. Nil otherwise.
    public func find(id: String) async throws -> ConsoleSession? {
        guard id.utf8.count <= 128 else { return nil }
        if id.hasPrefix(PeopleStore.sessionPrefix) {
            return try await PeopleStore(db: db).authenticate(sessionHash: Tokens.hash(id)).map {
                ConsoleSession(principal: $0.0, csrfToken: $0.csrfToken, expiresAt: $0.expiresAt)
            }
        }
        guard let (key, csrf, expiry) = try await db.rows(SessionByID(idHash: Self.hash(id))).first else {
            return nil
        }
        return ConsoleSession(principal: try OrganizationStore.principal(key), csrfToken: csrf, expiresAt: expiry)
    }

    /// Ends the session (sign-out); nothing happens for an unknown id.
    public func end(id: String) async throws {
        guard id.utf8.count <= 128 else { return }
        if id.hasPrefix(PeopleStore.sessionPrefix) {
            return try await PeopleStore(db: db).endSession(hash: Tokens.hash(id))
        }
        try await db.write(DeleteSession(idHash: Self.hash(id)))
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
            SELECT \(OrganizationStore.principalColumns), s.csrf_token, s.expires_at
            FROM console_sessions s
            JOIN api_keys k ON k.id = s.api_key_id
            JOIN organizations o ON o.id = k.organization_id
            WHERE s.id_hash = $1::bytea AND s.expires_at > now() AND k.revoked_at IS NULL
            """
        typealias Row = (OrganizationStore.PrincipalRow, String, Date)
        var idHash: Data

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 1)
            try b.append(idHash)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row {
            let r = try row.decode(
                (
                    UUID, String, String, Date, UUID, String, String, Date, String, Double, Double, Double, Double,
                    String,
                    Date
                ).self)
            return ((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12), r.13, r.14)
        }
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
