import Foundation
import PostgresNIO
import Storage
import Testing
import Workflow

/// The database enforces the machine a second time with its own triggers (0001_core.sql). These tests read
/// the edges the triggers allow from the database itself — by trying every state change on real rows — and
/// compare them with the edges `WorkflowDefinition` derives from the machine table, so the two cannot drift.
@Suite("The database triggers allow exactly the machine's edges")
struct TriggerEdgeTests {
    /// Runs `body` on one connection to a freshly migrated database.
    func withMigratedConnection(_ body: @escaping @Sendable (PostgresConnection) async throws -> Void) async throws {
        try await withMigratedDatabase { _, db in try await db.client.withConnection { conn in try await body(conn) } }
    }

    /// Sets up rows with the triggers off (`session_replication_role = replica`), then runs `change` with them on;
    /// true when the database accepted the change. Everything is rolled back.
    static func accepts(_ conn: PostgresConnection, setup: [PostgresQuery], change: PostgresQuery) async throws -> Bool
    {
        let logger = TestEnvironment.logger
        try await conn.query("BEGIN", logger: logger).run()
        try await conn.query("SET LOCAL session_replication_role = replica", logger: logger).run()
        for q in setup { try await conn.query(q, logger: logger).run() }
        try await conn.query("SET LOCAL session_replication_role = origin", logger: logger).run()
        let accepted: Bool
        do {
            try await conn.query(change, logger: logger).run()
            accepted = true
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23514" {
            accepted = false  // check_violation: the trigger refused
        }
        try await conn.query("ROLLBACK", logger: logger).run()
        return accepted
    }

    static func rows(project: UUID, brand: UUID, state: ProjectState) -> [PostgresQuery] {
        [
            "INSERT INTO organizations (id, name, kind) VALUES (\(brand), 'Brand', 'brand')",
            """
            INSERT INTO projects (id, brand_id, title, state, version, last_sequence, strategy, created_at, updated_at)
            VALUES (\(project), \(brand), 'P', \(state.rawValue), 1, 1, '{}', now(), now())
            """,
        ]
    }

    @Test("project state changes")
    func projectEdges() async throws {
        try await withMigratedConnection { conn in
            var allowed = Set<ProjectEdge>()
            for from in ProjectState.allCases {
                for to in ProjectState.allCases where to != from {
                    let project = UUID()
                    let brand = UUID()
                    let change: PostgresQuery = "UPDATE projects SET state = \(to.rawValue) WHERE id = \(project)"
                    if try await Self.accepts(
                        conn, setup: Self.rows(project: project, brand: brand, state: from), change: change)
                    {
                        allowed.insert(ProjectEdge(from: from, to: to))
                    }
                }
            }
            #expect(allowed == WorkflowDefinition.projectEdges)
            #expect(allowed.count == 9)
        }
    }

    @Test("task state changes, with the project state each happens in")
    func taskEdges() async throws {
        try await withMigratedConnection { conn in
            var allowed = Set<TaskEdge>()
            for projectState in ProjectState.allCases {
                for from in TaskState.allCases {
                    for to in TaskState.allCases where to != from {
                        let project = UUID()
                        let brand = UUID()
                        let agency = UUID()
                        let task = UUID()
                        let setup =
                            Self.rows(project: project, brand: brand, state: projectState) + [
                                "INSERT INTO organizations (id, name, kind) VALUES (\(agency), 'Agency', 'agency')",
                                """
                                INSERT INTO agency_relationships (id, brand_id, agency_id, state, invited_by,
                                                                  created_at, updated_at)
                                VALUES (gen_random_uuid(), \(brand), \(agency), 'active', '{}', now(), now())
                                """,
                                """
                                INSERT INTO tasks (id, project_id, agency_id, position, title, description, state,
                                                   created_at, updated_at, state_since)
                                VALUES (\(task), \(project), \(agency), 1, 'T', '', \(from.rawValue), now(), now(),
                                    now())
                                """,
                            ]
                        let change: PostgresQuery = "UPDATE tasks SET state = \(to.rawValue) WHERE id = \(task)"
                        if try await Self.accepts(conn, setup: setup, change: change) {
                            allowed.insert(TaskEdge(from: from, to: to, projectState: projectState))
                        }
                    }
                }
            }
            let missing = WorkflowDefinition.taskEdges.subtracting(allowed).map(\.description).sorted()
            let extra = allowed.subtracting(WorkflowDefinition.taskEdges).map(\.description).sorted()
            #expect(missing == [], "the machine allows, the database refuses")
            #expect(extra == [], "the database allows, the machine refuses")
            #expect(!allowed.isEmpty)
        }
    }
}
