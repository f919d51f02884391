import Foundation
import NIOHTTP1
import Testing

@testable import Workflow

/// A small seeded generator, so a failing request can be sent again from its seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Values people and attackers type where a number, a date, an id or a name is expected.
enum Hostile {
    static let texts = [
        "-1", "0", "-0", "1", "-9223372036854775808", "9223372036854775807", "9223372036854775808",
        "99999999999999999999999999", "1e309", "-1e309", "NaN", "inf", "-inf", "0x10", "1,5", "1.5", "1.999",
        "", " ", "\u{0}", "\u{0}abc", "%", "%00", "+", "\u{202E}rtl", "💥", "<script>alert(1)</script>",
        "../../../etc/passwd", "P99999999999999999999D", "PT-1S", "9999-99-99", "2031-02-30", "0000-01-01",
        "remove_kpi:-1", "remove_kpi:9223372036854775807", "remove_kpi:", "add_kpi", "create", "save",
        "00000000-0000-0000-0000-000000000000", "kpis.-1.key", String(repeating: "9", count: 400),
        String(repeating: "a", count: 20_000), "EUR", "JPY", "XXX", "on", "true",
    ]

    static let jsonValues = [
        "-1", "0", "1", "1.5", "-0", "1e308", "-1e308", "1e-320", "9007199254740993", "18446744073709551616",
        "99999999999999999999999999999", "\"\"", "\"-1\"", "\"\\u0000\"", "\"💥\"", "null", "true", "[]", "{}",
        "[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]", "\"\(String(repeating: "x", count: 5000))\"",
        "\"2031-02-30\"", "\"P99999999999999999999D\"", "\"00000000-0000-0000-0000-000000000000\"",
        #"{"amount_minor":-1,"currency":"EUR"}"#, #"{"amount_minor":1e300,"currency":"XXX"}"#,
        #"[{"key":"a","name":"A","target":1e-310,"unit":"u","comparator":"gte"},"#
            + #"{"key":"a","name":"A","target":1,"unit":"u","comparator":"lte"}]"#,
        #"{"a":1e309}"#,
    ]

    static func text<R: RandomNumberGenerator>(_ rng: inout R) -> String { texts.randomElement(using: &rng)! }
    /// A hostile value a header can carry (HTTP refuses control characters before they are sent).
    static func header<R: RandomNumberGenerator>(_ rng: inout R) -> String {
        String(text(&rng).unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }.prefix(200))
    }

    static func json<R: RandomNumberGenerator>(_ rng: inout R) -> String { jsonValues.randomElement(using: &rng)! }
}

