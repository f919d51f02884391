import Foundation
import PostgresNIO
import Workflow

/// One notification of a person, as their list shows it (migration 0018).
public struct PersonNotification: Sendable, Hashable {
    public var id: UUID
    /// The cursor: the list is newest first by position.
    public var position: Int64
    public var kind: NoticeKind
    public var projectID: UUID
    public var projectTitle: String
    public var taskID: UUID?
    public var taskTitle: String?
    public var actorName: String?
    /// A mention's comment, its first 280 characters.
    public var excerpt: String?
    public var createdAt: Date
    public var readAt: Date?
}

/// How a person hears by email: one email per notification, a daily digest, or none.
public enum EmailNotifications: String, Sendable, CaseIterable, Hashable {
    case immediate, daily, off
}

/// A person's notifications, read as a member of one organization (the session's): written by `briefd_notify` in
/// the transition's statement, read and marked read here.
public struct NotificationStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// Newest first, before the cursor `before` (a position) when given; with the unread count.
    public func list(userID: UUID, organizationID: UUID, before: Int64?, limit: Int) async throws
        -> (items: [PersonNotification], unread: Int)
    {
        let items = try await db.rows(
            """
            SELECT n.id, n.position, n.kind, n.project_id, p.title, n.task_id, t.title, n.actor_name, n.excerpt,
                   n.created_at, n.read_at
            FROM notifications n JOIN projects p ON p.id = n.project_id LEFT JOIN tasks t ON t.id = n.task_id
            WHERE n.user_id = \(userID) AND n.organization_id = \(organizationID)
              AND n.position < COALESCE(\(before), 9223372036854775807)
            ORDER BY n.position DESC LIMIT \(limit)
            """
        ).map { row in
            let r = try row.decode(
                (UUID, Int64, String, UUID, String, UUID?, String?, String?, String?, Date, Date?).self)
            return PersonNotification(
                id: r.0, position: r.1, kind: try known(NoticeKind.self, r.2, column: "notifications.kind"),
                projectID: r.3, projectTitle: r.4, taskID: r.5, taskTitle: r.6, actorName: r.7, excerpt: r.8,
                createdAt: r.9, readAt: r.10)
        }
        return (items, try await unread(userID: userID, organizationID: organizationID))
    }

    /// How many are unread.
    public func unread(userID: UUID, organizationID: UUID) async throws -> Int {
        try await db.rows(
            """
            SELECT count(*)::int FROM notifications
            WHERE user_id = \(userID) AND organization_id = \(organizationID) AND read_at IS NULL
            """
        ).first?.decode(Int.self) ?? 0
    }

    /// Marks read every notification up to and including `upTo` (by position); nil when `upTo` is not one of the
    /// person's in this organization. Returns how many were marked.
    public func markRead(userID: UUID, organizationID: UUID, upTo: UUID) async throws -> Int? {
        let rows = try await db.write(
            """
            WITH target AS (SELECT position FROM notifications
                            WHERE id = \(upTo) AND user_id = \(userID) AND organization_id = \(organizationID)),
            marked AS (UPDATE notifications n SET read_at = now() FROM target
                       WHERE n.user_id = \(userID) AND n.organization_id = \(organizationID)
                         AND n.position <= target.position AND n.read_at IS NULL RETURNING 1)
            SELECT (SELECT count(*) FROM target)::int, (SELECT count(*) FROM marked)::int
            """)
        guard let r = try rows.first?.decode((Int, Int).self), r.0 == 1 else { return nil }
        return r.1
    }

    /// How the person hears by email.
    public func emailPreference(userID: UUID) async throws -> EmailNotifications {
        let value = try await db.rows("SELECT email_notifications FROM users WHERE id = \(userID)").first?.decode(
            String.self)
        return try known(EmailNotifications.self, value ?? "immediate", column: "users.email_notifications")
    }

    /// Sets how the person hears by email; false when there is no such person.
    @discardableResult
    public func setEmailPreference(userID: UUID, _ preference: EmailNotifications) async throws -> Bool {
        !(try await db.write(
            "UPDATE users SET email_notifications = \(preference.rawValue) WHERE id = \(userID) RETURNING 1"
        ).isEmpty)
    }
}
