import Foundation
import PostgresNIO
import Testing

@testable import Storage

/// A write the daemon reports as done must be committed. Sent alone, a statement is answered (`CommandComplete`)
/// before PostgreSQL commits its implicit transaction at `Sync`, and PostgresNIO hands that answer over at once:
/// whatever happens at the commit — a crash, a deferred check — comes too late for the caller. A constraint trigger
/// deferred to the commit stands in for the crash here: it refuses every commit of the table it watches.
@Suite("Writes are answered after their commit")
struct CommitAnswerTests {
    /// Makes every commit that changed `table` fail, from inside the commit.
    static func refuseCommits(_ db: Database, on table: String) async throws {
        try await db.rows(
            """
            CREATE OR REPLACE FUNCTION test_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'commit refused by the test'; END $$
            """)
        try await db.rows(
            """
            CREATE CONSTRAINT TRIGGER test_refuse_commit AFTER INSERT OR UPDATE OR DELETE ON \(unescaped: table)
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_commit()
            """)
    }

    @Test("revoking a key, rotating a secret, a session, an idempotent answer: refused at commit, reported as failed")
    func refusedCommitIsAnError() async throws {
        try await withMigratedDatabase { url, db in
            let organizations = OrganizationStore(db: db)
            let (org, key, token, _) = try await organizations.create(name: "Brand", kind: .brand)
            let endpoint = try await EndpointStore(db: db).create(
                organizationID: org.id, url: "https://example.com/hook", description: "", eventTypes: [],
                enabled: true, secretSealed: [1, 2, 3])
            let claim = IdempotencyClaim(scope: "test", key: "k1")
            try await db.rows(
                "INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ('test', 'k1', '\\x00'::bytea)")

            // The premise: a statement sent alone is answered as done although its commit fails. On a client
            // of its own: PostgresNIO closes the connection when the commit's error follows the answer.
            try await Self.refuseCommits(db, on: "api_keys")
            try await withClient(url, maxConnections: 1) { alone in
                let lone = Database(client: alone, logger: TestEnvironment.logger, deadline: .seconds(30))
                try await lone.rows("UPDATE api_keys SET revoked_at = now() WHERE id = \(key.id)")
            }
            let revokedAlone = try await db.rows("SELECT revoked_at FROM api_keys WHERE id = \(key.id)")[0]
                .decode(Date?.self)
            #expect(revokedAlone == nil, "the lone statement's write was not lost: revisit Database.write")

            await #expect(throws: PSQLError.self, "a revocation that did not commit must not be reported") {
                _ = try await organizations.revokeKey(organizationID: org.id, id: key.id)
            }

            try await Self.refuseCommits(db, on: "webhook_endpoints")
            await #expect(throws: PSQLError.self, "a rotation that did not commit must not be reported") {
                _ = try await EndpointStore(db: db).rotate(
                    organizationID: org.id, id: endpoint.id, newSealed: [4, 5, 6], previousValidUntil: Date())
            }

            try await Self.refuseCommits(db, on: "console_sessions")
            let principal = try #require(try await organizations.authenticate(token: token))
            await #expect(throws: PSQLError.self, "a session that did not commit must not be handed out") {
                _ = try await SessionStore(db: db).start(principal, lifetime: 60)
            }

            try await Self.refuseCommits(db, on: "idempotency_keys")
            await #expect(throws: PSQLError.self, "a kept answer that did not commit must not be reported") {
                try await IdempotencyStore(db: db).complete(
                    claim, StoredResponse(status: 201, headers: [:], body: Array("{}".utf8)))
            }
            await #expect(throws: PSQLError.self, "a released reservation that did not commit") {
                try await IdempotencyStore(db: db).release(claim)
            }
        }
    }
}
