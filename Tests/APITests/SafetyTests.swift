import Foundation
import PostgresNIO
import Storage
import Testing

@Suite("Idempotency, bad input and the database's own rules")
struct SafetyTests {
    @Test("an Idempotency-Key replay returns the first response and performs nothing; another body is refused")
    func idempotency() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            let p = try await s.project(brand)
            let body = #"{"agency_id":"\#(agency.id)","title":"Video","description":"x"}"#
            let first = try await s.act(brand.token, p, "add_task", json: body, headers: [("Idempotency-Key", "k-1")])
            let before = try await s.fingerprint(p)
            let again = try await s.act(brand.token, p, "add_task", json: body, headers: [("Idempotency-Key", "k-1")])
            #expect(again.body == first.body)
            #expect(again.headers.first(name: "ETag") == first.headers.first(name: "ETag"))
            #expect(again.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(try await s.fingerprint(p) == before)
            let other = try await s.act(
                brand.token, p, "add_task", json: body.replacingOccurrences(of: "Video", with: "Banner"),
                headers: [("Idempotency-Key", "k-1")], expect: 422)
            #expect(other.code == "idempotency_key_reused")
            // Refusals are kept too: the same refused request replays its refusal.
            let refused = try await s.act(brand.token, p, "close", headers: [("Idempotency-Key", "k-2")], expect: 409)
            let replayed = try await s.act(brand.token, p, "close", headers: [("Idempotency-Key", "k-2")], expect: 409)
            #expect(refused.body == replayed.body)
            // Keys are per organization: another brand may use the same key.
            let other2 = try await s.organization("Other", "brand")
            let created = try await s.call(
                .POST, "/v1/projects", token: other2.token, json: #"{"title":"X","strategy":\#(TestServer.strategy)}"#,
                headers: [("Idempotency-Key", "k-1")])
            #expect(created.status == 201)
            let replay = try await s.call(
                .POST, "/v1/projects", token: other2.token, json: #"{"title":"X","strategy":\#(TestServer.strategy)}"#,
                headers: [("Idempotency-Key", "k-1")])
            #expect(replay.status == 201 && replay.body == created.body)
            #expect(
                try await s.scalar(
                    "SELECT count(*)::int FROM projects WHERE brand_id = \(UUID(uuidString: other2.id)!)", as: Int.self)
                    == 1)
            // Concurrent requests with one key: one runs, the others replay it or are told it is still running.
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await s.call(
                            .POST, "/v1/projects", token: other2.token,
                            json: #"{"title":"Y","strategy":\#(TestServer.strategy)}"#,
                            headers: [("Idempotency-Key", "k-race")]
                        ).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 201 || $0 == 409 })
            #expect(try await s.scalar("SELECT count(*)::int FROM projects WHERE title = 'Y'", as: Int.self) == 1)
        }
    }

    @Test("an Idempotency-Key belongs to its caller: two keys sending the same key and body make two requests")
    func idempotencyPerCaller() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            let manager = try await s.key(brand, role: "manager")
            let project = try await s.project(brand)
            let task = try await s.addTask(brand, project, agency: agency, title: "Film")
            let path = "/v1/projects/\(project)/tasks/\(task)/comments"
            let body = #"{"body":"Same words from two people"}"#
            let first = try await s.call(
                .POST, path, token: brand.token, json: body, headers: [("Idempotency-Key", "same-key")])
            let second = try await s.call(
                .POST, path, token: manager, json: body, headers: [("Idempotency-Key", "same-key")])
            #expect(first.status == 201 && second.status == 201, "\(first.text) \(second.text)")
            #expect(second.headers.first(name: "Idempotent-Replayed") == nil, "one caller got the other's answer")
            let again = try await s.call(
                .POST, path, token: manager, json: body, headers: [("Idempotency-Key", "same-key")])
            #expect(again.headers.first(name: "Idempotent-Replayed") == "true")
            let comments = try await s.call(.GET, path, token: brand.token)
            #expect((comments["data"] as? [[String: Any]])?.count == 2, "\(comments.text)")
        }
    }

    @Test("bad input gets its 4xx and changes nothing")
    func badInput() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            let p = try await s.project(brand)
            _ = try await s.addTask(brand, p, agency: agency, title: "Video")
            let before = try await s.fingerprint(p)
            let long = String(repeating: "x", count: 300)
            let cases: [(String, String, Int, String)] = [
                ("update_strategy", "{", 400, "malformed_request"),
                ("update_strategy", "[]", 400, "malformed_request"),
                ("update_strategy", #"{"strategy":"text"}"#, 400, "malformed_request"),
                (
                    "update_strategy",
                    #"{"strategy":\#(TestServer.strategy.replacingOccurrences(of: "EUR", with: "XYZ"))}"#, 422,
                    "validation_failed"
                ),
                (
                    "update_strategy",
                    #"{"strategy":\#(TestServer.strategy.replacingOccurrences(of: "1000", with: "1e999"))}"#, 400,
                    "malformed_request"
                ),
                (
                    "add_task", #"{"agency_id":"\#(agency.id)","title":"\#(long)","description":""}"#, 422,
                    "validation_failed"
                ),
                ("add_task", #"{"agency_id":"\#(brand.id)","title":"t","description":""}"#, 422, "guard_failed"),
                ("add_task", #"{"agency_id":"\#(UUID())","title":"t","description":""}"#, 422, "guard_failed"),
                (
                    "add_task", #"{"agency_id":"\#(agency.id)","title":"t\u0000","description":""}"#, 422,
                    "validation_failed"
                ),
                ("remove_task", #"{"task_id":"\#(UUID())"}"#, 422, "guard_failed"),
                ("no_such_action", "{}", 400, "malformed_request"),
                ("accept", "{}", 400, "malformed_request"),
                ("close", "{}", 409, "invalid_transition"),
                ("cancel", "{}", 422, "validation_failed"),
                (
                    "update_strategy",
                    #"{"strategy":{"objectives":[\#(Array(repeating: "\"o\"", count: 60).joined(separator: ","))]}}"#,
                    422, "validation_failed"
                ),
            ]
            for (action, body, status, code) in cases {
                let r = try await s.call(.POST, "/v1/projects/\(p)/actions/\(action)", token: brand.token, json: body)
                #expect(r.status == status, "\(action) \(body.prefix(80)): \(r.text)")
                #expect(r.code == code, "\(action): \(r.text)")
                #expect(r.headers.first(name: "Content-Type") == "application/problem+json")
            }
            // A body over the limit, invalid UTF-8, and unknown ids.
            let huge = try await s.call(
                .POST, "/v1/projects/\(p)/actions/update_strategy", token: brand.token,
                body: Array(repeating: 0x20, count: 300_000))
            #expect(huge.status == 413 && huge.code == "payload_too_large", "\(huge.status) \(huge.text)")
            let binary = try await s.call(
                .POST, "/v1/projects/\(p)/actions/cancel", token: brand.token,
                body: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D])
            #expect(binary.status == 400)
            let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
            let nested = try await s.call(.POST, "/v1/projects/\(p)/actions/cancel", token: brand.token, json: deep)
            #expect(nested.status == 400)
            #expect(
                try await s.call(.POST, "/v1/projects/\(UUID())/actions/close", token: brand.token, json: "{}").status
                    == 404)
            #expect(
                try await s.call(.POST, "/v1/projects/not-a-uuid/actions/close", token: brand.token, json: "{}").status
                    == 404)
            #expect(
                try await s.call(
                    .POST, "/v1/projects/\(p)/tasks/\(UUID())/actions/approve", token: brand.token, json: "{}"
                ).status == 404)
            #expect(try await s.call(.GET, "/v1/projects?limit=0", token: brand.token).status == 422)
            #expect(try await s.call(.GET, "/v1/projects?limit=abc", token: brand.token).status == 400)
            #expect(try await s.call(.GET, "/v1/projects?state=open", token: brand.token).status == 422)
            #expect(try await s.call(.GET, "/v1/events?after=-1", token: brand.token).status == 400)
            let badMatch = try await s.call(
                .POST, "/v1/projects/\(p)/actions/issue_brief", token: brand.token, json: "{}",
                headers: [("If-Match", "garbage")])
            #expect(badMatch.status == 412 && badMatch.code == "version_mismatch")
            #expect(try await s.fingerprint(p) == before)
            // The daemon is still fine.
            #expect(try await s.call(.GET, "/healthz").status == 200)
        }
    }

    @Test("the database refuses state changes the machine does not allow, and history rewrites")
    func databaseRules() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            let p = try await s.project(brand)
            let t = try await s.addTask(brand, p, agency: agency, title: "Video")
            let pid = UUID(uuidString: p)!
            let tid = UUID(uuidString: t)!
            func refused(_ q: PostgresQuery) async -> Bool {
                do {
                    _ = try await s.sql(q)
                    return false
                } catch { return true }
            }
            #expect(await refused("UPDATE projects SET state = 'closed' WHERE id = \(pid)"))
            #expect(await refused("UPDATE projects SET state = 'delivery' WHERE id = \(pid)"))
            #expect(await refused("UPDATE tasks SET state = 'approved' WHERE id = \(tid)"))
            #expect(await refused("UPDATE transitions SET action = 'close' WHERE project_id = \(pid)"))
            #expect(await refused("DELETE FROM transitions WHERE project_id = \(pid)"))
            #expect(await refused("TRUNCATE transitions CASCADE"))
            #expect(await refused("DELETE FROM events WHERE project_id = \(pid)"))
            #expect(
                await refused(
                    """
                    INSERT INTO transitions (project_id, sequence, action, to_state, actor_side, occurred_at)
                    VALUES (\(pid), 9, 'x', 'strategy', 'brand', now())
                    """
                ))
            #expect(
                await refused(
                    """
                    INSERT INTO projects (id, brand_id, title, state, version, last_sequence, strategy,
                    created_at, updated_at)
                    VALUES (gen_random_uuid(), \(UUID(uuidString: brand.id)!), 't', 'closed', 1, 1, '{}', now(), now())
                    """
                ))
            // An allowed edge passes; the strategy is then frozen even for hand-written SQL.
            _ = try await s.sql("UPDATE projects SET state = 'brief' WHERE id = \(pid)")
            #expect(await refused("UPDATE projects SET strategy = '{}' WHERE id = \(pid)"))
            #expect(await refused("DELETE FROM tasks WHERE id = \(tid)"))
        }
    }

    @Test("API keys are stored only as hashes")
    func keysHashed() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let count = try await s.scalar(
                "SELECT count(*)::int FROM api_keys WHERE token_hash = sha256(convert_to(\(brand.token), 'UTF8'))",
                as: Int.self)
            #expect(count == 1)
            let leaks = try await s.scalar(
                """
                SELECT count(*)::int FROM api_keys WHERE position(convert_to(\(brand.token), 'UTF8') in
                token_hash) > 0 OR name = \(brand.token)
                """,
                as: Int.self)
            #expect(leaks == 0)
        }
    }
}
