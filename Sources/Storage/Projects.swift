import Foundation
import Logging
import PostgresNIO
import Workflow

/// Why a transition did not happen, besides a machine refusal.
public enum TransitionError: Error, Sendable, Equatable, ProblemConvertible {
    /// `If-Match` named another version.
    case versionMismatch(current: Int)

    public var problem: Problem {
        switch self {
        case .versionMismatch(let current):
            Problem(
                .versionMismatch, "If-Match does not match the current version \(current)",
                headers: ["ETag": "\"\(current)\""], extra: ["current_version": .number(Double(current))])
        }
    }
}

/// A response kept for an idempotency key, written in the transition's own transaction.
public struct StoredResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    /// Whether `body` is sealed (the response carried a secret): it must be opened before it is answered.
    public var sealed: Bool
    public init(status: Int, headers: [String: String], body: [UInt8], sealed: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.sealed = sealed
    }
}

/// An idempotency key reserved for this request.
public struct IdempotencyClaim: Sendable, Hashable {
    public var scope: String
    public var key: String
    public init(scope: String, key: String) {
        self.scope = scope
        self.key = key
    }
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
    /// The person who decided (nil for a key or the engine), and the person's or key's name then.
    public var actorUserID: UUID?
    public var actorName: String?
}

/// Projects, tasks, and the transition transaction.
public struct ProjectStore: Sendable {
    let db: Database
    /// Whether the daemon mails (`BRIEFD_SMTP_URL` is set): a transition writes the emails of its notifications
    /// only then; without it the notifications stay in the product.
    let mail: Bool

    public init(db: Database, mail: Bool) {
        self.db = db
        self.mail = mail
    }

    // MARK: Transitions

    /// Creates a project: one transaction with the project row, its first history row and event.
    public func create(
        title: String, strategy: Strategy, actor: Actor, idempotency: IdempotencyClaim?,
        respond: @escaping @Sendable (ProjectRecord) throws -> StoredResponse
    ) async throws -> ProjectRecord {
        let now = Date()
        let decision = try Machine.create(id: .v7(now: now), title: title, strategy: strategy, actor: actor, now: now)
        return try await db.transaction { conn in
            let p = decision.project
            try await conn.rows(InsertProject(project: p), logger: db.logger)
            try await EventLog.append(
                conn, try events(of: decision, before: nil, actor: actor, now: now), logger: db.logger)
            if let idempotency {
                try await IdempotencyStore.complete(conn, idempotency, try respond(p), logger: db.logger)
            }
            return p
        }
    }

    /// Performs `action` in one transaction: lock the project row, check `If-Match` and the machine's
    /// guard inside it, write state, tasks, history, events, outbox rows and the idempotent response.
    /// With `checkingKey`, the caller's API key was taken from the daemon's cache and the transition's locked read
    /// checks it is not revoked (``KeyRevoked`` when it is); nil when the key was looked up for this request.
    public func perform(
        projectID: UUID, action: Action, taskID: UUID?, input: ActionInput, actor: Actor, ifMatch: Int?,
        idempotency: IdempotencyClaim?, checkingKey: UUID? = nil,
        respond: @escaping @Sendable (ProjectRecord) throws -> StoredResponse
    ) async throws -> ProjectRecord {
        try await apply(
            projectID: projectID, action: action, taskID: taskID, input: input, actor: actor, ifMatch: ifMatch,
            idempotency: idempotency, checkingKey: checkingKey, respond: { try respond($0.project) }
        ).project
    }

