import Foundation
import Logging
import PostgresNIO
import Workflow

/// Comments and approval decisions (migration 0013): written with the transition (`briefd_write_transition`), read
/// here. The SQL of the concern, each statement once.
public struct ReviewStore: Sendable {
    let db: Database

    public init(db: Database) { self.db = db }

    /// The comments of `task` that `actor` may see, oldest first: at most `limit` after the comment `after`.
    public func comments(task: UUID, for actor: Actor, after: UUID?, limit: Int) async throws -> [TaskComment] {
        let agency: UUID? = actor.kind == .agency ? actor.organizationID : nil
        return try await db.rows(TaskComments(taskID: task, agency: agency, after: after, limit: limit)).map(
            Self.comment)
    }

    /// The comments of each of `tasks` that `actor` may see, oldest first, in one statement (a page of several tasks
    /// reads them at once): at most `limit` per task.
    public func comments(tasks: [UUID], for actor: Actor, limit: Int) async throws -> [UUID: [TaskComment]] {
        guard !tasks.isEmpty else { return [:] }
        let agency: UUID? = actor.kind == .agency ? actor.organizationID : nil
        var out: [UUID: [TaskComment]] = [:]
        for row in try await db.rows(TasksComments(taskIDs: tasks, agency: agency, limit: limit)) {
            let comment = try Self.comment(row)
            out[comment.taskID, default: []].append(comment)
        }
        return out
    }

    /// A comment by id, as stored (the machine checks what the caller may do with it).
    static func comment(_ conn: PostgresConnection, id: UUID, logger: Logger) async throws -> TaskComment? {
        try await conn.rows(CommentByID(id: id), logger: logger).first.map(Self.comment)
    }

    /// The facts an approval policy's check needs about the keys it names.
    static func approverKeys(_ conn: PostgresConnection, ids: [UUID], brand: UUID, logger: Logger) async throws
        -> [UUID: ApproverKey]
    {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: ApproverKey] = [:]
        for (id, org, role, revoked) in try await conn.rows(ApproverKeys(ids: ids, brand: brand), logger: logger) {
            out[id] = ApproverKey(
                organizationID: org, role: try known(Role.self, role, column: "api_keys.role"), revoked: revoked)
        }
        return out
    }

    // MARK: Statements

    /// The columns of a comment, in `CommentRow`'s order.
    static let commentColumns = """
        id, project_id, task_id, agency_id, round, parent_id, author_org_id, author_api_key_id, author_side, body,
        internal, created_at, resolved_at, resolved_by_api_key_id
        """
    typealias CommentRow = (UUID, UUID, UUID, UUID, Int?, UUID?, UUID, UUID?, String, String, Bool, Date, Date?, UUID?)

    static func comment(_ r: CommentRow) throws -> TaskComment {
        TaskComment(
            id: r.0, projectID: r.1, taskID: r.2, agencyID: r.3, round: r.4, parentID: r.5, authorOrganizationID: r.6,
            authorAPIKeyID: r.7, authorSide: try known(Side.self, r.8, column: "task_comments.author_side"), body: r.9,
            isInternal: r.10, createdAt: r.11, resolvedAt: r.12, resolvedByAPIKeyID: r.13)
    }

    struct CommentByID: StatementByID {
        static let name = "briefd_comment_by_id"
        static let sql = "SELECT \(commentColumns) FROM task_comments WHERE id = $1::uuid"
        typealias Row = CommentRow
        var id: UUID
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// A task's comments in order (ids are UUIDv7: time order); for an agency, its own conversation without the
    /// internal ones.
    struct TaskComments: PostgresPreparedStatement {
        static let name = "briefd_task_comments"
        static let sql = """
            SELECT \(commentColumns) FROM task_comments
            WHERE task_id = $1::uuid AND ($2::uuid IS NULL OR (agency_id = $2::uuid AND NOT internal))
              AND ($3::uuid IS NULL OR id > $3::uuid)
            ORDER BY id LIMIT $4::int
            """
        typealias Row = CommentRow
        var taskID: UUID
        var agency: UUID?
        var after: UUID?
        var limit: Int

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 4)
            b.append(taskID)
            try b.append(optional: agency)
            try b.append(optional: after)
            b.append(Int32(limit))
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// `TaskComments` for several tasks, the first `limit` of each (what the reader may see, as there).
    struct TasksComments: PostgresPreparedStatement {
        static let name = "briefd_tasks_comments"
        static let sql = """
            SELECT \(commentColumns) FROM (
                SELECT c.*, row_number() OVER (PARTITION BY task_id ORDER BY id) AS n FROM task_comments c
                WHERE task_id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR (agency_id = $2::uuid AND NOT internal))
            ) c
            WHERE n <= $3::int
            ORDER BY task_id, id
            """
        typealias Row = CommentRow
        var taskIDs: [UUID]
        var agency: UUID?
        var limit: Int

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 3)
            b.append(taskIDs)
            try b.append(optional: agency)
            b.append(Int32(limit))
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Approvers are keys or people: a person is named by their user id, as a member of the brand (a removed
    /// member has no row, and is refused as a revoked key is).
    struct ApproverKeys: PostgresPreparedStatement {
        static let name = "briefd_approver_keys"
        static let sql = """
            SELECT id, organization_id, role, revoked_at IS NOT NULL FROM api_keys WHERE id = ANY($1::uuid[])
            UNION ALL
            SELECT user_id, organization_id, role, false FROM memberships
            WHERE user_id = ANY($1::uuid[]) AND organization_id = $2::uuid
            """
        typealias Row = (UUID, UUID, String, Bool)
        var ids: [UUID]
        var brand: UUID

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 2)
            b.append(ids)
            b.append(brand)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
