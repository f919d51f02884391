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

    /// The project row of a transition. The JSON columns are sent only when they changed (nil keeps the stored value;
    /// the outcome, which may become nil, with a flag):
    /// most transitions change the state and the version, and rewriting the strategy on each of them cost the
    /// daemon its encoding and PostgreSQL its parsing and a new TOAST copy.
    struct UpdateProject: PostgresPreparedStatement {
        static let name = "briefd_update_project"
        static let sql = """
            UPDATE projects SET title = $2::text, state = $3::text, version = $4::int8, last_sequence = $5::int8,
                strategy = COALESCE($6::text::jsonb, strategy), kpi_results = COALESCE($7::text::jsonb, kpi_results),
                outcome = CASE WHEN $11::bool THEN $8::text::jsonb ELSE outcome END,
                cancel_reason = $9::text, updated_at = $10::timestamptz
            WHERE id = $1::uuid
            """
        typealias Row = Void
        var before: ProjectRecord
        var project: ProjectRecord

        func makeBindings() throws -> PostgresBindings {
            let p = project
            var b = PostgresBindings(capacity: 11)
            b.append(p.id)
            b.append(p.title)
            b.append(p.state.rawValue)
            b.append(p.version)
            b.append(p.lastSequence)
            try b.append(optional: p.strategy == before.strategy ? nil : try ProjectStore.json(p.strategy))
            try b.append(optional: p.kpiResults == before.kpiResults ? nil : try ProjectStore.json(p.kpiResults))
            let outcomeChanged = p.outcome != before.outcome
            try b.append(optional: outcomeChanged ? try p.outcome.map(ProjectStore.json) : nil)
            try b.append(optional: p.cancelReason)
            b.append(p.updatedAt)
            b.append(outcomeChanged)
            return b
        }
    }

    struct InsertTask: PostgresPreparedStatement {
        static let name = "briefd_insert_task"
        static let sql = """
            INSERT INTO tasks (id, project_id, agency_id, position, title, description, due_date, state, deliveries,
                               created_at, updated_at, due_at, state_since, last_reminder_at, fee_minor, currency,
                               approval_mode, approvers)
            VALUES ($1::uuid, $2::uuid, $3::uuid, $4::int8, $5::text, $6::text, $7::text::date, $8::text,
                    $9::text::jsonb, $10::timestamptz, $11::timestamptz, $12::timestamptz, $13::timestamptz,
                    $14::timestamptz, $15::int8, $16::text, $17::text, $18::uuid[])
            """
        typealias Row = Void
        var projectID: UUID
        var task: TaskRecord

        func makeBindings() throws -> PostgresBindings {
            let t = task
            var b = PostgresBindings(capacity: 18)
            b.append(t.id)
            b.append(projectID)
            b.append(t.agencyID)
            b.append(t.position)
            b.append(t.title)
            b.append(t.description)
            try b.append(optional: t.dueDate)
            b.append(t.state.rawValue)
            b.append(try ProjectStore.json(t.deliveries))
            b.append(t.createdAt)
            b.append(t.updatedAt)
            try b.append(optional: t.dueAt)
            b.append(t.stateSince)
            try b.append(optional: t.lastReminderAt)
            try b.append(optional: t.fee?.amountMinor)
            try b.append(optional: t.fee?.currency)
            b.append(t.approval.mode.rawValue)
            b.append(t.approval.approvers)
            return b
        }
    }

    /// A task of a transition; its deliveries' JSON is sent only when they changed (nil keeps the stored value).
    struct UpdateTask: PostgresPreparedStatement {
        static let name = "briefd_update_task"
        static let sql = """
            UPDATE tasks SET agency_id = $2::uuid, state = $3::text, decline_reason = $4::text, change_note = $5::text,
                deliveries = COALESCE($6::text::jsonb, deliveries), updated_at = $7::timestamptz,
                due_date = $8::text::date,
                due_at = $9::timestamptz, state_since = $10::timestamptz, last_reminder_at = $11::timestamptz,
                approval_mode = $12::text, approvers = $13::uuid[]
            WHERE id = $1::uuid
            """
        typealias Row = Void
        var before: TaskRecord
        var task: TaskRecord

        func makeBindings() throws -> PostgresBindings {
            let t = task
            var b = PostgresBindings(capacity: 13)
            b.append(t.id)
            b.append(t.agencyID)
            b.append(t.state.rawValue)
            try b.append(optional: t.declineReason)
            try b.append(optional: t.changeNote)
            try b.append(optional: t.deliveries == before.deliveries ? nil : try ProjectStore.json(t.deliveries))
            b.append(t.updatedAt)
            try b.append(optional: t.dueDate)
            try b.append(optional: t.dueAt)
            b.append(t.stateSince)
            try b.append(optional: t.lastReminderAt)
            b.append(t.approval.mode.rawValue)
            b.append(t.approval.approvers)
            return b
        }
    }

    struct DeleteTask: StatementByID {
        static let name = "briefd_delete_task"
        static let sql = "DELETE FROM tasks WHERE id = $1::uuid"
        typealias Row = Void
        var id: UUID
    }

    /// A project with its brand's service levels, by id, as it is (a transition locks it with
    /// `LockProjectWithTasks`).
    struct ProjectByID: StatementByID {
        static let name = "briefd_find_project"
        static let sql = "SELECT \(projectColumns) FROM \(projectsWithBrand) WHERE p.id = $1::uuid"
        typealias Row = ProjectRow
        var id: UUID
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// A transition's first statement, one round trip: the project row locked until commit, its brand's service
    /// levels, its tasks (one row each; one row of nulls without any), and whether those tasks are current. They are
    /// read with the statement's snapshot, taken before any wait for the lock: when a transition committed during
    /// the wait, the lock returns the project as it committed but the tasks as they were before it. The project row
    /// version the snapshot saw (`xmin`) tells: the same version as the locked one, and no transition has written
    /// since (every transition writes the project row, before its tasks); another one, and the caller reads the
    /// tasks again in a statement of its own, which sees what the other transition committed.
    struct LockProjectWithTasks: StatementByID {
        static let name = "briefd_lock_project_with_tasks"
        static let sql = """
            SELECT \(projectColumns),
                   p.xmin::text = (SELECT s.xmin FROM projects s WHERE s.id = $1::uuid)::text,
                   \(taskColumns)
            FROM \(projectsWithBrand) LEFT JOIN (\(tasksWithDecisions)) ON t.project_id = p.id
            WHERE p.id = $1::uuid
            FOR UPDATE OF p
            """
        typealias Row = (
            UUID, UUID, String, String, Int, Int, String, String, String?, String?, Date, Date,
            String, Double, Double, Double, Double, Bool,
            UUID?, UUID?, UUID?, Int?, String?, String?, String?, String?, String?, String?, String?, Date?, Date?,
            Date?,
            Date?, Date?, Int64?, String?, String?, [UUID]?, [Int]?, [UUID]?, [String]?, [Date]?
        )
        var id: UUID
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }

        /// The project part of a row.
        static func project(_ r: Row) -> ProjectRow {
            (r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13, r.14, r.15, r.16)
        }

        /// The task part of a row, nil on the row of nulls of a project without tasks.
        static func task(_ r: Row) throws -> TaskRow? {
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
        static let condition = "p.id IN (SELECT project_id FROM tasks WHERE agency_id = $1::uuid AND state <> 'draft')"
        static let taskCondition = "t.agency_id = $1::uuid AND t.state <> 'draft'"
    }

    /// A page of the projects an organization sees, oldest first, after a cursor, optionally in one state.
    struct ProjectPage<Scope: ProjectsSeenBy>: PostgresPreparedStatement {
        static var name: String { Scope.name }
        static var sql: String {
            """
            SELECT \(projectColumns) FROM \(projectsWithBrand)
            WHERE \(Scope.condition)
              AND ($2::text IS NULL OR p.state = $2::text) AND ($3::uuid IS NULL OR p.id > $3::uuid)
              AND (NOT $5::bool OR p.state NOT IN ('closed', 'cancelled'))
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
                   t.actor_side, t.data::text, t.occurred_at
            FROM transitions t
            WHERE t.project_id = $1::uuid AND t.sequence > $3::bigint
              AND ($2::uuid IS NULL OR EXISTS (
                   SELECT 1 FROM events e JOIN event_recipients r ON r.event_id = e.id
                   WHERE e.project_id = t.project_id AND e.sequence = t.sequence AND r.organization_id = $2::uuid))
            ORDER BY t.sequence
            LIMIT $4::int
            """
        typealias Row = (Int, String, String?, String, UUID?, UUID?, UUID?, String, String, Date)
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