    /// `perform`, answering with the whole decision (what a comment route renders: the comment it wrote).
    /// Four round trips: `BEGIN`, the lock with the tasks, every write in one call (`TransitionWrites`), `COMMIT`.
    public func apply(
        projectID: UUID, action: Action, taskID: UUID?, input: ActionInput, actor: Actor, ifMatch: Int?,
        idempotency: IdempotencyClaim?, checkingKey: UUID? = nil,
        respond: @escaping @Sendable (Decision) throws -> StoredResponse
    ) async throws -> Decision {
        try await db.transaction { conn in
            guard let before = try await load(conn, id: projectID, lock: true, checkingKey: checkingKey),
                Machine.isVisible(before, to: actor)
            else {
                throw Refusal(.notFound, "no such project")
            }
            if let ifMatch, ifMatch != before.version {
                throw TransitionError.versionMismatch(current: before.version)
            }
            // What the input names outside the project: organizations, a comment, approver keys.
            var named: [UUID] = []
            var comment: UUID?
            var approvers: [UUID] = []
            switch input {
            case .addTask(let t):
                named = [t.agencyID]
                approvers = t.approval?.approvers ?? []
            case .agency(let a): named = [a]
            case .comment(let c): comment = c.parentID
            case .resolveComment(let id): comment = id
            case .approval(let policy): approvers = policy.approvers
            default: break
            }
            let now = Date()
            let kinds = try await OrganizationStore.kinds(conn, ids: named, logger: db.logger)
            let roster = try await RosterStore.onRoster(
                conn, brandID: before.brandID, agencies: named, logger: db.logger)
            var namedComment: TaskComment?
            if let comment { namedComment = try await ReviewStore.comment(conn, id: comment, logger: db.logger) }
            let context = DecisionContext(
                now: now, newTaskID: .v7(now: now), organizationKinds: kinds, serviceLevels: before.serviceLevels,
                comment: namedComment,
                approverKeys: try await ReviewStore.approverKeys(
                    conn, ids: approvers, brand: before.brandID, logger: db.logger),
                roster: roster)
            let decision = try Machine.decide(
                before, action: action, taskID: taskID, input: input, actor: actor, context: context)
            let events = try events(of: decision, before: before, actor: actor, now: now)
            let writes = TransitionWrites(
                before: before, after: decision.project, events: events, timers: decision.timers,
                review: decision.writes, idempotency: try idempotency.map { ($0, try respond(decision)) },
                notices: Notices.of(before: before, after: decision.project, events: events.map(\.cause), now: now),
                mail: mail)
            try await conn.rows(TransitionWrites.WriteTransition(writes: writes), logger: db.logger)
            return decision
        }
    }

    /// Fires claimed timers of one project through the transition transaction: lock the project row, then the
    /// timer rows; each timer still pending whose wait still stands (`Machine.fire`) becomes a system transition —
    /// history, event, outbox — and is settled as fired, the others as cancelled. One transaction for all of the
    /// project's due timers, so a burst of deadlines costs one lock and one commit per project. Several daemons
    /// may hold the same timer after a lease ran out: the row locks and the pending check let exactly one fire it.
    /// Returns how many fired.
    public func fire(_ timers: [ClaimedTimer]) async throws -> Int {
        guard let projectID = timers.first?.projectID else { return 0 }
        return try await db.transaction { conn in
            guard let before = try await load(conn, id: projectID, lock: true) else { return 0 }
            let pending = try await TimerQueue.lockPending(conn, timers.map(\.id), logger: db.logger)
            var project = before
            var transitions: [Transition] = []
            var fired: [UUID] = []
            var ended: [UUID] = []
            for timer in timers.sorted(by: { $0.dueAt < $1.dueAt }) where pending.contains(timer.id) {
                if let decision = Machine.fire(
                    project, kind: timer.kind, taskID: timer.taskID, basis: timer.basis, dueAt: timer.dueAt)
                {
                    project = decision.project
                    transitions += decision.transitions
                    fired.append(timer.id)
                } else {
                    ended.append(timer.id)
                }
            }
            if !transitions.isEmpty {
                let decision = Decision(project: project, transitions: transitions)
                let system = Actor(organizationID: before.brandID, kind: .brand, role: .viewer, apiKeyID: nil)
                let now = Date()
                let events = try events(of: decision, before: before, actor: system, now: now)
                let writes = TransitionWrites(
                    before: before, after: project, events: events,
                    notices: Notices.of(before: before, after: project, events: events.map(\.cause), now: now),
                    mail: mail)
                try await conn.rows(TransitionWrites.WriteTransition(writes: writes), logger: db.logger)
            }
            try await TimerQueue.settle(conn, fired: fired, ended: ended, logger: db.logger)
            return fired.count
        }
    }

    /// The history rows and events of a decision, in order.
    private func events(of decision: Decision, before: ProjectRecord?, actor: Actor, now: Date) throws -> [NewEvent] {
        let p = decision.project
        var sequence = p.lastSequence - decision.transitions.count
        var out: [NewEvent] = []
        for (ordinal, t) in decision.transitions.enumerated() {
            sequence += 1
            let byActor = t.side != .system
            let data = EventPayload.data(of: t, sequence: sequence, project: p, before: before, actor: actor)
            let history = HistoryRow(
                projectID: p.id, sequence: sequence, action: t.action, fromState: t.from,
                toState: t.to, taskID: t.taskID, actorOrganizationID: byActor ? actor.organizationID : nil,
                actorAPIKeyID: byActor ? actor.apiKeyID : nil, actorUserID: byActor ? actor.userID : nil,
                actorName: byActor ? actor.name : nil, actorSide: t.side,
                data: .object(t.data))
            out.append(
                NewEvent(
                    id: .v7(now: now), type: t.eventType, occurredAt: now, data: data,
                    recipients: Array(t.audience).sorted { $0.lowercased < $1.lowercased }, history: history,
                    ordinal: ordinal))
        }
        return out
    }

