import Foundation
import PostgresNIO
import Workflow

/// Calendar feeds (migration 0020, docs/notifications.md): a person's secret URL per membership, only its hash kept.
/// The feed reads what the organization must act on through the same visibility as the API (`projects(ids:for:)`).
public struct CalendarStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// Projects a feed reads at most: the live ones and those that changed in the last `recentDays`, most recent
    /// first (an ended wait stays in the feed as cancelled for that long).
    public static let projectsRead = 500
    public static let recentDays = 60

    /// A new feed for the person in this organization, replacing any (the old URL stops); returns its token.
    public func create(userID: UUID, organizationID: UUID) async throws -> String {
        let token = Tokens.random()
        try await db.write(
            """
            INSERT INTO calendar_feeds (user_id, organization_id, token_hash, created_at)
            VALUES (\(userID), \(organizationID), \(Tokens.hash(token)), now())
            ON CONFLICT (user_id, organization_id) DO UPDATE SET token_hash = EXCLUDED.token_hash,
                created_at = EXCLUDED.created_at
            """)
        return token
    }

    /// Removes the person's feed in this organization; false when there was none.
    public func revoke(userID: UUID, organizationID: UUID) async throws -> Bool {
        !(try await db.write(
            """
            DELETE FROM calendar_feeds WHERE user_id = \(userID) AND organization_id = \(organizationID) RETURNING 1
            """
        ).isEmpty)
    }

    /// The feed a token names, while its person is still a member: who reads it, the organization's name and time
    /// zone. Nil for an unknown or revoked token, or a removed member.
    public func feed(token: String) async throws -> (actor: Actor, organizationName: String, zone: String)? {
        guard token.utf8.count <= 64 else { return nil }
        let rows = try await db.rows(
            """
            SELECT o.id, o.kind, m.role, u.id, u.name, o.name, o.timezone
            FROM calendar_feeds f
            JOIN memberships m ON m.user_id = f.user_id AND m.organization_id = f.organization_id
            JOIN organizations o ON o.id = f.organization_id
            JOIN users u ON u.id = f.user_id
            WHERE f.token_hash = \(Tokens.hash(token))
            """)
        guard let r = try rows.first?.decode((UUID, String, String, UUID, String, String, String).self) else {
            return nil
        }
        let actor = Actor(
            organizationID: r.0, kind: try known(OrganizationKind.self, r.1, column: "organizations.kind"),
            role: try known(Role.self, r.2, column: "memberships.role"), userID: r.3, name: r.4)
        return (actor, r.5, r.6)
    }

    /// The projects whose due dates the feed shows (visible to `actor`), with each task's and each project's count
    /// of transitions (the events' `SEQUENCE`).
    public func projects(for actor: Actor, store: ProjectStore) async throws -> ([ProjectRecord], [UUID: Int]) {
        let org = actor.organizationID
        let ids = try await db.rows(
            """
            SELECT p.id FROM projects p
            WHERE (p.brand_id = \(org) OR EXISTS (SELECT 1 FROM tasks t WHERE t.project_id = p.id
                                                  AND t.agency_id = \(org) AND t.due_at IS NOT NULL))
              AND (EXISTS (SELECT 1 FROM tasks t WHERE t.project_id = p.id AND t.due_at IS NOT NULL)
                   OR p.strategy->>'due_date' IS NOT NULL)
              AND (p.state NOT IN ('closed', 'cancelled')
                   OR p.updated_at > now() - make_interval(days => \(Self.recentDays)::int))
            ORDER BY p.updated_at DESC LIMIT \(Self.projectsRead)
            """
        ).map { try $0.decode(UUID.self) }
        let projects = try await store.projects(ids: ids, for: actor)
        guard !projects.isEmpty else { return ([], [:]) }
        let counts = try await db.rows(
            """
            SELECT COALESCE(task_id, project_id), count(*)::int FROM transitions
            WHERE project_id = ANY(\(projects.map(\.id))) GROUP BY COALESCE(task_id, project_id)
            """)
        var sequences: [UUID: Int] = [:]
        for row in counts {
            let (id, n) = try row.decode((UUID, Int).self)
            sequences[id] = n
        }
        return (projects, sequences)
    }
}
