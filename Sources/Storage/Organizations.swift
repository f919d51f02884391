import Crypto
import Foundation
import Logging
import PostgresNIO
import Workflow

/// An organization: a brand or an agency.
public struct Organization: Sendable, Hashable {
    public var id: UUID
    public var name: String
    public var kind: OrganizationKind
    public var createdAt: Date
    /// Its time zone and how long each side may keep the other waiting (a brand's apply to its projects).
    public var serviceLevels: ServiceLevels = .defaults
}

/// A change to an organization's service levels; nil fields stay as they are.
public struct ServiceLevelsPatch: Sendable {
    public var timezone: String?
    public var responseSLA: TimeInterval?
    public var reviewSLA: TimeInterval?
    public var dueSoon: TimeInterval?
    public var escalateAfter: TimeInterval?
    public init(
        timezone: String? = nil, responseSLA: TimeInterval? = nil, reviewSLA: TimeInterval? = nil,
        dueSoon: TimeInterval? = nil, escalateAfter: TimeInterval? = nil
    ) {
        self.timezone = timezone
        self.responseSLA = responseSLA
        self.reviewSLA = reviewSLA
        self.dueSoon = dueSoon
        self.escalateAfter = escalateAfter
    }
}

/// An API key as listed: never its token.
public struct APIKey: Sendable, Hashable {
    public var id: UUID
    public var organizationID: UUID
    public var name: String
    public var role: Role
    public var createdAt: Date
    public var revokedAt: Date?
    /// The person a personal key belongs to; nil for an organization's key.
    public var ownerUserID: UUID? = nil
}

/// A caller authenticated by its key, or a person by their session (acting as one membership).
public struct Principal: Sendable, Hashable {
    /// How the caller proved who it is.
    public enum Credential: Sendable, Hashable {
        /// An API key (an integration's, or a person's own personal key).
        case apiKey(APIKey)
        /// A person's session (`bfs_…`), with the SHA-256 of its token.
        case person(User, sessionHash: Data)
    }

    public var credential: Credential
    public var organization: Organization
    /// The key's role, or the person's in this organization.
    public var role: Role

    public init(key: APIKey, organization: Organization) {
        self.credential = .apiKey(key)
        self.organization = organization
        self.role = key.role
    }

    public init(person: User, sessionHash: Data, organization: Organization, role: Role) {
        self.credential = .person(person, sessionHash: sessionHash)
        self.organization = organization
        self.role = role
    }

    /// The caller's key; nil for a person.
    public var key: APIKey? {
        if case .apiKey(let key) = credential { return key }
        return nil
    }

    /// The person signed in; nil for a key.
    public var user: User? {
        if case .person(let user, _) = credential { return user }
        return nil
    }

    /// The key's or the person's id: what per-caller limits count.
    public var callerID: UUID { key?.id ?? user?.id ?? organization.id }

    /// The key's or the person's name, as history records it.
    public var name: String { key?.name ?? user?.name ?? organization.name }

    /// Where this caller's `Idempotency-Key`s live: its organization and its own key (or person), so two callers
    /// that send the same key and body make two requests (two approvers, two decisions), never one answer for both.
    public var idempotencyScope: String { "\(organization.id.lowercased)/\(callerID.lowercased)" }

    /// The caller as the machine sees it.
    public var actor: Actor {
        Actor(
            organizationID: organization.id, kind: organization.kind, role: role, apiKeyID: key?.id, userID: user?.id,
            name: name)
    }
}

/// API key tokens: `bfd_` and 32 random bytes in base64url; stored only as their SHA-256.
public enum Tokens {
    public static let prefix = "bfd_"

    /// A new random token.
    public static func generate() -> String { prefix + random() }

    /// 32 random bytes in base64url without padding (API key tokens, console session ids and form tokens).
    static func random() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of a token.
    public static func hash(_ token: String) -> Data { Data(SHA256.hash(data: Data(token.utf8))) }
}

