import Crypto
import Foundation
import Logging
import PostgresNIO
import Workflow

/// A person (docs/people.md). Their email is another organization's business only where they are a member.
public struct User: Sendable, Hashable {
    public var id: UUID
    public var email: String
    public var name: String
    /// `en` or `fr`.
    public var locale: String
    /// An IANA time zone.
    public var timeZone: String
    public var createdAt: Date
}

/// One of a person's organizations and their role there.
public struct Membership: Sendable, Hashable {
    public var organization: Organization
    public var role: Role
    public var joinedAt: Date

    public init(organization: Organization, role: Role, joinedAt: Date) {
        self.organization = organization
        self.role = role
        self.joinedAt = joinedAt
    }
}

/// A member of an organization, as its admins list them.
public struct Member: Sendable, Hashable {
    public var user: User
    public var role: Role
    public var joinedAt: Date
}

/// A person's session: its token is shown once; only its SHA-256 is stored.
public struct PersonSession: Sendable, Hashable {
    public var token: String
    public var csrfToken: String
    public var expiresAt: Date
}

/// People, their memberships and sessions, in PostgreSQL (migration 0017). The SQL of the concern is here, each
/// statement written once; invitations are in Invitations.swift, the roster in Roster.swift.
public struct PeopleStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// Session tokens: `bfs_` and 32 random bytes, so a log or a support ticket tells them from API keys.
    public static let sessionPrefix = "bfs_"
    /// How long a session lasts (issue 31: 12 h).
    public static let sessionLifetime: TimeInterval = 12 * 3600
    /// Failures in a row for one email before it is throttled, and the wait between attempts after.
    public static let failuresBeforeThrottle = 10
    public static let throttleInterval: TimeInterval = 30

    static let userColumns = "u.id, u.email, u.name, u.locale, u.time_zone, u.created_at"
    typealias UserRow = (UUID, String, String, String, String, Date)
    static func user(_ r: UserRow) -> User {
        User(id: r.0, email: r.1, name: r.2, locale: r.3, timeZone: r.4, createdAt: r.5)
    }

    /// Normalized email: trimmed and lowercased; nil when it is not an address.
    public static func normalize(email: String) -> String? {
        let e = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard (3...254).contains(e.utf8.count), let at = e.firstIndex(of: "@"), at != e.startIndex,
            e[e.index(after: at)...].contains("."), !e.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
        else { return nil }
        return e
    }

    // MARK: Sign-in

    /// The seconds `email` must still wait before its next attempt (past ten failures in a row), or nil.
    public func throttled(email: String) async throws -> TimeInterval? {
        let rows = try await db.rows(
            """
            SELECT failures, extract(epoch FROM (last_failure_at + make_interval(secs => \(Self.throttleInterval))
                   - now()))::float8
            FROM sign_in_failures WHERE email = \(email)
            """)
        guard let (failures, wait) = try rows.first?.decode((Int, Double).self),
            failures >= Self.failuresBeforeThrottle, wait > 0
        else { return nil }
        return wait
    }

    /// Counts a failed sign-in for `email` (known or not).
    public func recordFailure(email: String) async throws {
        try await db.write(
            """
            INSERT INTO sign_in_failures (email, failures, last_failure_at) VALUES (\(email), 1, now())
            ON CONFLICT (email) DO UPDATE SET failures = sign_in_failures.failures + 1, last_failure_at = now()
            """)
    }

    /// Forgets the failures of `email` (its password was right).
    public func clearFailures(email: String) async throws {
        try await db.write("DELETE FROM sign_in_failures WHERE email = \(email)")
    }

    /// The person with `email` and their stored password hash, or nil.
    public func credentials(email: String) async throws -> (User, String?)? {
        let rows = try await db.rows(
            "SELECT \(unescaped: Self.userColumns), u.password_hash FROM users u WHERE u.email = \(email)")
        guard let r = try rows.first?.decode((UUID, String, String, String, String, Date, String?).self) else {
            return nil
        }
        return (Self.user((r.0, r.1, r.2, r.3, r.4, r.5)), r.6)
    }

    /// A person's memberships, oldest first.
    public func memberships(userID: UUID) async throws -> [Membership] {
        let rows = try await db.rows(
            """
            SELECT \(unescaped: OrganizationStore.organizationColumns), m.role, m.joined_at
            FROM memberships m JOIN organizations o ON o.id = m.organization_id
            WHERE m.user_id = \(userID) ORDER BY m.joined_at, o.id
            """)
        return try rows.map { row in
            let r = try row.decode(
                (UUID, String, String, Date, String, Double, Double, Double, Double, String, Date).self)
            return Membership(
                organization: try OrganizationStore.organization((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8)),
                role: try known(Role.self, r.9, column: "memberships.role"), joinedAt: r.10)
        }
    }

    /// Starts a session for `user` as a member of `organizationID`, clears their failures, and (when `rehash` is
    /// given) stores their password at the current cost, in one transaction.
    public func startSession(
        user: UUID, organizationID: UUID, email: String? = nil, rehash: String? = nil,
        lifetime: TimeInterval = PeopleStore.sessionLifetime
    ) async throws -> PersonSession {
        let token = Self.sessionPrefix + Tokens.random()
        let session = PersonSession(
            token: token, csrfToken: Tokens.random(), expiresAt: Date().addingTimeInterval(lifetime))
        try await db.transaction { [logger = db.logger] conn in
            try await Self.insertSession(conn, session, user: user, organizationID: organizationID, logger: logger)
            if let email {
                try await conn.query("DELETE FROM sign_in_failures WHERE email = \(email)", logger: logger).run()
            }
            if let rehash {
                try await conn.query("UPDATE users SET password_hash = \(rehash) WHERE id = \(user)", logger: logger)
                    .run()
            }
        }
        return session
    }

    static func insertSession(
        _ conn: PostgresConnection, _ session: PersonSession, user: UUID, organizationID: UUID, logger: Logger
    ) async throws {
        try await conn.query(
            """
            INSERT INTO person_sessions (id_hash, organization_id, user_id, csrf_token, created_at, expires_at)
            VALUES (\(Tokens.hash(session.token)), \(organizationID), \(user), \(session.csrfToken), now(),
                    \(session.expiresAt))
            """, logger: logger
        ).run()
    }

    /// The live session whose token has this digest, as a caller, with its form token; nil when it is unknown,
    /// expired, or its membership is gone.
    public func authenticate(sessionHash: Data) async throws -> (Principal, csrfToken: String, expiresAt: Date)? {
        let rows = try await db.rows(
            """
            SELECT \(unescaped: Self.userColumns), \(unescaped: OrganizationStore.organizationColumns), m.role,
                   s.csrf_token, s.expires_at
            FROM person_sessions s
            JOIN memberships m ON m.organization_id = s.organization_id AND m.user_id = s.user_id
            JOIN users u ON u.id = s.user_id
            JOIN organizations o ON o.id = s.organization_id
            WHERE s.id_hash = \(sessionHash) AND s.expires_at > now()
            """)
        guard let row = rows.first else { return nil }
        let r = try row.decode(
            (
                UUID, String, String, String, String, Date, UUID, String, String, Date, String, Double, Double, Double,
                Double, String, String, Date
            ).self)
        let organization = try OrganizationStore.organization((r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13, r.14))
        let principal = Principal(
            person: Self.user((r.0, r.1, r.2, r.3, r.4, r.5)), sessionHash: sessionHash, organization: organization,
            role: try known(Role.self, r.15, column: "memberships.role"))
        return (principal, r.16, r.17)
    }

    /// Ends the session with this digest; nothing happens for an unknown one.
    public func endSession(hash: Data) async throws {
        try await db.write("DELETE FROM person_sessions WHERE id_hash = \(hash)")
    }

    // MARK: The person's own profile

    /// Changes what is given of the person's name, locale and time zone; returns the person as they are now.
    public func updateProfile(userID: UUID, name: String?, locale: String?, timeZone: String?) async throws -> User {
        let rows = try await db.write(
            """
            UPDATE users u SET name = COALESCE(\(name), name), locale = COALESCE(\(locale), locale),
                               time_zone = COALESCE(\(timeZone), time_zone)
            WHERE u.id = \(userID) RETURNING \(unescaped: Self.userColumns)
            """)
        guard let r = try rows.first?.decode(UserRow.self) else {
            throw NoRowReturned(statement: "update the profile")
        }
        return Self.user(r)
    }

    /// The person's stored password hash.
    public func passwordHash(userID: UUID) async throws -> String? {
        try await db.rows("SELECT password_hash FROM users WHERE id = \(userID)").first?.decode(String?.self)
    }

    /// Sets the person's password and ends every other session of theirs (in every organization), in one
    /// transaction: a stolen session dies with the password change.
    public func setPassword(userID: UUID, hash: String, keeping sessionHash: Data?) async throws {
        try await db.transaction { [logger = db.logger] conn in
            try await conn.query("UPDATE users SET password_hash = \(hash) WHERE id = \(userID)", logger: logger).run()
            try await conn.query(
                """
                DELETE FROM person_sessions WHERE user_id = \(userID)
                  AND id_hash IS DISTINCT FROM \(sessionHash)
                """, logger: logger
            ).run()
        }
    }

    // MARK: Members

    /// The organization's members, by name.
    public func members(organizationID: UUID) async throws -> [Member] {
        try await db.rows(
            """
            SELECT \(unescaped: Self.userColumns), m.role, m.joined_at
            FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.organization_id = \(organizationID) ORDER BY u.name, u.id
            """
        ).map { row in
            let r = try row.decode((UUID, String, String, String, String, Date, String, Date).self)
            return Member(
                user: Self.user((r.0, r.1, r.2, r.3, r.4, r.5)),
                role: try known(Role.self, r.6, column: "memberships.role"), joinedAt: r.7)
        }
    }

    /// Changes a member's role; nil when they are not a member. Refused with 409 `last_admin` when it would leave
    /// the organization without an admin (checked under the organization's lock; a trigger checks it too).
    public func changeRole(organizationID: UUID, userID: UUID, role: Role) async throws -> Member? {
        try await db.transaction { [logger = db.logger] conn in
            try await conn.rows(LockOrganization(ids: [organizationID]), logger: logger)
            guard let current = try await Self.role(conn, organizationID, userID, logger) else { return nil }
            if current == .admin, role != .admin {
                try await Self.requireAnotherAdmin(conn, organizationID, userID, logger)
            }
            let rows = try await conn.query(
                """
                WITH m AS (UPDATE memberships SET role = \(role.rawValue)
                           WHERE organization_id = \(organizationID) AND user_id = \(userID)
                           RETURNING user_id, role, joined_at)
                SELECT \(unescaped: Self.userColumns), m.role, m.joined_at FROM m JOIN users u ON u.id = m.user_id
                """, logger: logger
            ).collect()
            // A personal key never holds more than its owner's role. It is revoked, not lowered: a key's role never
            // changes (the daemons' key caches rely on it).
            try await conn.query(
                """
                UPDATE api_keys SET revoked_at = now()
                WHERE owner_user_id = \(userID) AND organization_id = \(organizationID) AND revoked_at IS NULL
                  AND ((role = 'admin' AND \(role.rawValue) <> 'admin')
                       OR (role = 'manager' AND \(role.rawValue) = 'viewer'))
                """, logger: logger
            ).run()
            guard let r = try rows.first?.decode((UUID, String, String, String, String, Date, String, Date).self)
            else { return nil }
            return Member(
                user: Self.user((r.0, r.1, r.2, r.3, r.4, r.5)),
                role: try known(Role.self, r.6, column: "memberships.role"), joinedAt: r.7)
        }
    }

    /// Removes a member: their sessions in this organization end (the cascade) and their personal keys here are
    /// revoked, in one transaction. False when they are not a member; 409 `last_admin` for the last admin.
    public func remove(organizationID: UUID, userID: UUID) async throws -> Bool {
        try await db.transaction { [logger = db.logger] conn in
            try await conn.rows(LockOrganization(ids: [organizationID]), logger: logger)
            guard let current = try await Self.role(conn, organizationID, userID, logger) else { return false }
            if current == .admin { try await Self.requireAnotherAdmin(conn, organizationID, userID, logger) }
            try await conn.query(
                "DELETE FROM memberships WHERE organization_id = \(organizationID) AND user_id = \(userID)",
                logger: logger
            ).run()
            try await conn.query(
                """
                UPDATE api_keys SET revoked_at = now()
                WHERE owner_user_id = \(userID) AND organization_id = \(organizationID) AND revoked_at IS NULL
                """, logger: logger
            ).run()
            return true
        }
    }

    static func role(_ conn: PostgresConnection, _ organizationID: UUID, _ userID: UUID, _ logger: Logger)
        async throws -> Role?
    {
        let rows = try await conn.query(
            "SELECT role FROM memberships WHERE organization_id = \(organizationID) AND user_id = \(userID)",
            logger: logger
        ).collect()
        return try rows.first.map { try known(Role.self, try $0.decode(String.self), column: "memberships.role") }
    }

    static func requireAnotherAdmin(
        _ conn: PostgresConnection, _ organizationID: UUID, _ userID: UUID, _ logger: Logger
    )
        async throws
    {
        let others =
            try await conn.query(
                """
                SELECT count(*)::int FROM memberships
                WHERE organization_id = \(organizationID) AND role = 'admin' AND user_id <> \(userID)
                """, logger: logger
            ).collect().first?.decode(Int.self) ?? 0
        guard others > 0 else {
            throw Problem(.lastAdmin, "an organization keeps at least one admin; make another member admin first")
        }
    }
}