    // MARK: Reads

    /// Loads a project with its tasks in one statement: as one snapshot saw it, or with `lock` locked until commit
    /// (`ProjectWithTasks`). A locked read whose tasks may predate the lock (a transition committed while it waited)
    /// reads them again in a second statement: in READ COMMITTED a later statement sees what that transition committed.
    /// With `checkingKey`, the read also checks that API key is not revoked, in its own snapshot (a lock waits,
    /// then reads anew), and throws ``KeyRevoked`` — before anything about the project is told — when it is.
    func load(_ conn: PostgresConnection, id: UUID, lock: Bool, checkingKey keyID: UUID? = nil) async throws
        -> ProjectRecord?
    {
        let rows =
            lock
            ? try await conn.rows(ProjectWithTasks<LockedRead>(id: id, keyID: keyID), logger: db.logger)
            : try await conn.rows(ProjectWithTasks<SnapshotRead>(id: id, keyID: keyID), logger: db.logger)
        if let keyID {
            // No project row, no answer about the key: asked apart (a missing project is rare).
            var live = rows.first?.42
            if rows.isEmpty {
                for try await row in try await conn.query(
                    "SELECT revoked_at IS NULL FROM api_keys WHERE id = \(keyID)", logger: db.logger)
                {
                    live = try row.decode(Bool.self)
                }
            }
            guard live == true else { throw KeyRevoked() }
        }
        guard let first = rows.first else { return nil }
        var project = try Self.project(ProjectWithTasksParts.project(first))
        if first.17 {
            project.tasks = try rows.compactMap { try ProjectWithTasksParts.task($0).map(Self.task) }.sorted {
                $0.position < $1.position
            }
        } else {
            project.tasks = try await tasks(conn, projectIDs: [id])[id] ?? []
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
    public func list(
        for actor: Actor, state: ProjectState?, after: UUID?, limit: Int, activeOnly: Bool = false,
        states: [ProjectState]? = nil
    ) async throws -> [ProjectRecord] {
        try await db.withConnection { conn in
            let org = actor.organizationID
            let state = state?.rawValue
            let states = states?.map(\.rawValue)
            let rows: [ProjectRow] =
                switch actor.kind {
                case .brand:
                    try await conn.rows(
                        ProjectPage<SeenByBrand>(
                            organizationID: org, state: state, after: after, limit: limit, activeOnly: activeOnly,
                            states: states),
                        logger: db.logger)
                case .agency:
                    try await conn.rows(
                        ProjectPage<SeenByAgency>(
                            organizationID: org, state: state, after: after, limit: limit, activeOnly: activeOnly,
                            states: states),
                        logger: db.logger)
                }
            var projects = try rows.map(Self.project)
            let tasks = try await tasks(conn, projectIDs: projects.map(\.id))
            for i in projects.indices { projects[i].tasks = tasks[projects[i].id] ?? [] }
            return projects
        }
    }

    /// The most active projects `active(for:)` reads for one organization (the inbox, the overdue filter).
    public static let maxActiveProjects = 5_000

    /// The projects of `actor` that are not closed or cancelled (and, given `states`, in one of them), with their
    /// tasks, oldest first (at most `maxActiveProjects`).
    public func active(for actor: Actor, states: [ProjectState]? = nil) async throws -> [ProjectRecord] {
        var out: [ProjectRecord] = []
        var after: UUID?
        while out.count < Self.maxActiveProjects {
            let page = try await list(
                for: actor, state: nil, after: after, limit: 500, activeOnly: true, states: states)
            out += page
            guard page.count == 500, let last = page.last else { break }
            after = last.id
        }
        return out
    }

    /// The inbox's light first reading for `actor` over projects in `states` (see `Inbox.candidates`).
    public func inboxRows(for actor: Actor, states: [ProjectState]) async throws -> [Inbox.Row] {
        let org = actor.organizationID
        let names = states.map(\.rawValue)
        let rows: [(UUID, String, Date, String?, Date?, UUID?)] =
            switch actor.kind {
            case .brand: try await db.rows(InboxRows<SeenByBrand>(organizationID: org, states: names))
            case .agency: try await db.rows(InboxRows<SeenByAgency>(organizationID: org, states: names))
            }
        return try rows.map { r in
            Inbox.Row(
                projectID: r.0, projectState: try known(ProjectState.self, r.1, column: "projects.state"),
                projectUpdatedAt: r.2, taskState: try r.3.map { try known(TaskState.self, $0, column: "tasks.state") },
                taskSince: r.4, agencyID: r.5)
        }
    }

    /// The oldest `limit` inbox items of `actor`'s organization, reading full projects only as far as needed:
    /// light rows first (`inboxRows`), then projects in the order of their oldest possible wait
    /// (`Inbox.candidates`), in batches, until no unread project could hold an older item. `candidates` is how
    /// many projects may hold an item; `complete` says whether all of them were read (then `items` is all).
    /// `batch` is how many projects are read at a time (by default `limit`); `include` keeps only some items (the
    /// overdue ones), counted against `limit`. Fewer than `limit` items returned means they are all.
    public func oldestWaiting(
        for actor: Actor, limit: Int, now: Date, batch: Int? = nil, include: (InboxItem) -> Bool = { _ in true }
    ) async throws -> (items: [InboxItem], candidates: Int, complete: Bool) {
        let rows = try await inboxRows(for: actor, states: Inbox.states(for: actor.kind))
        let candidates = Inbox.candidates(rows, organization: actor.organizationID, kind: actor.kind)
        var items: [InboxItem] = []
        var read = 0
        while read < candidates.count {
            let next = candidates[read..<min(read + max(1, batch ?? limit), candidates.count)]
            let loaded = try await projects(ids: next.map(\.projectID), for: actor)
            items += Inbox.items(
                organization: actor.organizationID, kind: actor.kind, projects: loaded, now: now, person: actor.apiKeyID
            )
            .filter(include)
            read += next.count
            items.sort { ($0.waitingSince, $0.id) < ($1.waitingSince, $1.id) }
            if items.count >= limit, read < candidates.count, candidates[read].since >= items[limit - 1].waitingSince {
                break
            }
        }
        return (Array(items.prefix(limit)), candidates.count, read == candidates.count)
    }

    /// The projects with these ids that `actor` may see, with their tasks, in the order of `ids`.
    public func projects(ids: [UUID], for actor: Actor) async throws -> [ProjectRecord] {
        guard !ids.isEmpty else { return [] }
        return try await db.withConnection { conn in
            var projects = try await conn.rows(ProjectsByID(ids: ids), logger: db.logger).map(Self.project)
            let tasks = try await tasks(conn, projectIDs: projects.map(\.id))
            for i in projects.indices { projects[i].tasks = tasks[projects[i].id] ?? [] }
            let byID = Dictionary(uniqueKeysWithValues: projects.map { ($0.id, $0) })
            return ids.compactMap { byID[$0] }.filter { Machine.isVisible($0, to: actor) }
        }
    }

    /// How many projects `actor` sees in each state (states without any are absent).
    public func countsByState(for actor: Actor) async throws -> [ProjectState: Int] {
        let rows: [(String, Int)] =
            switch actor.kind {
            case .brand: try await db.rows(ProjectCounts<SeenByBrand>(organizationID: actor.organizationID))
            case .agency: try await db.rows(ProjectCounts<SeenByAgency>(organizationID: actor.organizationID))
            }
        var out: [ProjectState: Int] = [:]
        for (state, n) in rows { out[try known(ProjectState.self, state, column: "projects.state")] = n }
        return out
    }

    /// The history of a project in sequence order: all of it, or only the transitions whose events `recipient`
    /// received (an agency sees what its events told it, nothing of the strategy phase or of other agencies' tasks).
    /// At most `limit` entries after the sequence `after`, so a long history is read page by page.
    public func history(projectID: UUID, recipient: UUID? = nil, after: Int = 0, limit: Int) async throws
        -> [HistoryEntry]
    {
        let statement = ProjectHistory(projectID: projectID, recipient: recipient, after: after, limit: limit)
        return try await db.rows(statement).map { r in
            HistoryEntry(
                sequence: r.0, action: r.1, fromState: r.2, toState: r.3, taskID: r.4, actorOrganizationID: r.5,
                actorAPIKeyID: r.6, actorSide: r.7, data: r.8, occurredAt: r.9, actorUserID: r.10, actorName: r.11)
        }
    }

    private func tasks(_ conn: PostgresConnection, projectIDs: [UUID]) async throws -> [UUID: [TaskRecord]] {
        guard !projectIDs.isEmpty else { return [:] }
        var out: [UUID: [TaskRecord]] = [:]
        for row in try await conn.rows(ProjectTasks(ids: projectIDs), logger: db.logger) {
            out[row.1, default: []].append(try Self.task(row))
        }
        return out
    }

    // MARK: Rows

    /// Projects with their brand, whose service levels every read of a project carries.
    static let projectsWithBrand = "projects p JOIN organizations o ON o.id = p.brand_id"

    /// The project columns every project statement returns, in `ProjectRow`'s order: the project's, then its
    /// brand's service levels.
    static let projectColumns = """
        p.id, p.brand_id, p.title, p.state, p.version, p.last_sequence, p.strategy::text, p.kpi_results::text,
        p.outcome::text, p.cancel_reason, p.created_at, p.updated_at,
        \(OrganizationStore.serviceLevelColumns)
        """
    typealias ProjectRow = (
        UUID, UUID, String, String, Int, Int, String, String, String?, String?, Date, Date,
        String, Double, Double, Double, Double
    )

    /// The task columns of the tasks `t`, in `TaskRow`'s order, with the approval decisions `d` as arrays
    /// (`tasksWithDecisions`).
    static let taskColumns = """
        t.id, t.project_id, t.agency_id, t.position, t.title, t.description, to_char(t.due_date, 'YYYY-MM-DD'), t.state,
        t.decline_reason, t.change_note, t.deliveries::text, t.created_at, t.updated_at, t.due_at, t.state_since,
        t.last_reminder_at, t.fee_minor, t.currency, t.approval_mode, t.approvers, COALESCE(d.rounds, '{}'),
        COALESCE(d.keys, '{}'), COALESCE(d.verdicts, '{}'), COALESCE(d.times, '{}')
        """
    /// Tasks `t` with their approval decisions `d` (migration 0013), oldest first, one probe of the decisions' key
    /// each.
    static let tasksWithDecisions = """
        tasks t LEFT JOIN LATERAL (
            SELECT array_agg(round ORDER BY decided_at, api_key_id) AS rounds,
                   array_agg(api_key_id ORDER BY decided_at, api_key_id) AS keys,
                   array_agg(verdict ORDER BY decided_at, api_key_id) AS verdicts,
                   array_agg(decided_at ORDER BY decided_at, api_key_id) AS times
            FROM task_decisions WHERE task_id = t.id) d ON true
        """
    typealias TaskRow = (
        UUID, UUID, UUID, Int, String, String, String?, String, String?, String?, String, Date, Date, Date?, Date,
        Date?, Int64?, String?, String, [UUID], [Int], [UUID], [String], [Date]
    )

    /// A project (without its tasks); an unknown state or malformed JSON throws.
    static func project(_ r: ProjectRow) throws -> ProjectRecord {
        let decoder = JSONCoding.decoder()
        return ProjectRecord(
            id: r.0, brandID: r.1, title: r.2, state: try known(ProjectState.self, r.3, column: "projects.state"),
            version: r.4, lastSequence: r.5, strategy: try decoder.decode(Strategy.self, from: Data(r.6.utf8)),
            tasks: [], kpiResults: try decoder.decode(KPIResults.self, from: Data(r.7.utf8)),
            outcome: try r.8.map { try decoder.decode(Outcome.self, from: Data($0.utf8)) },
            cancelReason: r.9, createdAt: r.10, updatedAt: r.11,
            serviceLevels: ServiceLevels(
                timezone: r.12, responseSLA: r.13, reviewSLA: r.14, dueSoon: r.15, escalateAfter: r.16))
    }

    /// A task; an unknown state or malformed JSON throws.
    static func task(_ r: TaskRow) throws -> TaskRecord {
        TaskRecord(
            id: r.0, agencyID: r.2, position: r.3, title: r.4, description: r.5, dueDate: r.6,
            state: try known(TaskState.self, r.7, column: "tasks.state"), declineReason: r.8, changeNote: r.9,
            deliveries: try JSONCoding.decoder().decode([DeliveryRound].self, from: Data(r.10.utf8)),
            createdAt: r.11, updatedAt: r.12, dueAt: r.13, stateSince: r.14, lastReminderAt: r.15,
            fee: r.16.flatMap { amount in r.17.map { Money(amountMinor: amount, currency: $0) } },
            approval: ApprovalPolicy(
                mode: try known(ApprovalMode.self, r.18, column: "tasks.approval_mode"), approvers: r.19),
            decisions: try r.20.indices.map { i in
                ApprovalDecision(
                    taskID: r.0, round: r.20[i], apiKeyID: r.21[i],
                    verdict: try known(Verdict.self, r.22[i], column: "task_decisions.verdict"), decidedAt: r.23[i])
            })
    }

    static func json(_ value: JSONValue) -> String { value.serializedString(sortedKeys: true) }

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONCoding.encoder(sorted: true).encode(value), as: UTF8.self)
    }
}