/// The caller's API key, taken from the daemon's cache of recent lookups, was revoked since: the request is
/// refused as unauthenticated (the API answers 401, as if the key had been looked up).
public struct KeyRevoked: Error, CustomStringConvertible, Sendable, ProblemConvertible {
    public init() {}
    public var description: String { "the API key was revoked" }
    public var problem: Problem { .unauthenticated }
}

/// Organizations and API keys.
public struct OrganizationStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// What creating an organization made: it, its first admin key with the key's token (shown once), and, with an
    /// `admin_email`, the invitation of its first admin with that invitation's token.
    public typealias Created = (Organization, APIKey, String, (Invitation, String)?)

    /// Creates an organization with a first admin key (and, given `adminEmail`, an invitation for its first admin,
    /// written in `adminLocale`), in one transaction.
    public func create(
        name: String, kind: OrganizationKind, adminEmail: String? = nil, adminLocale: String? = nil,
        idempotency: IdempotentCompletion<Created>? = nil
    ) async throws -> Created {
        let now = Date()
        let org = Organization(id: .v7(now: now), name: name, kind: kind, createdAt: now)
        let token = Tokens.generate()
        let key = APIKey(
            id: .v7(now: now), organizationID: org.id, name: "initial admin key", role: .admin, createdAt: now,
            revokedAt: nil)
        return try await db.transaction { conn in
            try await conn.rows(InsertOrganization(organization: org), logger: db.logger)
            try await insertKey(conn, key, hash: Tokens.hash(token))
            let invitation = try await adminEmail.asyncMap { email in
                try await InvitationStore.insert(
                    conn, organizationID: org.id, brandID: nil, agencyName: nil, email: email, role: .admin, by: nil,
                    locale: adminLocale, logger: db.logger)
            }
            let created: Created = (org, key, token, invitation)
            try await idempotency?.complete(conn, created, logger: db.logger)
            return created
        }
    }

    private func insertKey(_ conn: PostgresConnection, _ key: APIKey, hash: Data) async throws {
        try await conn.rows(InsertKey(key: key, tokenHash: hash), logger: db.logger)
    }

    /// Active API keys an organization may hold at once.
    public static let maxActiveKeys = 100

    /// Creates a key for `organizationID`; returns it and its token (shown once). Refused with ``LimitReached``
    /// past ``maxActiveKeys`` active keys (counted under the organization's row lock, so racing creations agree).
    public func createKey(
        organizationID: UUID, name: String, role: Role, owner: UUID? = nil,
        idempotency: IdempotentCompletion<(APIKey, String)>? = nil
    ) async throws -> (APIKey, String) {
        let now = Date()
        let key = APIKey(
            id: .v7(now: now), organizationID: organizationID, name: name, role: role, createdAt: now, revokedAt: nil,
            ownerUserID: owner)
        let token = Tokens.generate()
        try await db.transaction { conn in
            let active = try await LimitReached.countLocked(
                conn, CountActiveKeys(organizationID: organizationID), logger: db.logger)
            guard active < Self.maxActiveKeys else {
                throw LimitReached(what: "active API keys", limit: Self.maxActiveKeys, advice: "revoke one first")
            }
            try await insertKey(conn, key, hash: Tokens.hash(token))
            try await idempotency?.complete(conn, (key, token), logger: db.logger)
        }
        return (key, token)
    }

    /// The active key with this token and its organization, or nil.
    public func authenticate(token: String) async throws -> Principal? {
        try await authenticate(tokenHash: Tokens.hash(token))
    }

    /// The active key whose token has this digest (``Tokens/hash(_:)``) and its organization, or nil.
    public func authenticate(tokenHash: Data) async throws -> Principal? {
        guard let r = try await db.rows(Authenticate(tokenHash: tokenHash)).first else { return nil }
        return try Self.principal(r)
    }

    /// The columns of an active key and its organization, in `principalColumns`' order.
    typealias PrincipalRow = (
        UUID, String, String, Date, UUID, String, String, Date, String, Double, Double, Double, Double
    )

    /// What `authenticate` and a console session read of `api_keys k` and `organizations o`.
    static let principalColumns = """
        k.id, k.name, k.role, k.created_at, o.id, o.name, o.kind, o.created_at, \(serviceLevelColumns)
        """

    /// The caller of an active key; an unknown role or kind throws.
    static func principal(_ r: PrincipalRow) throws -> Principal {
        let role = try known(Role.self, r.2, column: "api_keys.role")
        let kind = try known(OrganizationKind.self, r.6, column: "organizations.kind")
        return Principal(
            key: APIKey(id: r.0, organizationID: r.4, name: r.1, role: role, createdAt: r.3, revokedAt: nil),
            organization: Organization(
                id: r.4, name: r.5, kind: kind, createdAt: r.7,
                serviceLevels: ServiceLevels(
                    timezone: r.8, responseSLA: r.9, reviewSLA: r.10, dueSoon: r.11, escalateAfter: r.12)))
    }

    struct Authenticate: PostgresPreparedStatement {
        static let name = "briefd_authenticate"
        static let sql = """
            SELECT \(principalColumns)
            FROM api_keys k JOIN organizations o ON o.id = k.organization_id
            WHERE k.token_hash = $1::bytea AND k.revoked_at IS NULL
            """
        typealias Row = PrincipalRow
        var tokenHash: Data

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 1)
            try b.append(tokenHash)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// An organization's columns (`organizations o`), in ``organization(_:)``'s order.
    static let organizationColumns = "o.id, o.name, o.kind, o.created_at, \(serviceLevelColumns)"

    /// An organization from a row of `organizationColumns`; an unknown kind throws.
    static func organization(_ r: (UUID, String, String, Date, String, Double, Double, Double, Double)) throws
        -> Organization
    {
        Organization(
            id: r.0, name: r.1, kind: try known(OrganizationKind.self, r.2, column: "organizations.kind"),
            createdAt: r.3,
            serviceLevels: ServiceLevels(
                timezone: r.4, responseSLA: r.5, reviewSLA: r.6, dueSoon: r.7, escalateAfter: r.8))
    }

    /// The service-level columns of `organizations o`, in `ServiceLevels`' order.
    static let serviceLevelColumns = """
        o.timezone, o.response_sla_seconds, o.review_sla_seconds, o.due_soon_seconds, o.escalate_after_seconds
        """

    /// Changes the organization's service levels; returns them as they are now.
    public func updateServiceLevels(organizationID: UUID, _ patch: ServiceLevelsPatch) async throws -> ServiceLevels {
        guard let levels = try await db.write(UpdateServiceLevels(organizationID: organizationID, patch: patch)).first
        else {
            throw UnknownStoredValue(column: "organizations.id", value: "\(organizationID)")
        }
        return levels
    }

    /// The organization's keys, oldest first, after the cursor.
    public func listKeys(organizationID: UUID, after: UUID?, limit: Int) async throws -> [APIKey] {
        try await db.rows(KeyPage(organizationID: organizationID, after: after, limit: limit))
    }

    /// Revokes a key of the organization; nil when it has no such key.
    public func revokeKey(organizationID: UUID, id: UUID, owner: UUID? = nil) async throws -> APIKey? {
        try await db.write(RevokeKey(id: id, organizationID: organizationID, owner: owner)).first
    }

    /// The names of the given organizations that exist (an organization's name is what both sides call it).
    public func names(ids: [UUID]) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: String] = [:]
        for (id, name) in try await db.rows(OrganizationNames(ids: Array(Set(ids)))) { out[id] = name }
        return out
    }

    /// The names of the keys and people `ids` (an approval or a comment names either) that belong to one of
    /// `organizations`, with the organization each belongs to, in one statement (a page names the people of the brand
    /// and of every agency it shows; a person by their name, never their email).
    public func keyNames(ids: [UUID], ofAny organizations: [UUID]) async throws -> [UUID: (
        organization: UUID, name: String
    )] {
        guard !ids.isEmpty, !organizations.isEmpty else { return [:] }
        var out: [UUID: (organization: UUID, name: String)] = [:]
        for (id, organization, name) in try await db.rows(
            KeyNamesOfAny(ids: Array(Set(ids)), organizations: Array(Set(organizations))))
        {
            out[id] = (organization, name)
        }
        return out
    }

    struct KeyNamesOfAny: PostgresPreparedStatement {
        static let name = "briefd_key_names_of_any"
        static let sql = """
            SELECT id, organization_id, name FROM api_keys WHERE id = ANY($1::uuid[]) AND organization_id =
                ANY($2::uuid[])
            UNION ALL
            SELECT u.id, m.organization_id, u.name FROM users u JOIN memberships m ON m.user_id = u.id
            WHERE u.id = ANY($1::uuid[]) AND m.organization_id = ANY($2::uuid[])
            """
        typealias Row = (UUID, UUID, String)
        var ids: [UUID]
        var organizations: [UUID]

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 2)
            b.append(ids)
            b.append(organizations)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    struct OrganizationNames: StatementByIDs {
        static let name = "briefd_organization_names"
        static let sql = "SELECT id, name FROM organizations WHERE id = ANY($1::uuid[])"
        typealias Row = (UUID, String)
        var ids: [UUID]

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// The kinds of the given organizations that exist.
    static func kinds(_ conn: PostgresConnection, ids: [UUID], logger: Logger) async throws -> [UUID: OrganizationKind]
    {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: OrganizationKind] = [:]
        for (id, kind) in try await conn.rows(OrganizationKinds(ids: ids), logger: logger) {
            out[id] = try known(OrganizationKind.self, kind, column: "organizations.kind")
        }
        return out
    }

    struct OrganizationKinds: StatementByIDs {
        static let name = "briefd_organization_kinds"
        static let sql = "SELECT id, kind FROM organizations WHERE id = ANY($1::uuid[])"
        typealias Row = (UUID, String)
        var ids: [UUID]

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}

