import Foundation
import Logging
import PostgresNIO
import Workflow

/// Why a transition did not happen, besides a machine refusal.
public enum TransitionError: Error, Sendable, Equatable {
    /// `If-Match` named another version.
    case versionMismatch(current: Int)
}

/// A response kept for an idempotency key, written in the transition's own transaction.
public struct StoredResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    public init(status: Int, headers: [String: String], body: [UInt8]) { self.status = status; self.headers = headers; self.body = body }
}

/// An idempotency key reserved for this request.
public struct IdempotencyClaim: Sendable, Hashable {
    public var scope: String
    public var key: String
    public init(scope: String, key: String) { self.scope = scope; self.key = key }
}

/// One history row as `GET /v1/projects/{id}/history` lists it.
public struct HistoryEntry: Sendable, Hashable {
    public var sequence: Int
    public var action: String
    public var fromState: String?
    public var toState: String
    public var taskID: UUID?
    public var actorOrganizationID: UUID?
    public var actorAPIKeyID: UUID?
    public var actorSide: String
    public var data: String
    public var occurredAt: Date
}

/// Projects, tasks, and the transition transaction.
public struct ProjectStore: Sendable {
    let db: Database

    public init(db: Database) {
        self.db = db
    }

    // MARK: Transitions

    /// Creates a project: one transaction with the project row, its first history row and event.
    public func create(title: String, strategy: Strategy, actor: Actor, idempotency: IdempotencyClaim?,
                       respond: @escaping @Sendable (ProjectRecord) throws -> StoredResponse) async throws -> ProjectRecord {
        let now = Date()
        let decision = try Machine.create(id: .v7(now: now), title: title, strategy: strategy, actor: actor, now: now)
        return try await db.transaction { conn in
            let p = decision.project
            try await conn.query("""
                INSERT INTO projects (id, brand_id, title, state, version, last_sequence, strategy, kpi_results, created_at, updated_at)
                VALUES (\(p.id), \(p.brandID), \(p.title), \(p.state.rawValue), \(p.version), \(p.lastSequence),
                        \(try Self.json(p.strategy))::jsonb, \(try Self.json(p.kpiResults))::jsonb, \(now), \(now))
                """, logger: db.logger).run()
            try await record(conn, decision: decision, before: nil, actor: actor, now: now, recipientsLocked: false)
            if let idempotency { try await IdempotencyStore.complete(conn, idempotency, try respond(p), logger: db.logger) }
            return p
        }
    }

    /// Performs `action` in one transaction: lock the project row, check `If-Match` and the machine's
    /// guard inside it, write state, tasks, history, events, outbox rows and the idempotent response.
    public func perform(projectID: UUID, action: Action, taskID: UUID?, input: ActionInput, actor: Actor, ifMatch: Int?,
                        idempotency: IdempotencyClaim?, respond: @escaping @Sendable (ProjectRecord) throws -> StoredResponse) async throws -> ProjectRecord {
        try await db.transaction { conn in
            guard let before = try await load(conn, id: projectID, lock: true), Machine.isVisible(before, to: actor) else {
                throw Refusal(.notFound, "no such project")
            }
            if let ifMatch, ifMatch != before.version { throw TransitionError.versionMismatch(current: before.version) }
            var named: [UUID] = []
            switch input {
            case .addTask(let t): named = [t.agencyID]
            case .agency(let a): named = [a]
            default: break
            }
            let now = Date()
            let context = DecisionContext(now: now, newTaskID: .v7(now: now),
                                          organizationKinds: try await OrganizationStore.kinds(conn, ids: named, logger: db.logger))
            let decision = try Machine.decide(before, action: action, taskID: taskID, input: input, actor: actor, context: context)
            try await write(conn, before: before, after: decision.project, lockingRecipients: Self.recipients(of: decision))
            try await record(conn, decision: decision, before: before, actor: actor, now: now, recipientsLocked: true)
            if let idempotency { try await IdempotencyStore.complete(conn, idempotency, try respond(decision.project), logger: db.logger) }
            return decision.project
        }
    }

