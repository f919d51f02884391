import Foundation
import PostgresNIO
import Storage
import Testing
import Workflow

@Suite("Health, readiness, the workflow document and migrations")
struct ServiceTests {
    @Test("healthz, readyz, workflow, and problem+json for unknown routes")
    func endpoints() async throws {
        try await withServer { s in
            #expect(try await s.call(.GET, "/healthz").status == 200)
            var ready = try await s.call(.GET, "/readyz")
            for _ in 0..<20 where ready.status != 200 {
                try await Task.sleep(for: .milliseconds(100))
                ready = try await s.call(.GET, "/readyz")
            }
            #expect(ready.status == 200 && ready["status"] as? String == "ready")
            let brand = try await s.organization("Velo", "brand")
            let wf = try await s.call(.GET, "/v1/workflow", token: brand.token)
            let actions = (wf["actions"] as? [[String: Any]] ?? [])
            #expect(actions.count == WorkflowDefinition.actions.count)
            let accept = actions.first { $0["name"] as? String == "accept" }
            #expect(accept?["who"] as? String == "agency" && accept?["from"] as? [String] == ["brief"])
            let missing = try await s.call(.GET, "/nope")
            #expect(missing.status == 404 && missing.code == "not_found")
        }
    }

    @Test(
        "migrations: two concurrent runs on a fresh database both succeed and apply the schema once; a third is a no-op"
    )
    func concurrentMigrations() async throws {
        try await withFreshDatabase { url in
            try await withClient(url, maxConnections: 4) { client in
                let m = Migrator(migrations: try TestEnvironment.migrations(), logger: TestEnvironment.logger)
                async let a = m.migrate(client)
                async let b = m.migrate(client)
                let (ra, rb) = try await (a, b)
                #expect((ra + rb).sorted() == Array(1...m.migrations.count))
                #expect(try await m.migrate(client) == [])
                var n = 0
                for try await c in try await client.query(
                    "SELECT count(*)::int FROM schema_migrations", logger: TestEnvironment.logger
                ).decode(Int.self) { n = c }
                #expect(n == m.migrations.count)
            }
        }
    }

    @Test("the SQL splitter keeps dollar-quoted bodies and comments whole")
    func splitter() {
        let script = """
            -- a comment; with a semicolon
            CREATE TABLE a (x text DEFAULT ';');
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE 'x;y'; RETURN NEW; END $$;
            /* block; comment */ SELECT 1
            """
        let parts = SQLScript.statements(script)
        #expect(parts.count == 3)
        #expect(parts[1].hasSuffix("END $$"))
    }
}

@Suite("Housekeeping")
struct HousekeepingTests {
    @Test("prunes old attempts, idempotency keys, expired sessions and old sign-in failures, one daemon at a time")
    func prunes() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            _ = try await s.call(
                .POST, "/v1/projects", token: brand.token, json: #"{"title":"X","strategy":\#(TestServer.strategy)}"#,
                headers: [("Idempotency-Key", "old")])
            _ = try await s.sql("UPDATE idempotency_keys SET created_at = now() - interval '2 days'")
            // Two deliveries of a past month: the finished one goes (with its attempt), the pending one stays.
            let endpoint = try await s.call(
                .POST, "/v1/webhook-endpoints", token: brand.token,
                json: #"{"url":"http://127.0.0.1:9/h","enabled":false}"#)
            let endpointID = try #require(endpoint["id"] as? String)
            _ = try await s.sql(
                """
                INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, next_attempt_at, created_at,
                    completed_at)
                SELECT gen_random_uuid(), \(UUID(uuidString: endpointID)!), id, s, now(), now() - interval '40 days',
                       CASE WHEN s = 'succeeded' THEN now() - interval '40 days' END
                FROM events, (VALUES ('succeeded'), ('pending')) AS v(s) LIMIT 2
                """)
            _ = try await s.sql(
                """
                INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, latency_ms)
                SELECT id, now() - interval '40 days', 200, 5 FROM webhook_deliveries WHERE status = 'succeeded'
                """)
            // A person's session past its expiry and yesterday's failed sign-ins go; a live session stays.
            let maya = try await s.person(brand, email: "maya@velo.example", name: "Maya")
            _ = try await s.signIn("maya@velo.example", TestServer.password)
            _ = try await s.signIn("nobody@velo.example", "wrong wrong wrong")
            _ = try await s.sql(
                """
                UPDATE person_sessions SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day'
                WHERE id_hash <> \(Tokens.hash(maya.token))
                """)
            _ = try await s.sql("UPDATE sign_in_failures SET last_failure_at = now() - interval '2 days'")
            let keeper = Housekeeper(db: s.db)
            let result = try await keeper.runOnce()
            #expect(try await s.scalar("SELECT count(*)::int FROM person_sessions", as: Int.self) == 1)
            #expect(try await s.scalar("SELECT count(*)::int FROM sign_in_failures", as: Int.self) == 0)
            #expect(result?.idempotencyKeys == 1)
            #expect(result?.attempts == 1 && result?.deliveries == 1 && result?.full == false)
            #expect(try await s.scalar("SELECT count(*)::int FROM idempotency_keys", as: Int.self) == 0)
            #expect(
                try await s.scalar("SELECT string_agg(status, ',')::text FROM webhook_deliveries", as: String.self)
                    == "pending")
            // While another session holds the lock, a round is skipped.
            let skipped = try await s.db.transaction { conn in
                try await conn.query("SELECT pg_advisory_xact_lock(\(Int64(0x6272_6965_6668)))", logger: s.db.logger)
                    .run()
                return try await keeper.runOnce()
            }
            #expect(skipped == nil)
        }
    }
}
