import Foundation
import Logging
import PostgresNIO
import Workflow

/// An invitation to join an organization, or to create an agency on a brand's roster (`agencyName`). Its token is
/// shown once, in `accept_url`; only its SHA-256 is stored.
public struct Invitation: Sendable, Hashable {
    public var id: UUID
    /// The organization to join; nil for an agency that does not exist yet.
    public var organizationID: UUID?
    /// Its name (or the agency's name to be).
    public var organizationName: String
    public var email: String
    public var role: Role
    /// For an agency's invitation: the brand whose roster it joins.
    public var brandID: UUID?
    public var createdAt: Date
    public var expiresAt: Date
    public var acceptedAt: Date?
    public var revokedAt: Date?

    /// `pending`, `accepted`, `revoked` or `expired`.
    public func state(now: Date = Date()) -> String {
        if acceptedAt != nil { return "accepted" }
        if revokedAt != nil { return "revoked" }
        return expiresAt <= now ? "expired" : "pending"
    }
}

/// Who accepts an invitation.
public enum Acceptance: Sendable {
    /// A new account, with its name and its password's stored form.
    /// A new person, who reads briefd in `locale` (the language the invitation page was read in); French starts in
    /// Paris's time zone, English in UTC, until the person says otherwise on their profile.
    case newPerson(name: String, passwordHash: String, locale: String = "en")
    /// A person signed in already (their session's user).
    case existing(User)
}

