import Foundation
import PostgresNIO
import Workflow

// The SQL of projects, tasks and their history: each statement once, named for what it does.
extension ProjectStore {
    struct InsertProject: PostgresPreparedStatement {
        static let name = "briefd_insert_project"
        static let sql = """
            INSERT INTO projects (id, brand_id, title, state, version, last_sequence, strategy, kpi_results,
                                  created_at, updated_at)
            VALUES ($1::uuid, $2::uuid, $3::text, $4::text, $5::int8, $6::int8, $7::text::jsonb, $8::text::jsonb,
                    $9::timestamptz, $9::timestamptz)
            """
        typealias Row = Void
        var project: ProjectRecord

        func makeBindings() throws -> PostgresBindings {
            let p = project
            var b = PostgresBindings(capacity: 9)
            b.append(p.id)
            b.append(p.brandID)
            b.append(p.title)
            b.append(p.state.rawValue)
            b.append(p.version)
            b.append(p.lastSequence)
            b.append(try ProjectStore.json(p.strategy))
            b.append(try ProjectStore.json(p.kpiResults))
            b.append(p.createdAt)
            return b
        }
    }

    /// How a project is read with its tasks in one statement (`ProjectWithTasks`).
    protocol ProjectRead: Sendable {
        static var name: String { get }
        /// What follows the query: the row lock, or nothing.
        static var locking: String { get }
        /// Whether the tasks read are the ones of the project row returned (a boolean expression).
        static var tasksCurrent: String { get }
    }

    /// A project's read (`GET`, the console): one statement, one snapshot, so the project and its tasks are as one
    /// commit left them (two statements could straddle a transition).
    enum SnapshotRead: ProjectRead {
        static let name = "briefd_project_with_tasks"
        static let locking = ""
        static let tasksCurrent = "true"
    }

    /// A transition's first statement (and a timer's): the project row locked until commit. The
    /// tasks are read with the statement's snapshot, taken before any wait for the lock: when a transition committed
    /// during the wait, the lock returns the project as it committed but the tasks as they were before it. The
    /// project row version the snapshot saw (`xmin`) tells: the same version as the locked one, and no transition has
    /// written since (every transition writes the project row, before its tasks); another one, and the caller reads
    /// the tasks again in a statement of its own, which sees what the other transition committed.
    enum LockedRead: ProjectRead {
        static let name = "briefd_lock_project_with_tasks"
        static let locking = "FOR UPDATE OF p"
        static let tasksCurrent = "p.xmin::text = (SELECT s.xmin FROM projects s WHERE s.id = $1::uuid)::text"
    }

    /// A project with its brand's service levels and its tasks (one row each; one row of nulls without any),
    /// whether those tasks are current, and whether the API key `keyID` is still live (null without one), in one
    /// round trip: a transition checks its caller's key in its own read (`ProjectStore.load`).
    struct ProjectWithTasks<Read: ProjectRead>: PostgresPreparedStatement {
        static var name: String { Read.name }
        static var sql: String {
            """
            SELECT \(projectColumns), \(Read.tasksCurrent), \(taskColumns),
                   (SELECT k.revoked_at IS NULL FROM api_keys k WHERE k.id = $2::uuid)
            FROM \(projectsWithBrand) LEFT JOIN (\(tasksWithDecisions)) ON t.project_id = p.id
            WHERE p.id = $1::uuid
            \(Read.locking)
            """
        }
        typealias Row = ProjectWithTasksRow
        var id: UUID
        var keyID: UUID? = nil

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 2)
            b.append(id)
            try b.append(optional: keyID)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// A row of `ProjectWithTasks`: the project's columns, whether the tasks are current, a task's columns,
    /// whether the key asked about is live.
    typealias ProjectWithTasksRow = (
        UUID, UUID, String, String, Int, Int, String, String, String?, String?, Date, Date,
        String, Double, Double, Double, Double, Bool,
        UUID?, UUID?, UUID?, Int?, String?, String?, String?, String?, String?, String?, String?, Date?, Date?,
        Date?,
        Date?, Date?, Int64?, String?, String?, [UUID]?, [Int]?, [UUID]?, [String]?, [Date]?,
        Bool?
    )

    /// Reading a `ProjectWithTasksRow`.
    enum ProjectWithTasksParts {
        /// The project part of a row.
        static func project(_ r: ProjectWithTasksRow) -> ProjectRow {
            (r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13, r.14, r.15, r.16)
        }

        /// The task part of a row, nil on the row of nulls of a project without tasks.
        static func task(_ r: ProjectWithTasksRow) throws -> TaskRow? {
            guard let id = r.18 else { return nil }
            func some<T>(_ value: T?, _ column: String) throws -> T {
                guard let value else { throw UnknownStoredValue(column: "tasks.\(column)", value: "NULL") }
                return value
            }
            return (
                id, try some(r.19, "project_id"), try some(r.20, "agency_id"), try some(r.21, "position"),
                try some(r.22, "title"), try some(r.23, "description"), r.24, try some(r.25, "state"), r.26, r.27,
                try some(r.28, "deliveries"), try some(r.29, "created_at"), try some(r.30, "updated_at"), r.31,
                try some(r.32, "state_since"), r.33, r.34, r.35, try some(r.36, "approval_mode"),
                try some(r.37, "approvers"), try some(r.38, "rounds"), try some(r.39, "keys"),
                try some(r.40, "verdicts"), try some(r.41, "times")
            )
        }
    }