/// An organization already holds as many of something as it may (API keys, webhook endpoints): 422 `limit_reached`.
public struct LimitReached: Error, CustomStringConvertible, Sendable, ProblemConvertible {
    public var what: String
    public var limit: Int
    public var advice: String
    public var description: String { "the organization has \(limit) \(what), the most allowed; \(advice)" }
    public var problem: Problem { Problem(.limitReached, description) }

    /// Locks the organization's row, then counts (a statement of its own: in READ COMMITTED it sees what the
    /// previous holder of the lock committed, so two requests at once cannot both pass the limit).
    static func countLocked<Count: OrganizationCount>(_ conn: PostgresConnection, _ count: Count, logger: Logger)
        async throws -> Int
    {
        try await conn.rows(LockOrganization(ids: [count.organizationID]), logger: logger)
        return try await conn.rows(count, logger: logger).first ?? 0
    }
}

/// `SELECT … FOR UPDATE` of organization rows: what serializes counting against a limit.
struct LockOrganization: StatementByIDs {
    static let name = "briefd_lock_organization"
    static let sql = "SELECT 1 FROM organizations WHERE id = ANY($1::uuid[]) FOR UPDATE"
    typealias Row = Void
    var ids: [UUID]
}

/// A count of something an organization holds, checked against a limit (`LimitReached.countLocked`).
protocol OrganizationCount: PostgresPreparedStatement where Row == Int {
    var organizationID: UUID { get }
}

extension OrganizationCount {
    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 1)
        b.append(organizationID)
        return b
    }
    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int.self) }
}

struct CountEndpoints: OrganizationCount {
    static let name = "briefd_count_endpoints"
    static let sql = "SELECT count(*)::int FROM webhook_endpoints WHERE organization_id = $1::uuid"
    var organizationID: UUID
}

struct CountActiveKeys: OrganizationCount {
    static let name = "briefd_count_active_keys"
    static let sql = "SELECT count(*)::int FROM api_keys WHERE organization_id = $1::uuid AND revoked_at IS NULL"
    var organizationID: UUID
}
