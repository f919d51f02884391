import Foundation
import Logging
import PostgresNIO
import Workflow

/// A brand's relationship with an agency: the roster the brand gives tasks from (docs/people.md).
public struct AgencyRelationship: Sendable, Hashable {
    /// `invited` → `active` | `declined`; `active` → `ended`. The database holds the same rule (migration 0017).
    public enum State: String, Sendable, CaseIterable {
        case invited
        case active
        case declined
        case ended
    }

    public var id: UUID
    public var brandID: UUID
    public var brandName: String
    public var agencyID: UUID
    public var agencyName: String
    public var state: State
    public var createdAt: Date
    public var updatedAt: Date
}

/// The roster in PostgreSQL. Every change locks the relationship's row (`FOR UPDATE`); an `add_task` or `reassign`
/// reads it `FOR SHARE` in its transition (`onRoster`), so ending a relationship waits for a task being given and
/// then counts it, or the task waits for the end and is refused: a task cannot slip in while a relationship ends.
public struct RosterStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    static let columns = """
        r.id, r.brand_id, b.name, r.agency_id, a.name, r.state, r.created_at, r.updated_at
        """
    static let from = """
        agency_relationships r JOIN organizations b ON b.id = r.brand_id JOIN organizations a ON a.id = r.agency_id
        """

    static func relationship(_ row: PostgresRow) throws -> AgencyRelationship {
        let r = try row.decode((UUID, UUID, String, UUID, String, String, Date, Date).self)
        return AgencyRelationship(
            id: r.0, brandID: r.1, brandName: r.2, agencyID: r.3, agencyName: r.4,
            state: try known(AgencyRelationship.State.self, r.5, column: "agency_relationships.state"), createdAt: r.6,
            updatedAt: r.7)
    }

    /// The brand invites an agency. An invitation or an active relationship that exists already is answered as it
    /// is (inviting twice changes nothing). 422 when `agencyID` is not an agency.
    public func invite(brandID: UUID, agencyID: UUID, by actor: Actor) async throws -> AgencyRelationship {
        try await db.transaction { [logger = db.logger] conn in
            let kinds = try await OrganizationStore.kinds(conn, ids: [agencyID], logger: logger)
            guard kinds[agencyID] == .agency else {
                throw Problem.invalid("agency_id", "must name an existing agency organization")
            }
            try await conn.rows(LockOrganization(ids: [brandID]), logger: logger)
            let live = try await conn.query(
                """
                SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from)
                WHERE r.brand_id = \(brandID) AND r.agency_id = \(agencyID) AND r.state IN ('invited', 'active')
                """, logger: logger
            ).collect()
            if let row = live.first { return try Self.relationship(row) }
            let id = UUID.v7(now: Date())
            try await conn.query(
                """
                INSERT INTO agency_relationships (id, brand_id, agency_id, state, invited_by, created_at, updated_at)
                VALUES (\(id), \(brandID), \(agencyID), 'invited', \(ActorJSON.text(actor))::jsonb, now(), now())
                """, logger: logger
            ).run()
            return try await Self.one(conn, id, logger)
        }
    }

    /// The relationships of an organization: a brand's agencies, or an agency's brands; newest first.
    public func list(organizationID: UUID, limit: Int = 200) async throws -> [AgencyRelationship] {
        try await db.rows(
            """
            SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from)
            WHERE r.brand_id = \(organizationID) OR r.agency_id = \(organizationID)
            ORDER BY r.created_at DESC, r.id DESC LIMIT \(limit)
            """
        ).map(Self.relationship)
    }

    /// The agency answers an invitation (`active` or `declined`). Nil when the agency has no such relationship;
    /// 409 `invalid_transition` when it is not waiting for an answer.
    public func answer(id: UUID, agencyID: UUID, accept: Bool, by actor: Actor) async throws -> AgencyRelationship? {
        try await change(id: id, organizationID: agencyID, side: "agency_id") { conn, current, logger in
            guard current.state == .invited else {
                throw Problem(.invalidTransition, "this relationship is \(current.state.rawValue), not invited")
            }
            try await conn.query(
                """
                UPDATE agency_relationships SET state = \(accept ? "active" : "declined"),
                    answered_by = \(ActorJSON.text(actor))::jsonb, updated_at = now()
                WHERE id = \(id)
                """, logger: logger
            ).run()
        }
    }

    /// Either side ends an active relationship (or the brand withdraws its invitation). 409 `open_tasks` while the
    /// agency holds open tasks on the brand's live projects.
    public func end(id: UUID, organizationID: UUID, by actor: Actor) async throws -> AgencyRelationship? {
        try await change(id: id, organizationID: organizationID, side: nil) { conn, current, logger in
            guard current.state == .active else {
                throw Problem(.invalidTransition, "this relationship is \(current.state.rawValue), not active")
            }
            let open =
                try await conn.query(
                    """
                    SELECT count(*)::int FROM tasks t JOIN projects p ON p.id = t.project_id
                    WHERE p.brand_id = \(current.brandID) AND t.agency_id = \(current.agencyID)
                      AND p.state NOT IN \(unescaped: DomainSQL.terminalStates)
                      AND \(unescaped: DomainSQL.taskHoldsAgency("t"))
                    """, logger: logger
                ).collect().first?.decode(Int.self) ?? 0
            guard open == 0 else {
                throw Problem(
                    .openTasks,
                    "the agency has \(open) open task\(open == 1 ? "" : "s") on the brand's projects; "
                        + "reassign or finish them first",
                    extra: ["open_tasks": .number(Double(open))])
            }
            try await conn.query(
                """
                UPDATE agency_relationships SET state = 'ended', ended_by = \(ActorJSON.text(actor))::jsonb,
                    updated_at = now()
                WHERE id = \(id)
                """, logger: logger
            ).run()
        }
    }

    /// Locks the relationship `id` of `organizationID` (on `side`, or either), runs `body`, and answers it as it is
    /// after; nil when the organization has no such relationship.
    private func change(
        id: UUID, organizationID: UUID, side: String?,
        _ body: @escaping @Sendable (PostgresConnection, AgencyRelationship, Logger) async throws -> Void
    ) async throws -> AgencyRelationship? {
        try await db.transaction { [logger = db.logger] conn in
            let rows = try await conn.query(
                """
                SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from) WHERE r.id = \(id) FOR UPDATE OF r
                """, logger: logger
            ).collect()
            guard let row = rows.first else { return nil }
            let current = try Self.relationship(row)
            let mine =
                switch side {
                case "agency_id": current.agencyID == organizationID
                case "brand_id": current.brandID == organizationID
                default: current.agencyID == organizationID || current.brandID == organizationID
                }
            guard mine else { return nil }
            try await body(conn, current, logger)
            return try await Self.one(conn, id, logger)
        }
    }

    static func one(_ conn: PostgresConnection, _ id: UUID, _ logger: Logger) async throws -> AgencyRelationship {
        guard
            let row = try await conn.query(
                "SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from) WHERE r.id = \(id)", logger: logger
            ).collect().first
        else { throw NoRowReturned(statement: "read a relationship") }
        return try relationship(row)
    }

    /// The agencies among `agencies` on `brandID`'s roster, read in the transition's transaction (the engine's
    /// rule, `Machine.requireOnRoster`; the database's trigger checks the same at the write).
    static func onRoster(_ conn: PostgresConnection, brandID: UUID, agencies: [UUID], logger: Logger) async throws
        -> Set<UUID>
    {
        guard !agencies.isEmpty else { return [] }
        var out: Set<UUID> = []
        for row in try await conn.query(
            """
            SELECT agency_id FROM agency_relationships
            WHERE brand_id = \(brandID) AND agency_id = ANY(\(agencies)) AND state = 'active' FOR SHARE
            """, logger: logger
        ).collect() {
            out.insert(try row.decode(UUID.self))
        }
        return out
    }

    /// The agencies on a brand's roster, by name: the ones its pickers offer.
    public func activeAgencies(brandID: UUID) async throws -> [(id: UUID, name: String)] {
        try await db.rows(
            """
            SELECT a.id, a.name FROM agency_relationships r JOIN organizations a ON a.id = r.agency_id
            WHERE r.brand_id = \(brandID) AND r.state = 'active' ORDER BY a.name, a.id
            """
        ).map { row in
            let (id, name) = try row.decode((UUID, String).self)
            return (id: id, name: name)
        }
    }
}