/// Invitations in PostgreSQL (migration 0017).
public struct InvitationStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// How long an invitation stays open (issue 31: 7 days).
    public static let lifetime: TimeInterval = 7 * 86400
    /// Pending invitations an organization may hold at once.
    public static let maxPending = 200

    static let columns = """
        i.id, i.organization_id, COALESCE(o.name, i.agency_name), i.email, i.role, i.brand_id, i.created_at,
        i.expires_at, i.accepted_at, i.revoked_at
        """
    static let from = "invitations i LEFT JOIN organizations o ON o.id = i.organization_id"

    static func invitation(_ row: PostgresRow) throws -> Invitation {
        let r = try row.decode((UUID, UUID?, String, String, String, UUID?, Date, Date, Date?, Date?).self)
        return Invitation(
            id: r.0, organizationID: r.1, organizationName: r.2, email: r.3,
            role: try known(Role.self, r.4, column: "invitations.role"), brandID: r.5, createdAt: r.6,
            expiresAt: r.7, acceptedAt: r.8, revokedAt: r.9)
    }

    /// Invites `email` to `organizationID` with `role`; returns the invitation and its token. Refused with 409
    /// `conflict` when that person is a member already.
    public func invite(organizationID: UUID, email: String, role: Role, by actor: Actor) async throws -> (
        Invitation, String
    ) {
        try await insert(
            organizationID: organizationID, brandID: nil, agencyName: nil, email: email, role: role, by: actor)
    }

    /// A brand invites an agency that is not in briefd yet: accepting creates the agency, with `email` its admin,
    /// on the brand's roster.
    public func inviteAgency(brandID: UUID, agencyName: String, email: String, by actor: Actor) async throws -> (
        Invitation, String
    ) {
        try await insert(
            organizationID: nil, brandID: brandID, agencyName: agencyName, email: email, role: .admin, by: actor)
    }

    private func insert(
        organizationID: UUID?, brandID: UUID?, agencyName: String?, email: String, role: Role, by actor: Actor
    ) async throws -> (Invitation, String) {
        try await db.transaction { [logger = db.logger] conn in
            try await Self.insert(
                conn, organizationID: organizationID, brandID: brandID, agencyName: agencyName, email: email,
                role: role, by: actor, logger: logger)
        }
    }

    /// Inserts an invitation in the caller's transaction (an organization's creation invites its first admin).
    static func insert(
        _ conn: PostgresConnection, organizationID: UUID?, brandID: UUID?, agencyName: String?, email: String,
        role: Role, by actor: Actor?, locale: String? = nil, logger: Logger
    ) async throws -> (Invitation, String) {
        let token = Tokens.random()
        let id = UUID.v7(now: Date())
        let owner = organizationID ?? brandID ?? actor?.organizationID ?? id
        do {
            try await conn.rows(LockOrganization(ids: [owner]), logger: logger)
            if let organizationID {
                let member = try await conn.query(
                    """
                    SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
                    WHERE m.organization_id = \(organizationID) AND u.email = \(email)
                    """, logger: logger
                ).collect()
                guard member.isEmpty else {
                    throw Problem(.conflict, "\(email) is a member of this organization already")
                }
            }
            let pending =
                try await conn.query(
                    """
                    SELECT count(*)::int FROM invitations
                    WHERE (organization_id = \(owner) OR brand_id = \(owner)) AND accepted_at IS NULL
                      AND revoked_at IS NULL AND expires_at > now()
                    """, logger: logger
                ).collect().first?.decode(Int.self) ?? 0
            guard pending < Self.maxPending else {
                throw LimitReached(
                    what: "pending invitations", limit: Self.maxPending,
                    advice: "revoke some, or wait until they expire")
            }
            let rows = try await conn.query(
                """
                WITH i AS (
                    INSERT INTO invitations (id, organization_id, email, role, token_hash, invited_by, brand_id,
                                             agency_name, created_at, expires_at)
                    VALUES (\(id), \(organizationID), \(email), \(role.rawValue), \(Tokens.hash(token)),
                            \(ActorJSON.text(actor))::jsonb, \(brandID), \(agencyName), now(),
                            now() + make_interval(secs => \(Self.lifetime)))
                    RETURNING *)
                SELECT \(unescaped: Self.columns) FROM i LEFT JOIN organizations o ON o.id = i.organization_id
                """, logger: logger
            ).collect()
            guard let row = rows.first else { throw NoRowReturned(statement: "insert an invitation") }
            let invitation = try Self.invitation(row)
            // The email is always written (issue 32): the invitee is not a member yet, so no preference applies.
            // Its language: the invitee's when they have an account, else the one the caller named (the operator
            // onboarding a French brand), else the inviter's.
            let locale =
                try await conn.query(
                    """
                    SELECT COALESCE((SELECT locale FROM users WHERE email = \(email)), \(locale),
                                    (SELECT locale FROM users WHERE id = \(actor?.userID)), 'en')
                    """, logger: logger
                ).collect().first?.decode(String.self) ?? "en"
            try await MailOutbox.insert(
                conn, kind: "invitation", userID: nil, to: email, locale: locale,
                content: [
                    "inviter": actor?.name ?? "briefd", "organization": invitation.organizationName,
                    "role": role.rawValue, "secret_path": ConsolePaths.invitation(token: token),
                ], logger: logger)
            return (invitation, token)
        }
    }

    /// The invitations an organization sent (its own, and a brand's to new agencies), newest first.
    public func list(organizationID: UUID, limit: Int = 100) async throws -> [Invitation] {
        try await db.rows(
            """
            SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from)
            WHERE i.organization_id = \(organizationID) OR i.brand_id = \(organizationID)
            ORDER BY i.created_at DESC, i.id DESC LIMIT \(limit)
            """
        ).map(Self.invitation)
    }

    /// Revokes a pending invitation the organization sent; nil when it sent no such invitation.
    public func revoke(organizationID: UUID, id: UUID) async throws -> Invitation? {
        let rows = try await db.write(
            """
            WITH i AS (
                UPDATE invitations SET revoked_at = COALESCE(revoked_at, now())
                WHERE id = \(id) AND (organization_id = \(organizationID) OR brand_id = \(organizationID))
                  AND accepted_at IS NULL
                RETURNING *)
            SELECT \(unescaped: Self.columns) FROM i LEFT JOIN organizations o ON o.id = i.organization_id
            """)
        if let row = rows.first { return try Self.invitation(row) }
        // An accepted invitation cannot be revoked, but it is still the organization's: answer it as it is.
        return try await db.rows(
            """
            SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from)
            WHERE i.id = \(id) AND (i.organization_id = \(organizationID) OR i.brand_id = \(organizationID))
            """
        ).first.map(Self.invitation)
    }

    /// The invitation whose token this is, whatever its state; nil for an unknown token.
    public func find(token: String) async throws -> Invitation? {
        guard token.utf8.count <= 128 else { return nil }
        return try await db.rows(
            "SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from) WHERE i.token_hash = \(Tokens.hash(token))"
        ).first.map(Self.invitation)
    }

    /// Accepts the invitation whose token this is, in one transaction: the account (when new), the membership
    /// (and, for an agency's invitation, the agency and its place on the brand's roster), the invitation used.
    /// 404 for an unknown token; 410 `gone` for one used, revoked or expired; 409 when the email has an account
    /// already (sign in, then accept) or is a member already.
    public func accept(token: String, as acceptance: Acceptance) async throws -> (User, Membership) {
        guard token.utf8.count <= 128 else { throw Problem.notFound("no such invitation") }
        return try await db.transaction { [logger = db.logger] conn in
            let rows = try await conn.query(
                """
                SELECT \(unescaped: Self.columns), i.agency_name FROM \(unescaped: Self.from)
                WHERE i.token_hash = \(Tokens.hash(token)) FOR UPDATE OF i
                """, logger: logger
            ).collect()
            guard let row = rows.first else { throw Problem.notFound("no such invitation") }
            let invitation = try Self.invitation(row)
            let agencyName = try row.decode(
                (UUID, UUID?, String, String, String, UUID?, Date, Date, Date?, Date?, String?).self
            ).10
            switch invitation.state() {
            case "accepted": throw Problem(.gone, "this invitation was accepted already; sign in instead")
            case "revoked": throw Problem(.gone, "this invitation was revoked; ask for a new one")
            case "expired": throw Problem(.gone, "this invitation expired; ask for a new one")
            default: break
            }
            let now = Date()
            let user: User
            switch acceptance {
            case .newPerson(let name, let hash, let locale):
                let locale = ["en", "fr"].contains(locale) ? locale : "en"
                let zone = locale == "fr" ? "Europe/Paris" : "UTC"
                let taken = try await conn.query(
                    "SELECT 1 FROM users WHERE email = \(invitation.email)", logger: logger
                ).collect()
                guard taken.isEmpty else {
                    throw Problem(
                        .conflict,
                        "\(invitation.email) has an account already: sign in, then accept this invitation under "
                            + "your session")
                }
                user = User(
                    id: .v7(now: now), email: invitation.email, name: name, locale: locale, timeZone: zone,
                    createdAt: now)
                try await conn.query(
                    """
                    INSERT INTO users (id, email, name, locale, time_zone, password_hash, created_at)
                    VALUES (\(user.id), \(user.email), \(user.name), \(locale), \(zone), \(hash), \(now))
                    """, logger: logger
                ).run()
            case .existing(let person):
                guard person.email == invitation.email else {
                    throw Problem.forbidden("this invitation is for another email address than yours")
                }
                user = person
            }
            let organization: Organization
            if let id = invitation.organizationID {
                guard
                    let found = try await conn.query(
                        """
                        SELECT \(unescaped: OrganizationStore.organizationColumns) FROM organizations o
                        WHERE o.id = \(id)
                        """,
                        logger: logger
                    ).collect().first
                else { throw Problem.notFound("no such organization") }
                organization = try OrganizationStore.organization(
                    found.decode((UUID, String, String, Date, String, Double, Double, Double, Double).self))
                let member = try await conn.query(
                    "SELECT 1 FROM memberships WHERE organization_id = \(id) AND user_id = \(user.id)", logger: logger
                ).collect()
                guard member.isEmpty else { throw Problem(.conflict, "you are a member of this organization already") }
            } else {
                // An agency's invitation: the agency is created now, with this person as its admin, on the roster.
                organization = Organization(
                    id: .v7(now: now), name: agencyName ?? invitation.organizationName, kind: .agency, createdAt: now)
                try await conn.rows(OrganizationStore.InsertOrganization(organization: organization), logger: logger)
            }
            try await conn.query(
                """
                INSERT INTO memberships (organization_id, user_id, role, joined_at)
                VALUES (\(organization.id), \(user.id), \(invitation.role.rawValue), \(now))
                """, logger: logger
            ).run()
            if let brand = invitation.brandID {
                let by = Actor(
                    organizationID: organization.id, kind: .agency, role: .admin, userID: user.id, name: user.name)
                try await conn.query(
                    """
                    INSERT INTO agency_relationships (id, brand_id, agency_id, state, invited_by, answered_by,
                                                      created_at, updated_at)
                    SELECT \(UUID.v7(now: now)), \(brand), \(organization.id), 'active', i.invited_by,
                           \(ActorJSON.text(by))::jsonb, now(), now()
                    FROM invitations i WHERE i.id = \(invitation.id)
                    """, logger: logger
                ).run()
            }
            try await conn.query(
                "UPDATE invitations SET accepted_at = now(), accepted_by = \(user.id) WHERE id = \(invitation.id)",
                logger: logger
            ).run()
            return (user, Membership(organization: organization, role: invitation.role, joinedAt: now))
        }
    }
}

/// An actor as the people tables record who decided: `{kind, id, name, organization_id}` (issue 31).
public enum ActorJSON {
    public static func value(_ actor: Actor?) -> JSONValue {
        guard let actor else {
            return .object(["kind": .string("system"), "id": .null, "name": .null, "organization_id": .null])
        }
        return .object([
            "kind": .string(actor.identityKind), "id": .id(actor.identity), "name": .optional(actor.name),
            "organization_id": .id(actor.organizationID),
        ])
    }

    static func text(_ actor: Actor?) -> String {
        String(decoding: value(actor).serialized(), as: UTF8.self)
    }
}
