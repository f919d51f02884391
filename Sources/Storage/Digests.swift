import Foundation
import PostgresNIO
import Workflow

/// A person whose daily digest is due (migration 0019), claimed by one mailer under a lease.
public struct DueDigest: Sendable, Hashable {
    public var userID: UUID
    public var email: String
    public var name: String
    public var locale: String
    public var timeZone: String
    /// The 08:00 it is for.
    public var dueAt: Date
    public var lease: UUID
}

/// One wait of a digest: what the inbox holds for one of the person's organizations.
public struct DigestItem: Sendable, Hashable {
    public var item: InboxItem
    public var organizationName: String
    public init(item: InboxItem, organizationName: String) {
        self.item = item
        self.organizationName = organizationName
    }
}

/// The daily digests (docs/notifications.md): the schedule is kept by the database (a trigger on `users` writes the
/// next 08:00 in the person's time zone when they choose `daily`); a mailer claims the due ones under a lease, reads
/// what waits on the person, and `write` records the digest email and the next 08:00 in one transaction, only if the
/// lease is still its own: once per day across every daemon.
public struct DigestStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// The most waits one digest lists (the inbox has the rest).
    public static let itemsListed = 20
    /// The most waits one digest counts per organization ("200 steps wait").
    public static let itemsCounted = 200
    /// A digest more than this late (mail was off, every daemon down) is skipped: the next 08:00 brings a fresh one.
    public static let stale: TimeInterval = 6 * 3600

    /// Claims up to `limit` due digests for `lease`.
    public func claim(limit: Int, lease: Duration) async throws -> [DueDigest] {
        let token = UUID()
        return try await db.write(
            """
            UPDATE digests d SET lease_token = \(token),
                leased_until = now() + make_interval(secs => \(Double(lease.components.seconds)))
            FROM users u
            WHERE u.id = d.user_id AND d.user_id IN (
                SELECT user_id FROM digests WHERE due_at <= now() AND (leased_until IS NULL OR leased_until < now())
                ORDER BY due_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING d.user_id, u.email, u.name, u.locale, u.time_zone, d.due_at
            """
        ).map { row in
            let r = try row.decode((UUID, String, String, String, String, Date).self)
            return DueDigest(
                userID: r.0, email: r.1, name: r.2, locale: r.3, timeZone: r.4, dueAt: r.5, lease: token)
        }
    }

    /// The organizations whose waits a person's digest lists: those where they are an admin or a manager (a viewer
    /// acts on nothing), as the actor that reads each one's inbox.
    public func actors(userID: UUID) async throws -> [(actor: Actor, organizationName: String)] {
        try await PeopleStore(db: db).memberships(userID: userID).filter { $0.role.mayAct }.map { m in
            (
                Actor(organizationID: m.organization.id, kind: m.organization.kind, role: m.role, userID: userID),
                m.organization.name
            )
        }
    }

    /// Writes the digest of `digest` (when something waits and it is not stale) and moves its schedule to the next
    /// 08:00, in one transaction, if the claim still holds; returns whether it did (false: another mailer took it).
    /// `waiting` is how many items wait in all (`items` lists the first, overdue and oldest first).
    @discardableResult
    public func write(_ digest: DueDigest, items: [DigestItem], waiting: Int, now: Date = Date()) async throws -> Bool {
        try await db.transaction { [logger = db.logger] conn in
            let rows = try await conn.query(
                """
                UPDATE digests SET due_at = briefd_next_digest(\(digest.timeZone), GREATEST(now(), due_at)),
                    lease_token = NULL, leased_until = NULL, last_run_at = now()
                WHERE user_id = \(digest.userID) AND lease_token = \(digest.lease)
                RETURNING 1
                """, logger: logger
            ).collect()
            guard !rows.isEmpty else { return false }
            guard !items.isEmpty, now.timeIntervalSince(digest.dueAt) < Self.stale else { return true }
            try await MailOutbox.insert(
                conn, kind: "digest", userID: digest.userID, to: digest.email, locale: digest.locale,
                content: Self.content(digest, items: items, waiting: waiting), logger: logger)
            return true
        }
    }

    /// What the digest email says: the count, and each wait's titles, organization, link, age and deadline (never a
    /// fee: the inbox's items carry none that the composer reads).
    static func content(_ digest: DueDigest, items: [DigestItem], waiting: Int) -> [String: String?] {
        var c: [String: String?] = [
            "recipient": digest.name, "time_zone": digest.timeZone, "path": "/console",
            "count": String(waiting), "listed": String(items.count),
            "overdue": String(items.filter(\.item.overdue).count),
            "organizations": String(Set(items.map(\.organizationName)).count),
        ]
        let iso = ISO8601DateFormatter()
        for (i, d) in items.enumerated() {
            let p = "item_\(i)_"
            c[p + "project"] = d.item.projectTitle
            c[p + "task"] = d.item.task?.title
            c[p + "organization"] = d.organizationName
            c[p + "path"] = ConsolePaths.project(d.item.projectID, task: d.item.task?.id)
            c[p + "overdue"] = d.item.overdue ? "true" : "false"
            c[p + "since"] = iso.string(from: d.item.waitingSince)
            c[p + "due"] = d.item.task?.dueAt.map(iso.string(from:))
        }
        return c
    }
}