    /// Writes the project row and the task rows that changed (project first: the task trigger reads its state).
    /// The project's statement also takes the recipients' locks (see `record`), saving a round trip.
    private func write(_ conn: PostgresConnection, before: ProjectRecord, after p: ProjectRecord, lockingRecipients recipients: [UUID]) async throws {
        try await conn.run(UpdateProject.self, p.id, p.title, p.state.rawValue, p.version, p.lastSequence, try Self.json(p.strategy),
                           try Self.json(p.kpiResults), try p.outcome.map(Self.json), p.cancelReason, p.updatedAt, recipients, logger: db.logger)
        let old = Dictionary(uniqueKeysWithValues: before.tasks.map { ($0.id, $0) })
        let new = Set(p.tasks.map(\.id))
        for t in before.tasks where !new.contains(t.id) {
            try await conn.query("DELETE FROM tasks WHERE id = \(t.id)", logger: db.logger).run()
        }
        for t in p.tasks {
            guard let o = old[t.id] else {
                try await conn.run(InsertTask.self, t.id, p.id, t.agencyID, t.position, t.title, t.description, t.dueDate, t.state.rawValue,
                                   try Self.json(t.deliveries), t.createdAt, t.updatedAt, logger: db.logger)
                continue
            }
            guard o != t else { continue }
            try await conn.run(UpdateTask.self, t.id, t.agencyID, t.state.rawValue, t.declineReason, t.changeNote, try Self.json(t.deliveries),
                               t.updatedAt, logger: db.logger)
        }
    }

    /// The project row of a transition; it also takes the recipients' locks (see `record`), saving a round trip.
    enum UpdateProject: NamedStatement {
        static let name = "briefd_update_project"
        static let sql = """
            UPDATE projects SET title = $2::text, state = $3::text, version = $4::int8, last_sequence = $5::int8,
                strategy = $6::text::jsonb, kpi_results = $7::text::jsonb, outcome = $8::text::jsonb, cancel_reason = $9::text,
                updated_at = $10::timestamptz
            WHERE id = $1::uuid
              AND (SELECT count(*) FROM (SELECT 1 FROM organizations WHERE id = ANY($11::uuid[]) ORDER BY id FOR NO KEY UPDATE) locked) >= 0
            """
    }

    enum InsertTask: NamedStatement {
        static let name = "briefd_insert_task"
        static let sql = """
            INSERT INTO tasks (id, project_id, agency_id, position, title, description, due_date, state, deliveries, created_at, updated_at)
            VALUES ($1::uuid, $2::uuid, $3::uuid, $4::int8, $5::text, $6::text, $7::text::date, $8::text, $9::text::jsonb,
                    $10::timestamptz, $11::timestamptz)
            """
    }

    enum UpdateTask: NamedStatement {
        static let name = "briefd_update_task"
        static let sql = """
            UPDATE tasks SET agency_id = $2::uuid, state = $3::text, decline_reason = $4::text, change_note = $5::text,
                deliveries = $6::text::jsonb, updated_at = $7::timestamptz
            WHERE id = $1::uuid
            """
    }