/// No input may trap: every console form and every API route, as each role, gets random and hostile values, and
/// the daemon answers each of them below 500 and stays up. A trap would end this test process.
@Suite("Hostile input")
struct HostileInputTests {
    /// The form field names the console's templates and action forms use.
    static func formFields() throws -> [String] {
        let folder = TestEnvironment.repositoryRoot.appendingPathComponent("Sources/Console/Templates")
        var names: Set<String> = ["kpi_rows", "op", "version", "hours", "api_key", "links", "summary", "note"]
        let pattern = try NSRegularExpression(pattern: #"name="([a-z_]+)""#)
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let r = Range(m.range(at: 1), in: text) { names.insert(String(text[r])) }
            }
        }
        for action in Action.allCases {
            names.formUnion(["reason", "agency_id", "title", "description", "due_date", "fee", "spend", "revenue"])
            names.insert("results.\(action.rawValue)")
        }
        for i in [-1, 0, 1, 99, 1_000_000] {
            for part in ["key", "name", "target", "unit", "comparator"] { names.insert("kpis.\(i).\(part)") }
        }
        names.remove("csrf")
        return names.sorted()
    }

    /// The property names of the OpenAPI document's schemas: the JSON keys routes read.
    static func jsonKeys() throws -> [String] {
        let url = TestEnvironment.repositoryRoot.appendingPathComponent("Sources/API/Resources/openapi.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        var keys: Set<String> = ["strategy", "kpis", "budget", "results", "spend_minor", "revenue_minor"]
        let pattern = try NSRegularExpression(pattern: #""([a-z_]+)":\s*\{\s*"(type|\$ref|oneOf|anyOf|items)""#)
        for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            if let r = Range(m.range(at: 1), in: text) { keys.insert(String(text[r])) }
        }
        return keys.sorted()
    }

    /// The document's paths and their methods.
    static func documentPaths() throws -> [(String, [String])] {
        let paths = try #require(try OpenAPITests.document()["paths"] as? [String: [String: Any]])
        let known = ["get", "put", "post", "delete", "patch"]
        return paths.keys.sorted().map { path in
            (path, paths[path]!.keys.filter(known.contains).map { $0.uppercased() }.sorted())
        }
    }

    static func randomForm<R: RandomNumberGenerator>(_ fields: [String], csrf: String, _ rng: inout R)
        -> [(String, String)]
    {
        var form = [("csrf", csrf), ("kpi_rows", Hostile.text(&rng)), ("op", Hostile.text(&rng))]
        for _ in 0..<Int.random(in: 1...12, using: &rng) {
            form.append((fields.randomElement(using: &rng)!, Hostile.text(&rng)))
        }
        return form
    }

    static func randomJSON<R: RandomNumberGenerator>(_ keys: [String], _ rng: inout R) -> String {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: return Hostile.json(&rng)
        case 1: return "{" + String(repeating: #""a":{"#, count: 300) + String(repeating: "}", count: 301)
        case 2:
            return #"{"title":"t","strategy":{"kpis":"#
                + Hostile.json(&rng) + #","budget":"# + Hostile.json(&rng) + "}}"
        default:
            let members = (0..<Int.random(in: 1...6, using: &rng)).map { _ in
                "\"\(keys.randomElement(using: &rng)!)\":\(Hostile.json(&rng))"
            }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    @Test("random and hostile values on every console form and API route, as each role: no 5xx, still up")
    func nothingTraps() async throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        let fields = try Self.formFields()
        let keys = try Self.jsonKeys()
        let paths = try Self.documentPaths()
        try await withServer { s in
            var rng = SplitMix(state: seed)
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            let project = try await s.project(brand)
            let task = try await s.addTask(brand, project, agency: agency, title: "Film")
            let endpoint = try await s.endpoint(brand, url: "http://127.0.0.1:9/hook")
            let tokens = [
                brand.token, try await s.key(brand, role: "manager"), try await s.key(brand, role: "viewer"),
                agency.token, try await s.key(agency, role: "manager"), try await s.key(agency, role: "viewer"),
            ]
            let ids = [project, task, endpoint.id, UUID().uuidString.lowercased(), "-1", "%00", "💥"]
            func fill(_ template: String) -> String {
                template.replacingOccurrences(of: "{id}", with: template.contains("webhook") ? endpoint.id : project)
                    .replacingOccurrences(of: "{task_id}", with: task)
                    .replacingOccurrences(of: "{comment_id}", with: ids.randomElement(using: &rng)!)
            }
            var sent = 0
            var failures: [String] = []
            func check(_ r: Reply, _ what: String) {
                sent += 1
                if r.status >= 500 { failures.append("\(r.status) \(what): \(r.text.prefix(300))") }
            }
            // The API.
            for (path, methods) in paths where path.hasPrefix("/v1") && path != "/v1/organizations" {
                for method in methods {
                    for token in tokens {
                        for _ in 0..<3 {
                            var target = fill(path)
                            if method == "GET" {
                                let q = ["limit", "after", "from", "to", "overdue", "state", "agency_id"]
                                target +=
                                    "?\(q.randomElement(using: &rng)!)=" + Hostile.text(&rng)
                                    .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                            }
                            let body = method == "GET" || method == "DELETE" ? nil : Self.randomJSON(keys, &rng)
                            let r = try await s.call(
                                HTTPMethod(rawValue: method), target, token: token, json: body,
                                headers: Bool.random(using: &rng) ? [("If-Match", Hostile.header(&rng))] : [])
                            check(r, "\(method) \(target) \(body ?? "")")
                        }
                    }
                }
            }
            // The console, signed in as each role.
            let consolePosts = [
                "/console/projects", "/console/projects/{id}/strategy",
                "/console/projects/{id}/tasks/{task_id}/comments",
                "/console/projects/{id}/tasks/{task_id}/comments/{comment_id}/resolve",
                "/console/webhooks/\(endpoint.id)/replay", "/console/webhooks/\(endpoint.id)/rotate",
                "/console/webhooks/deliveries/{comment_id}/retry",
            ]
            let actions = Action.allCases.filter { $0 != .create }
            for token in tokens {
                let (visitor, _) = try await s.signIn(token)
                let page = try await visitor.get("/console/projects")
                let csrf = try #require(ConsoleVisitor.hidden("csrf", in: page.text), "no form token")
                var targets = consolePosts.map(fill)
                for action in actions {
                    let scoped = WorkflowDefinition.spec(action).scope == .task ? "/tasks/\(task)" : ""
                    targets.append("/console/projects/\(project)\(scoped)/actions/\(action.rawValue)")
                }
                for target in targets {
                    for _ in 0..<6 {
                        let form = Self.randomForm(fields, csrf: csrf, &rng)
                        check(try await visitor.post(target, form), "POST \(target) \(form)")
                    }
                }
                for get in [
                    "/console?show=-1", "/console?show=99999999999999999999", "/console/projects?state=%00",
                    "/console/projects/\(project)?done=%FF", "/console/agencies?from=9999-99-99&to=-1",
                    "/console/agencies.csv?from=0000-01-01", "/console/projects/new",
                    "/console/projects/\(project)/strategy",
                ] {
                    check(try await visitor.get(get), "GET \(get)")
                }
            }
            #expect(failures.isEmpty, "seed \(seed): \(failures.count) of \(sent) answered 5xx: \(failures.prefix(5))")
            #expect(sent > 1000)
            #expect(try await s.call(.GET, "/healthz").status == 200)
        }
    }

    @Test("kpi_rows=-1 from a viewer and from a manager: a page, not a crash")
    func negativeKPIRows() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let viewer = try await s.key(brand, role: "viewer")
            for (token, status) in [(viewer, 403), (brand.token, 200)] {
                let (visitor, _) = try await s.signIn(token)
                let page = try await visitor.get("/console/projects")
                let csrf = try #require(ConsoleVisitor.hidden("csrf", in: page.text))
                let r = try await visitor.post("/console/projects", [("csrf", csrf), ("kpi_rows", "-1"), ("op", "x")])
                #expect(r.status == status, "\(r.text.prefix(300))")
                let created = try await visitor.post(
                    "/console/projects", [("csrf", csrf), ("kpi_rows", "-1"), ("title", "T")])
                #expect(created.status == (status == 403 ? 403 : 422), "\(created.text.prefix(300))")
            }
            #expect(try await s.call(.GET, "/healthz").status == 200)
        }
    }
}
