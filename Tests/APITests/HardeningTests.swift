import Foundation
import Testing

/// Inputs sized to hurt: text limits count Unicode scalars (what PostgreSQL counts), not glyphs, and a project's
/// history comes a page at a time.
@Suite("Hardening: sizes and pages")
struct HardeningTests {
    @Test("a one-glyph title of 120,000 combining marks is refused; a name of decomposed é is a 422, not a 500")
    func scalarsNotGlyphs() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let glyph = "e" + String(repeating: "\u{0301}", count: 120_000)
            #expect(glyph.count == 1)
            let created = try await s.call(
                .POST, "/v1/projects", token: brand.token,
                json: #"{"title":"\#(glyph)","strategy":\#(TestServer.strategy)}"#)
            #expect(created.status == 422, "\(created.text.prefix(300))")
            #expect(created.text.contains("must be at most 200 characters"))
            #expect(try await s.scalar("SELECT count(*)::int FROM projects", as: Int.self) == 0)

            // 150 glyphs, 300 scalars: past the database's length(name) <= 200, so the API must refuse it first.
            let decomposed = String(repeating: "e\u{0301}", count: 150)
            let org = try await s.call(
                .POST, "/v1/organizations", token: TestEnvironment.operatorToken,
                json: #"{"name":"\#(decomposed)","kind":"agency"}"#)
            #expect(org.status == 422, "\(org.text.prefix(300))")
            // 200 precomposed letters fit exactly.
            let fits = try await s.call(
                .POST, "/v1/organizations", token: TestEnvironment.operatorToken,
                json: #"{"name":"\#(String(repeating: "é", count: 200))","kind":"agency"}"#)
            #expect(fits.status == 201, "\(fits.text.prefix(300))")
        }
    }

    /// One body reader for every route (`FieldReader`): a route outside the workflow lists all its invalid fields at
    /// once, as an action does, and a field of the wrong type is a 400.
    @Test("a key, an endpoint and service levels list every invalid field at once; a wrong type is 400")
    func everyInvalidField() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            func fields(_ r: Reply) -> [String] {
                (r["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }.sorted()
            }
            let key = try await s.call(
                .POST, "/v1/api-keys", token: brand.token, json: #"{"name":"  ","role":"boss","colour":"red"}"#)
            #expect(key.status == 422 && fields(key) == ["colour", "name", "role"], "\(key.text)")
            let hook = try await s.call(
                .POST, "/v1/webhook-endpoints", token: brand.token,
                json: #"{"url":"https://example.com/\u0000","description":"","event_types":["x", ""]}"#)
            #expect(
                hook.status == 422 && fields(hook) == ["description", "event_types[1]", "url"], "\(hook.text)")
            let levels = try await s.call(
                .PATCH, "/v1/organizations/me", token: brand.token,
                json: #"{"timezone":"Mars/Olympus","review_sla":"P0D","due_soon":"soon"}"#)
            #expect(levels.status == 422 && fields(levels) == ["due_soon", "review_sla", "timezone"], "\(levels.text)")
            let typed = try await s.call(
                .POST, "/v1/api-keys", token: brand.token, json: #"{"name":7,"role":"viewer"}"#)
            #expect(typed.status == 400 && typed["code"] as? String == "malformed_request", "\(typed.text)")
            #expect(try await s.scalar("SELECT count(*)::int FROM api_keys", as: Int.self) == 1, "nothing was made")
        }
    }

    @Test("history pages: every entry once, in order, whatever the page size; bad cursors are 400")
    func historyPages() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            let project = try await s.project(brand)
            for i in 0..<5 { _ = try await s.addTask(brand, project, agency: agency, title: "Task \(i)") }
            let whole = try await s.history(brand.token, project, limit: 100)
            #expect(whole.count == 6)
            #expect(whole.compactMap { $0["sequence"] as? Int } == Array(1...6))
            for size in [1, 2, 4] {
                let paged = try await s.history(brand.token, project, limit: size)
                #expect(paged.compactMap { $0["sequence"] as? Int } == Array(1...6), "pages of \(size)")
            }
            let first = try await s.call(.GET, "/v1/projects/\(project)/history?limit=2", token: brand.token)
            #expect(first["has_more"] as? Bool == true && first["next_cursor"] as? Int == 2)
            let last = try await s.call(.GET, "/v1/projects/\(project)/history?after=6", token: brand.token)
            #expect((last["data"] as? [Any])?.isEmpty == true && last["has_more"] as? Bool == false)
            #expect(last["next_cursor"] as? Int == 6)
            for bad in ["after=-1", "after=x", "limit=0", "limit=101"] {
                let r = try await s.call(.GET, "/v1/projects/\(project)/history?\(bad)", token: brand.token)
                #expect([400, 422].contains(r.status), "\(bad): \(r.status)")
            }
        }
    }

    @Test("retrying a delivery older than the newest 100 answers with that delivery")
    func retryOldDelivery() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            // An endpoint nothing listens on: every delivery is recorded, none succeeds.
            let endpoint = try await s.call(
                .POST, "/v1/webhook-endpoints", token: brand.token,
                json: #"{"url":"http://127.0.0.1:9/off"}"#)
            let endpointID = try #require(endpoint["id"] as? String)
            for i in 0..<105 { _ = try await s.project(brand, title: "Project \(i)") }
            let count = try await s.scalar("SELECT count(*)::int FROM webhook_deliveries", as: Int.self)
            #expect(count == 105)
            let oldest = try await s.scalar(
                "SELECT id FROM webhook_deliveries ORDER BY id LIMIT 1", as: UUID.self)
            let retried = try await s.call(
                .POST, "/v1/webhook-deliveries/\(oldest.uuidString.lowercased())/retry", token: brand.token, json: "{}")
            #expect(retried.status == 200, "\(retried.text)")
            #expect(retried["id"] as? String == oldest.uuidString.lowercased())
            #expect(retried["endpoint_id"] as? String == endpointID)
        }
    }
}
