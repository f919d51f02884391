import Foundation
import PostgresNIO
import Testing

@testable import Storage

/// A request under an `Idempotency-Key` that creates something outside a transition keeps its answer in the
/// transaction of its write: both commit or neither does, so a crash between the two cannot leave a key, an
/// organization or an endpoint that a retry of the same request would create a second time.
@Suite("Idempotent writes keep their answer in their own transaction")
struct IdempotentWriteTests {
    struct Crash: Error {}

    @Test("when keeping the answer fails, nothing the request wrote is committed; when it succeeds, both are")
    func answerAndWriteTogether() async throws {
        try await withMigratedDatabase { _, db in
            let organizations = OrganizationStore(db: db)
            let endpoints = EndpointStore(db: db)
            let keys = IdempotencyStore(db: db)
            let (org, _, _, _) = try await organizations.create(name: "Brand", kind: .brand)
            func claim(_ key: String) async throws -> IdempotencyClaim {
                guard case .reserved(let c) = try await keys.reserve(scope: "test", key: key, fingerprint: Data([1]))
                else { throw Crash() }
                return c
            }
            func count(_ sql: PostgresQuery) async throws -> Int {
                try await db.rows(sql)[0].decode(Int.self)
            }
            let before = try await count("SELECT count(*)::int FROM api_keys")
            let crashing = IdempotentCompletion<(APIKey, String)>(claim: try await claim("k1")) { _ in throw Crash() }
            await #expect(throws: Crash.self) {
                _ = try await organizations.createKey(
                    organizationID: org.id, name: "ci", role: .admin, idempotency: crashing)
            }
            await #expect(throws: Crash.self) {
                _ = try await organizations.create(
                    name: "Other", kind: .agency,
                    idempotency: IdempotentCompletion(claim: try await claim("k2")) { _ in throw Crash() })
            }
            await #expect(throws: Crash.self) {
                _ = try await endpoints.create(
                    organizationID: org.id, url: "https://example.com/hook", description: "", eventTypes: [],
                    enabled: true, secretSealed: [1],
                    idempotency: IdempotentCompletion(claim: try await claim("k3")) { _ in throw Crash() })
            }
            #expect(try await count("SELECT count(*)::int FROM api_keys") == before, "no orphan key")
            #expect(try await count("SELECT count(*)::int FROM organizations") == 1, "no orphan organization")
            #expect(try await count("SELECT count(*)::int FROM webhook_endpoints") == 0, "no orphan endpoint")

            let kept = IdempotentCompletion<(APIKey, String)>(claim: try await claim("k4")) { created in
                StoredResponse(status: 201, headers: [:], body: Array(created.0.id.lowercased.utf8))
            }
            let (key, _) = try await organizations.createKey(
                organizationID: org.id, name: "ci", role: .admin, idempotency: kept)
            guard case .replay(let stored) = try await keys.reserve(scope: "test", key: "k4", fingerprint: Data([1]))
            else {
                Issue.record("the answer was not kept with the key")
                return
            }
            #expect(stored.status == 201 && stored.body == Array(key.id.lowercased.utf8))
        }
    }
}
