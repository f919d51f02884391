import Foundation
import NIOHTTP1
import Testing

/// What a newcomer meets in the first requests: strict JSON, 405 for a known path, the front door, a clear
/// word for the operator token, and `allowed_actions` that never offers what would be refused.
@Suite("The first hour")
struct FirstHourTests {
    @Test("strict JSON: a trailing comma is 400 malformed_request with the position; nothing is created")
    func strictJSON() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            for body in [#"{"title":"T",}"#, #"{"title":"T"} x"#, #"{'title':"T"}"#, #"{"n":01}"#] {
                let r = try await s.call(.POST, "/v1/projects", token: brand.token, json: body)
                #expect(r.status == 400, "\(body): \(r.text)")
                #expect(r.code == "malformed_request")
                #expect((r["detail"] as? String)?.contains("at byte") == true, "\(r.text)")
            }
            let listed = try await s.call(.GET, "/v1/projects", token: brand.token)
            #expect((listed["data"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a known path with the wrong method is 405 with Allow; GET / leads to the document and the machine")
    func methodsAndIndex() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let id = UUID().uuidString.lowercased()
            for method in [HTTPMethod.GET, .PUT] {
                let r = try await s.call(method, "/v1/projects/\(id)/actions/issue_brief", token: brand.token)
                #expect(r.status == 405, "\(r.text)")
                #expect(r.headers.first(name: "Allow") == "POST")
                #expect(r.code == "method_not_allowed")
            }
            let unknown = try await s.call(.GET, "/v1/nothing-here", token: brand.token)
            #expect(unknown.status == 404)
            let index = try await s.call(.GET, "/")
            #expect(index.status == 200)
            #expect(index["openapi"] as? String == "/openapi.json")
            #expect(index["workflow"] as? String == "/v1/workflow")
        }
    }

    @Test("responses: keys in the schema's order, a trailing newline, ?pretty=true indents")
    func responseShape() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let project = try await s.project(brand)
            let compact = try await s.call(.GET, "/v1/projects/\(project)", token: brand.token)
            #expect(compact.text.hasPrefix(#"{"id":""#), "\(compact.text.prefix(80))")
            #expect(compact.text.hasSuffix("}\n"))
            let keys = ["id", "brand_id", "title", "state", "version", "strategy", "tasks", "allowed_actions"]
                .map { "\"\($0)\":" }
            let positions = keys.compactMap { compact.text.range(of: $0)?.lowerBound }
            #expect(
                positions.count == keys.count && positions == positions.sorted(),
                "keys out of order: \(compact.text.prefix(300))"
            )
            let again = try await s.call(.GET, "/v1/projects/\(project)", token: brand.token)
            #expect(again.text == compact.text)
            let pretty = try await s.call(.GET, "/v1/projects/\(project)?pretty=true", token: brand.token)
            #expect(pretty.text.hasPrefix("{\n  \"id\": \""), "\(pretty.text.prefix(80))")
            #expect((pretty.object["id"] as? String) == project)
            let problem = try await s.call(.GET, "/v1/projects/\(UUID().uuidString.lowercased())", token: brand.token)
            #expect(problem.text.hasPrefix(#"{"type":"#) && problem.text.hasSuffix("\n"), "\(problem.text)")
        }
    }

    @Test("the operator token on an organization's route gets a 401 that says what it is for")
    func operatorToken() async throws {
        try await withServer { s in
            let r = try await s.call(.GET, "/v1/projects", token: TestEnvironment.operatorToken)
            #expect(r.status == 401)
            #expect((r["detail"] as? String)?.contains("only manages organizations") == true, "\(r.text)")
        }
    }

    @Test("after an agency declines its only task it is offered nothing, and what is withheld is refused")
    func declinedTask() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            let project = try await s.project(brand)
            let task = try await s.addTask(brand, project, agency: agency, title: "Film")
            // Brand, in strategy: the task carries its own actions.
            let draft = try await s.call(.GET, "/v1/projects/\(project)", token: brand.token)
            let draftTask = try #require((draft["tasks"] as? [[String: Any]])?.first)
            #expect(draftTask["allowed_actions"] as? [String] == ["set_due_date", "set_approval"])
            #expect((draft["allowed_actions"] as? [String])?.contains("issue_brief") == true)
            try await s.act(brand.token, project, "issue_brief")
            let issued = try await s.call(.GET, "/v1/projects/\(project)", token: agency.token)
            #expect(issued["allowed_actions"] as? [String] == ["accept", "decline"])
            #expect(
                (issued["tasks"] as? [[String: Any]])?.first?["allowed_actions"] as? [String] == ["accept", "decline"])

            try await s.act(agency.token, project, "decline", task: task, json: #"{"reason":"not our field"}"#)
            let view = try await s.call(.GET, "/v1/projects/\(project)", token: agency.token)
            #expect(view["allowed_actions"] as? [String] == [])
            #expect((view["tasks"] as? [[String: Any]])?.first?["allowed_actions"] as? [String] == [])
            let before = try await s.fingerprint(project)
            let refused = try await s.act(agency.token, project, "accept", task: task, expect: 409)
            #expect(refused["allowed_actions"] as? [String] == [])
            #expect(try await s.fingerprint(project) == before)

            // The brand may reassign or withdraw, but not start the KPI review or close.
            let brandView = try await s.call(.GET, "/v1/projects/\(project)", token: brand.token)
            let offered = try #require(brandView["allowed_actions"] as? [String])
            #expect(offered == ["withdraw_brief", "reassign", "cancel", "set_due_date", "set_approval"])
            for action in ["start_kpi_review", "close", "issue_brief"] {
                let r = try await s.act(brand.token, project, action, expect: 409)
                #expect(r.code == "invalid_transition")
            }
            #expect(try await s.fingerprint(project) == before)
        }
    }
}