    /// Appends the history rows and events of a decision, with each recipient's stream position and the outbox rows.
    /// Every recipient organization is locked in id order (no deadlocks), held to commit, so each organization's
    /// event positions are assigned in commit order and its cursor never skips one; `recipientsLocked` when
    /// the caller's project statement took those locks already.
    private func record(_ conn: PostgresConnection, decision: Decision, before: ProjectRecord?, actor: Actor, now: Date,
                        recipientsLocked: Bool) async throws {
        let p = decision.project
        var sequence = p.lastSequence - decision.transitions.count
        if !recipientsLocked {
            try await conn.query("SELECT id FROM organizations WHERE id = ANY(\(Self.recipients(of: decision))) ORDER BY id FOR NO KEY UPDATE",
                                 logger: db.logger).run()
        }
        for t in decision.transitions {
            sequence += 1
            let byActor = t.side != .system
            let actorJSON: JSONValue = .object([
                "organization_id": .id(byActor ? actor.organizationID : nil), "api_key_id": .id(byActor ? actor.apiKeyID : nil),
                "side": .string(t.side.rawValue),
            ])
            let eventID = UUID.v7(now: now)
            let audience = Array(t.audience)
            let task = t.taskID.flatMap { id in p.tasks.first { $0.id == id } ?? before?.tasks.first { $0.id == id } }
            let data: JSONValue = .object([
                "project_id": .id(p.id), "task_id": .id(t.taskID), "action": .string(t.action.rawValue),
                "from_state": .optional(t.from?.rawValue), "to_state": .string(t.to.rawValue), "sequence": .number(Double(sequence)),
                "actor": actorJSON, "details": .object(t.data),
                "project": .object(["id": .id(p.id), "title": .string(p.title), "state": .string(p.state.rawValue),
                                    "version": .number(Double(p.version)), "brand_id": .id(p.brandID)]),
                "task": task.map { .object(["id": .id($0.id), "title": .string($0.title), "state": .string($0.state.rawValue),
                                            "agency_id": .id($0.agencyID)]) } ?? .null,
            ])
            try await conn.run(RecordTransition.self, p.id, sequence, t.action.rawValue, t.from?.rawValue, t.to.rawValue, t.taskID,
                               byActor ? actor.organizationID : nil, byActor ? actor.apiKeyID : nil, t.side.rawValue,
                               Self.json(JSONValue.object(t.data)), now, eventID, t.eventType, Self.json(data), audience, Outbox.channel,
                               logger: db.logger)
        }
    }

    /// One statement: the history row, its event, each recipient's stream position, and the outbox (a delivery
    /// row per matching enabled endpoint of the recipients, and one NOTIFY, sent at commit).
    enum RecordTransition: NamedStatement {
        static let name = "briefd_record_transition"
        static let sql = """
            WITH transition AS (
                INSERT INTO transitions (project_id, sequence, action, from_state, to_state, task_id, actor_org_id, actor_api_key_id,
                                         actor_side, data, occurred_at)
                VALUES ($1::uuid, $2::int8, $3::text, $4::text, $5::text, $6::uuid, $7::uuid, $8::uuid, $9::text, $10::text::jsonb, $11::timestamptz)
                RETURNING project_id, sequence
            ), event AS (
                INSERT INTO events (id, type, project_id, sequence, occurred_at, data)
                SELECT $12::uuid, $13::text, project_id, sequence, $11::timestamptz, $14::text::jsonb FROM transition
                RETURNING id, type
            ), bumped AS (
                UPDATE organizations SET event_seq = event_seq + 1 WHERE id = ANY($15::uuid[]) RETURNING id, event_seq
            ), recipients AS (
                INSERT INTO event_recipients (organization_id, position, event_id) SELECT bumped.id, bumped.event_seq, event.id FROM bumped, event
            ), outbox AS (
                INSERT INTO webhook_deliveries (id, endpoint_id, event_id, next_attempt_at)
                SELECT gen_random_uuid(), w.id, event.id, now() FROM event JOIN webhook_endpoints w ON w.organization_id = ANY($15::uuid[])
                WHERE w.enabled AND (cardinality(w.event_types) = 0 OR event.type = ANY(w.event_types))
                RETURNING 1
            )
            SELECT pg_notify($16::text, '') WHERE EXISTS (SELECT 1 FROM outbox)
            """
    }

    /// The organizations a decision's events go to.
    static func recipients(of decision: Decision) -> [UUID] {
        decision.transitions.reduce(into: Set<UUID>()) { $0.formUnion($1.audience) }.sorted { $0.uuidString < $1.uuidString }
    }

    // MARK: Reads