    /// Which projects an organization sees, as a condition on `projects` with the organization as `$1`.
    protocol ProjectsSeenBy: Sendable {
        static var name: String { get }
        static var condition: String { get }
        /// Which tasks `t` of those projects the organization sees.
        static var taskCondition: String { get }
    }

    /// A brand sees its own projects.
    enum SeenByBrand: ProjectsSeenBy {
        static let name = "briefd_brand_projects"
        static let condition = "p.brand_id = $1::uuid"
        static let taskCondition = "true"
    }

    /// An agency sees the projects it has an issued task in.
    enum SeenByAgency: ProjectsSeenBy {
        static let name = "briefd_agency_projects"
        static let condition =
            "p.id IN (SELECT project_id FROM tasks WHERE agency_id = $1::uuid AND \(DomainSQL.agencySeesTask()))"
        static let taskCondition = "t.agency_id = $1::uuid AND \(DomainSQL.agencySeesTask("t"))"
    }

    /// A page of the projects an organization sees, oldest first, after a cursor, optionally in one state.
    struct ProjectPage<Scope: ProjectsSeenBy>: PostgresPreparedStatement {
        static var name: String { Scope.name }
        static var sql: String {
            """
            SELECT \(projectColumns) FROM \(projectsWithBrand)
            WHERE \(Scope.condition)
              AND ($2::text IS NULL OR p.state = $2::text) AND ($3::uuid IS NULL OR p.id > $3::uuid)
              AND (NOT $5::bool OR p.state NOT IN \(DomainSQL.terminalStates))
              AND ($6::text[] IS NULL OR p.state = ANY($6::text[]))
            ORDER BY p.id LIMIT $4::int8
            """
        }
        typealias Row = ProjectRow
        var organizationID: UUID
        var state: String?
        var after: UUID?
        var limit: Int
        /// Only projects that are not closed or cancelled.
        var activeOnly = false
        /// Only projects in one of these states (nil: any).
        var states: [String]? = nil

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 6)
            b.append(organizationID)
            try b.append(optional: state)
            try b.append(optional: after)
            b.append(limit)
            b.append(activeOnly)
            try b.append(optional: states)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// How many projects an organization sees, per state.
    struct ProjectCounts<Scope: ProjectsSeenBy>: PostgresPreparedStatement {
        static var name: String { Scope.name + "_counts" }
        static var sql: String {
            "SELECT p.state, count(*)::int8 FROM projects p WHERE \(Scope.condition) GROUP BY p.state"
        }
        typealias Row = (String, Int)
        var organizationID: UUID

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 1)
            b.append(organizationID)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Projects by id with their brand's service levels (visibility is the caller's to check).
    struct ProjectsByID: StatementByIDs {
        static let name = "briefd_projects_by_id"
        static let sql = "SELECT \(projectColumns) FROM \(projectsWithBrand) WHERE p.id = ANY($1::uuid[])"
        typealias Row = ProjectRow
        var ids: [UUID]

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// The inbox's first reading: per project an organization sees in the given states, its state and last move,
    /// and each task's state, wait start and agency (a brand's: every task; an agency's: its issued ones). No JSON.
    struct InboxRows<Scope: ProjectsSeenBy>: PostgresPreparedStatement {
        static var name: String { Scope.name + "_inbox_rows" }
        static var sql: String {
            """
            SELECT p.id, p.state, p.updated_at, t.state, t.state_since, t.agency_id
            FROM projects p
            LEFT JOIN tasks t ON t.project_id = p.id AND \(Scope.taskCondition)
            WHERE \(Scope.condition) AND p.state = ANY($2::text[])
            """
        }
        typealias Row = (UUID, String, Date, String?, Date?, UUID?)
        var organizationID: UUID
        var states: [String]

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 2)
            b.append(organizationID)
            b.append(states)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// The tasks of the given projects (`ids` are project ids).
    struct ProjectTasks: StatementByIDs {
        static let name = "briefd_project_tasks"
        static let sql =
            """
            SELECT \(taskColumns) FROM \(tasksWithDecisions)
            WHERE t.project_id = ANY($1::uuid[]) ORDER BY t.project_id, t.position
            """
        typealias Row = TaskRow
        var ids: [UUID]

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// A project's history; with a recipient, only the transitions whose events it received.
    struct ProjectHistory: PostgresPreparedStatement {
        static let name = "briefd_project_history"
        static let sql = """
            SELECT t.sequence, t.action, t.from_state, t.to_state, t.task_id, t.actor_org_id, t.actor_api_key_id,
                   t.actor_side, t.data::text, t.occurred_at, t.actor_user_id, t.actor_name
            FROM transitions t
            WHERE t.project_id = $1::uuid AND t.sequence > $3::bigint
              AND ($2::uuid IS NULL OR EXISTS (
                   SELECT 1 FROM events e JOIN event_recipients r ON r.event_id = e.id
                   WHERE e.project_id = t.project_id AND e.sequence = t.sequence AND r.organization_id = $2::uuid))
            ORDER BY t.sequence
            LIMIT $4::int
            """
        typealias Row = (Int, String, String?, String, UUID?, UUID?, UUID?, String, String, Date, UUID?, String?)
        var projectID: UUID
        var recipient: UUID?
        /// Entries after this sequence (0: from the first).
        var after: Int
        var limit: Int

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 4)
            b.append(projectID)
            try b.append(optional: recipient)
            b.append(Int64(after))
            b.append(Int32(limit))
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