    /// Loads a project with its tasks. With `lock` (a transition), the project row is locked first and
    /// the tasks are read by a second statement: in READ COMMITTED a later statement sees what the
    /// transaction we waited for committed, while a join under `FOR UPDATE` would recheck only the
    /// locked row and could return that transaction's tasks as they were before it. Without `lock`, one query.
    func load(_ conn: PostgresConnection, id: UUID, lock: Bool) async throws -> ProjectRecord? {
        if lock {
            guard let row = try await conn.run(LockProject.self, id, logger: db.logger).first else { return nil }
            var project = try Self.project(Array(row)[...])
            project.tasks = try await tasks(conn, projectIDs: [id])[id] ?? []
            return project
        }
        var project: ProjectRecord?
        let rows = try await conn.query("""
            SELECT p.*, t.* FROM (SELECT \(unescaped: Self.projectColumns) FROM projects WHERE id = \(id)) p
            LEFT JOIN (SELECT \(unescaped: Self.taskColumns) FROM tasks WHERE project_id = \(id)) t ON true ORDER BY t.position
            """, logger: db.logger)
        for try await row in rows {
            let cells = Array(row)
            if project == nil { project = try Self.project(cells[0..<Self.projectColumnCount]) }
            if try cells[Self.projectColumnCount].decode(UUID?.self) != nil {
                project?.tasks.append(try Self.task(cells[Self.projectColumnCount...]))
            }
        }
        return project
    }

    /// A project as `actor` may see it, or nil when it is missing or not visible.
    public func find(id: UUID, for actor: Actor) async throws -> ProjectRecord? {
        try await db.withConnection { conn in
            guard let p = try await load(conn, id: id, lock: false), Machine.isVisible(p, to: actor) else { return nil }
            return p
        }
    }

    /// The projects `actor` may see, oldest first, after the cursor, optionally in one state.
    public func list(for actor: Actor, state: ProjectState?, after: UUID?, limit: Int) async throws -> [ProjectRecord] {
        try await db.withConnection { conn in
            let org = actor.organizationID
            let query: PostgresQuery = actor.kind == .brand
                ? """
                  SELECT \(unescaped: Self.projectColumns) FROM projects
                  WHERE brand_id = \(org) AND (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
                    AND (\(after)::uuid IS NULL OR id > \(after))
                  ORDER BY id LIMIT \(limit)
                  """
                : """
                  SELECT \(unescaped: Self.projectColumns) FROM projects
                  WHERE id IN (SELECT project_id FROM tasks WHERE agency_id = \(org) AND state <> 'draft')
                    AND (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
                    AND (\(after)::uuid IS NULL OR id > \(after))
                  ORDER BY id LIMIT \(limit)
                  """
            var projects = try await Self.decodeProjects(try await conn.query(query, logger: db.logger))
            let tasks = try await tasks(conn, projectIDs: projects.map(\.id))
            for i in projects.indices { projects[i].tasks = tasks[projects[i].id] ?? [] }
            return projects
        }
    }

    /// The history of a project in sequence order: all of it, or only the transitions whose events `recipient`
    /// received (an agency sees what its events told it, nothing of the strategy phase or of other agencies' tasks).
    public func history(projectID: UUID, recipient: UUID? = nil) async throws -> [HistoryEntry] {
        let rows = try await db.rows("""
            SELECT t.sequence, t.action, t.from_state, t.to_state, t.task_id, t.actor_org_id, t.actor_api_key_id, t.actor_side,
                   t.data::text, t.occurred_at
            FROM transitions t
            WHERE t.project_id = \(projectID)
              AND (\(recipient)::uuid IS NULL OR EXISTS (
                   SELECT 1 FROM events e JOIN event_recipients r ON r.event_id = e.id
                   WHERE e.project_id = t.project_id AND e.sequence = t.sequence AND r.organization_id = \(recipient)))
            ORDER BY t.sequence
            """)
        var out: [HistoryEntry] = []
        for row in rows {
            let r = try row.decode((Int, String, String?, String, UUID?, UUID?, UUID?, String, String, Date).self)
            out.append(HistoryEntry(sequence: r.0, action: r.1, fromState: r.2, toState: r.3, taskID: r.4, actorOrganizationID: r.5,
                                    actorAPIKeyID: r.6, actorSide: r.7, data: r.8, occurredAt: r.9))
        }
        return out
    }

    enum LockProject: NamedStatement {
        static let name = "briefd_lock_project"
        static let sql = "SELECT \(projectColumns) FROM projects WHERE id = $1::uuid FOR UPDATE"
    }

    enum ProjectTasks: NamedStatement {
        static let name = "briefd_project_tasks"
        static let sql = "SELECT \(taskColumns) FROM tasks WHERE project_id = ANY($1::uuid[]) ORDER BY project_id, position"
    }

    static let projectColumns = """
        id, brand_id, title, state, version, last_sequence, strategy::text, kpi_results::text, outcome::text, cancel_reason, created_at, updated_at
        """
    static let projectColumnCount = 12
    static let taskColumns = """
        id, project_id, agency_id, position, title, description, to_char(due_date, 'YYYY-MM-DD'), state, decline_reason,
        change_note, deliveries::text, created_at, updated_at
        """

    static func decodeProjects(_ rows: PostgresRowSequence) async throws -> [ProjectRecord] {
        var out: [ProjectRecord] = []
        for try await row in rows { out.append(try project(Array(row)[...])) }
        return out
    }

    /// A project (without its tasks) from `projectColumns`.
    static func project(_ c: ArraySlice<PostgresCell>) throws -> ProjectRecord {
        let i = c.startIndex
        let decoder = JSONCoding.decoder()
        return ProjectRecord(
            id: try c[i].decode(UUID.self), brandID: try c[i + 1].decode(UUID.self), title: try c[i + 2].decode(String.self),
            state: ProjectState(rawValue: try c[i + 3].decode(String.self)) ?? .strategy,
            version: try c[i + 4].decode(Int.self), lastSequence: try c[i + 5].decode(Int.self),
            strategy: try decoder.decode(Strategy.self, from: Data(try c[i + 6].decode(String.self).utf8)),
            tasks: [], kpiResults: try decoder.decode(KPIResults.self, from: Data(try c[i + 7].decode(String.self).utf8)),
            outcome: try c[i + 8].decode(String?.self).map { try decoder.decode(Outcome.self, from: Data($0.utf8)) },
            cancelReason: try c[i + 9].decode(String?.self), createdAt: try c[i + 10].decode(Date.self), updatedAt: try c[i + 11].decode(Date.self))
    }

    /// A task from `taskColumns`.
    static func task(_ c: ArraySlice<PostgresCell>) throws -> TaskRecord {
        let i = c.startIndex
        return TaskRecord(
            id: try c[i].decode(UUID.self), agencyID: try c[i + 2].decode(UUID.self), position: try c[i + 3].decode(Int.self),
            title: try c[i + 4].decode(String.self), description: try c[i + 5].decode(String.self), dueDate: try c[i + 6].decode(String?.self),
            state: TaskState(rawValue: try c[i + 7].decode(String.self)) ?? .draft,
            declineReason: try c[i + 8].decode(String?.self), changeNote: try c[i + 9].decode(String?.self),
            deliveries: try JSONCoding.decoder().decode([DeliveryRound].self, from: Data(try c[i + 10].decode(String.self).utf8)),
            createdAt: try c[i + 11].decode(Date.self), updatedAt: try c[i + 12].decode(Date.self))
    }

    private func tasks(_ conn: PostgresConnection, projectIDs: [UUID]) async throws -> [UUID: [TaskRecord]] {
        guard !projectIDs.isEmpty else { return [:] }
        var out: [UUID: [TaskRecord]] = [:]
        for row in try await conn.run(ProjectTasks.self, projectIDs, logger: db.logger) {
            let cells = Array(row)
            out[try cells[1].decode(UUID.self), default: []].append(try Self.task(cells[...]))
        }
        return out
    }

    static func json(_ value: JSONValue) -> String { value.serializedString(sortedKeys: true) }

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONCoding.encoder(sorted: true).encode(value), as: UTF8.self)
    }
}
