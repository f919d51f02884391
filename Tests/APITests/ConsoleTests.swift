import BriefdApp
import Crypto
import Foundation
import NIOHTTP1
import PostgresNIO
import Storage
import Testing

@testable import Console
@testable import Workflow

/// A person in the console: the session cookie a sign-in gave, as a browser would send it back.
struct ConsoleVisitor: Sendable {
    let server: TestServer
    let cookie: String
    /// The browser's `Accept-Language`, sent with every request as a browser does.
    var language: String? = nil

    var cookieAndLanguage: [(String, String)] {
        [("Cookie", cookie)] + (language.map { [("Accept-Language", $0)] } ?? [])
    }

    func get(_ path: String) async throws -> Reply {
        try await server.call(.GET, path, headers: cookieAndLanguage)
    }

    /// Posts a form as a browser on the same origin does (`Sec-Fetch-Site: same-origin`) unless told otherwise.
    func post(_ path: String, _ fields: [(String, String)], site: String? = "same-origin") async throws -> Reply {
        var headers = cookieAndLanguage + [("Content-Type", "application/x-www-form-urlencoded")]
        if let site { headers.append(("Sec-Fetch-Site", site)) }
        return try await server.call(.POST, path, body: Array(ConsoleVisitor.encode(fields).utf8), headers: headers)
    }

    static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map {
            "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)="
                + $0.1.addingPercentEncoding(withAllowedCharacters: allowed)!
        }.joined(separator: "&")
    }

    /// The value of the first hidden input `name` in a page (or in the form whose id is `form`).
    static func hidden(_ name: String, in html: String, form: String? = nil) -> String? {
        var text = Substring(html)
        if let form, let start = html.range(of: "id=\"form-\(form)\"") { text = html[start.upperBound...] }
        guard let r = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(text[r.upperBound...].prefix { $0 != "\"" })
    }
}

extension TestServer {
    /// Signs in with `token`; returns the visitor holding the session cookie.
    func signIn(_ token: String, headers: [(String, String)] = []) async throws -> (ConsoleVisitor, Reply) {
        let r = try await call(
            .POST, "/console/login", body: Array(ConsoleVisitor.encode([("api_key", token)]).utf8),
            headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers)
        let setCookie = r.headers.first(name: "Set-Cookie") ?? ""
        let pair = String(setCookie.prefix { $0 != ";" })
        let language = headers.first { $0.0.lowercased() == "accept-language" }?.1
        return (ConsoleVisitor(server: self, cookie: pair, language: language), r)
    }
}

@Suite("The console")
struct ConsoleTests {
    @Test("every page has its template, and the console does not start without one")
    func templatesComplete() throws {
        let installed = try Templates.load()
        for page in Templates.Page.allCases {
            #expect(!installed.render(page, [String: Any]()).isEmpty, "\(page.rawValue)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try #require(Templates.installed)
        for file in try FileManager.default.contentsOfDirectory(at: source, includingPropertiesForKeys: nil)
        where file.lastPathComponent != "inbox.mustache" {
            try FileManager.default.copyItem(at: file, to: folder.appendingPathComponent(file.lastPathComponent))
        }
        #expect {
            _ = try Templates.load(from: folder)
        } throws: { ($0 as? Templates.MissingTemplates)?.missing == ["inbox"] }
    }

    @Test("forgery check: a cross-site or same-site post, a missing or wrong token are refused")
    func forgeryCheck() {
        let t = "token-0123456789abcdefghijklmnopqrstuvwxyz"
        #expect(ForgeryCheck.check(secFetchSite: "same-origin", formToken: t, sessionToken: t) == .passed)
        #expect(ForgeryCheck.check(secFetchSite: nil, formToken: t, sessionToken: t) == .passed)
        #expect(ForgeryCheck.check(secFetchSite: "none", formToken: t, sessionToken: t) == .passed)
        #expect(ForgeryCheck.check(secFetchSite: "cross-site", formToken: t, sessionToken: t) == .crossSite)
        #expect(ForgeryCheck.check(secFetchSite: "same-site", formToken: t, sessionToken: t) == .crossSite)
        #expect(ForgeryCheck.check(secFetchSite: "same-origin", formToken: nil, sessionToken: t) == .badToken)
        #expect(ForgeryCheck.check(secFetchSite: "same-origin", formToken: t + "x", sessionToken: t) == .badToken)
        #expect(ForgeryCheck.check(secFetchSite: "same-origin", formToken: "", sessionToken: "") == .badToken)
    }

    @Test("forms: URL-encoded fields, repeated names, amounts in major units per currency")
    func formsAndAmounts() {
        let f = Form(urlEncoded: Array("a=1&b=x+y%26z&agency_id=&agency_id=+abc+&links=u1%0D%0A%0D%0Au2".utf8))
        #expect(f["a"] == "1")
        #expect(f["b"] == "x y&z")
        #expect(f.text("agency_id") == "abc")
        #expect(f.lines("links") == ["u1", "u2"])
        #expect(Currency.parseMajor("1,250.5", "EUR") == 125_050)
        #expect(Currency.parseMajor("1250", "JPY") == 1250)
        #expect(Currency.parseMajor("12.5", "JPY") == nil)
        #expect(Currency.parseMajor("1.234", "KWD") == 1234)
        #expect(Currency.parseMajor("-5", "EUR") == nil)
        #expect(Currency.parseMajor("1e5", "EUR") == nil)
        #expect(Currency.format(minor: 125_050, "EUR") == "1,250.50")
        #expect(Currency.format(minor: 1_000_000, "JPY") == "1,000,000")
    }

    @Test("over HTTPS, as BRIEFD_PUBLIC_URL says: a __Host- Secure cookie and HSTS")
    func secureCookies() async throws {
        let https: @Sendable (inout DaemonConfiguration) -> Void = { $0.publicURL = "https://briefd.example" }
        try await withServer(configure: https) { s in
            let brand = try await s.organization("Velo", "brand")
            let (visitor, r) = try await s.signIn(brand.token)
            let secure = r.headers.first(name: "Set-Cookie") ?? ""
            #expect(secure.hasPrefix("__Host-briefd_session=") && secure.contains("Secure"), "\(secure)")
            #expect(r.headers.first(name: "Strict-Transport-Security") == "max-age=31536000")
            #expect(try await visitor.get("/console/projects").status == 200)
        }
    }

    @Test("sessions: sign-in sets an HttpOnly, SameSite=Lax cookie (__Host- over HTTPS); only its hash is stored")
    func sessions() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let signedOut = try await s.call(.GET, "/console")
            #expect(signedOut.status == 200 && signedOut.text.contains("name=\"email\""))
            #expect(signedOut.text.contains("name=\"password\"") && !signedOut.text.contains("name=\"api_key\""))
            let withKey = try await s.call(.GET, "/console?with=key")
            #expect(withKey.status == 200 && withKey.text.contains("name=\"api_key\""))
            let bad = try await s.signIn("bfd_not-a-key")
            #expect(bad.1.status == 401 && bad.1.text.contains("not accepted"))
            let (visitor, r) = try await s.signIn(brand.token)
            #expect(
                r.status == 303 && r.headers.first(name: "Location") == "/console", "\(r.status) \(r.text.prefix(600))")
            let cookie = r.headers.first(name: "Set-Cookie") ?? ""
            #expect(cookie.hasPrefix("briefd_session="), "\(cookie)")
            for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
                #expect(cookie.contains(attribute), "\(attribute) in \(cookie)")
            }
            #expect(!cookie.contains("Secure"))
            let id = String(visitor.cookie.dropFirst("briefd_session=".count))
            let hash = Data(SHA256.hash(data: Data(id.utf8)))
            #expect(try await s.scalar("SELECT count(*)::int FROM console_sessions WHERE id_hash = \(hash)") == 1)
            let inbox = try await visitor.get("/console")
            #expect(inbox.status == 200 && inbox.text.contains("Waiting on you"))
            #expect(!inbox.text.contains(brand.token) && !inbox.text.contains(id), "no key or session id in the page")
            #expect(inbox.headers.first(name: "Content-Security-Policy")?.hasPrefix("default-src 'self'") == true)

            // A client's header does not make the cookie Secure (nor a proxy's): the operator's public URL does.
            let (_, claimed) = try await s.signIn(brand.token, headers: [("X-Forwarded-Proto", "https")])
            #expect(claimed.headers.first(name: "Set-Cookie")?.hasPrefix("briefd_session=") == true)
            #expect(claimed.headers.first(name: "Strict-Transport-Security") == nil)

            // An expired session, and a revoked key, end at the next page: the sign-in form says so.
            let (later, _) = try await s.signIn(brand.token)
            let laterID = String(later.cookie.dropFirst("briefd_session=".count))
            let laterHash = Data(SHA256.hash(data: Data(laterID.utf8)))
            _ = try await s.sql(
                """
                UPDATE console_sessions SET created_at = now() - interval '13 hours', expires_at = now() -
                interval '1 hour' WHERE id_hash = \(laterHash)
                """
            )
            let expired = try await later.get("/console/projects")
            #expect(expired.status == 401 && expired.text.contains("Your session has ended"))
            let me = try await s.call(.GET, "/v1/organizations/me", token: brand.token)
            let keyID = try #require((me["api_key"] as? [String: Any])?["id"] as? String)
            let revoked = try await s.call(.DELETE, "/v1/api-keys/\(keyID)", token: brand.token)
            #expect(revoked.status == 200)
            let after = try await visitor.get("/console/projects")
            #expect(after.status == 401 && after.text.contains("Your session has ended"))
        }
    }

    @Test("every post needs the session's token and a same-origin browser; a form key runs once")
    func forgeryAndOnce() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Pixel", "agency")
            let project = try await s.project(brand)
            _ = try await s.addTask(brand, project, agency: agency, title: "Film")
            let (visitor, _) = try await s.signIn(brand.token)
            let page = try await visitor.get("/console/projects/\(project)")
            let csrf = try #require(ConsoleVisitor.hidden("csrf", in: page.text))
            let formKey = try #require(ConsoleVisitor.hidden("form_key", in: page.text, form: "project-issue_brief"))
            let version = try #require(ConsoleVisitor.hidden("version", in: page.text, form: "project-issue_brief"))
            let path = "/console/projects/\(project)/actions/issue_brief"
            let before = try await s.fingerprint(project)
            for (fields, site, why) in [
                ([("form_key", formKey), ("version", version)], "same-origin", "no token"),
                ([("csrf", "forged"), ("form_key", formKey), ("version", version)], "same-origin", "a wrong token"),
                ([("csrf", csrf), ("form_key", formKey), ("version", version)], "cross-site", "another site"),
            ] {
                let r = try await visitor.post(path, fields, site: site)
                #expect(r.status == 403, "\(why): \(r.status)")
                #expect(try await s.fingerprint(project) == before, "\(why) changed nothing")
            }
            let fields = [("csrf", csrf), ("form_key", formKey), ("version", version)]
            let first = try await visitor.post(path, fields)
            #expect(first.status == 303, "\(first.text)")
            #expect(first.headers.first(name: "Location") == "/console/projects/\(project)?done=issue_brief")
            let again = try await visitor.post(path, fields)
            #expect(
                again.status == 303 && again.headers.first(name: "Location") == first.headers.first(name: "Location"))
            let after = try await s.fingerprint(project)
            #expect(after[0] == before[0] + 1 && after[1] == before[1] + 1, "one transition for a form sent twice")
            // The same page's other form, now stale: the version no longer matches: 412, as the API answers it.
            let stale = try await visitor.post(
                "/console/projects/\(project)/actions/cancel",
                [("csrf", csrf), ("form_key", UUID().uuidString), ("version", version), ("reason", "late")])
            #expect(stale.status == 412 && stale.text.contains("The project changed"), "\(stale.status)")
        }
    }

    @Test("a title with markup renders as text; a viewer sees no buttons; the console can be turned off")
    func escapingAndViewer() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let project = try await s.project(brand, title: "<script>alert(1)</script>")
            let (manager, _) = try await s.signIn(brand.token)
            let page = try await manager.get("/console/projects/\(project)")
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.text.contains("<script>"))
            #expect(page.text.contains("action=\"/console/projects/\(project)/actions/"), "a manager has buttons")
            let (viewer, _) = try await s.signIn(try await s.key(brand, role: "viewer"))
            let seen = try await viewer.get("/console/projects/\(project)")
            #expect(seen.status == 200 && seen.text.contains("&lt;script&gt;"))
            #expect(!seen.text.contains("action=\"/console/projects/"), "a viewer sees no buttons")
            let board = try await viewer.get("/console/projects")
            #expect(!board.text.contains("/console/projects/new"))
            let hooks = try await viewer.get("/console/webhooks")
            #expect(hooks.status == 403, "webhooks are managed with an admin key")
        }
        try await withServer(console: false) { s in
            let r = try await s.call(.GET, "/console")
            #expect(r.status == 404)
        }
    }

    @Test("an agency never sees another agency's task or the brand's economics, on any page")
    func visibility() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let a = try await s.organization("Pixel", "agency")
            let b = try await s.organization("Stride", "agency")
            let project = try await s.project(brand)
            let ta = try await s.addTask(brand, project, agency: a, title: "Film for Pixel")
            let tb = try await s.addTask(brand, project, agency: b, title: "Posters for Stride")
            try await s.act(brand.token, project, "issue_brief")
            for (org, task) in [(a, ta), (b, tb)] { try await s.act(org.token, project, "accept", task: task) }
            for (org, task) in [(a, ta), (b, tb)] {
                try await s.act(
                    org.token, project, "submit_delivery", task: task,
                    json: #"{"summary":"Done","links":["https://x.example/1"]}"#)
                try await s.act(brand.token, project, "approve", task: task)
            }
            try await s.measureAndClose(brand, project)
            let (brandVisitor, _) = try await s.signIn(brand.token)
            let brandPage = try await brandVisitor.get("/console/projects/\(project)")
            #expect(brandPage.text.contains("€98,765.00") && brandPage.text.contains("ROI"), "the brand sees it")
            let (brandInFrench, _) = try await s.signIn(brand.token, headers: [("Accept-Language", "fr-FR,fr;q=0.9")])
            let frenchPage = try await brandInFrench.get("/console/projects/\(project)")
            #expect(frenchPage.text.contains("98\u{202F}765,00\u{00A0}€"), "the brand sees it in French")
            let secrets = [
                "98,765", "43,210", "98\u{202F}765", "43\u{202F}210", "9876500", "4321000", "ROI", "Revenue",
                "KPI hit rate", "Chiffre d", "Taux de KPI",
            ]
            // One agency reads the console in English, the other in French: neither language may leak.
            for (org, own, other, language) in [
                (a, "Film for Pixel", "Posters for Stride", "en"), (b, "Posters for Stride", "Film for Pixel", "fr"),
            ] {
                let (visitor, _) = try await s.signIn(org.token, headers: [("Accept-Language", language)])
                for path in [
                    "/console", "/console/projects", "/console/projects?state=closed",
                    "/console/projects/\(project)", "/console/agencies", "/console/agencies.csv",
                ] {
                    let r = try await visitor.get(path)
                    #expect(r.status == 200, "\(path): \(r.status)")
                    for secret in [other] + secrets {
                        #expect(!r.text.contains(secret), "\(own)'s agency sees \(secret) on \(path)")
                    }
                }
                let projectPage = try await visitor.get("/console/projects/\(project)")
                #expect(projectPage.text.contains(own))
            }
        }
    }

    @Test(
        "the console's inbox reads projects only as far as needed and lists exactly the oldest items of the whole inbox"
    )
    func oldestWaiting() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let a = try await s.organization("Pixel", "agency")
            let b = try await s.organization("Stride", "agency")
            // Twelve projects left at different steps: strategy, offered and declined, both tasks delivered (two
            // items for the brand in one project), all approved. Each step is taken on every project before the next,
            // so one project's waits
            // interleave with the others' (the order a stopping rule must get right).
            var projects: [(String, String, String)] = []
            for i in 0..<12 {
                let project = try await s.project(brand, title: "P\(i)")
                projects.append(
                    (
                        project, try await s.addTask(brand, project, agency: a, title: "A\(i)"),
                        try await s.addTask(brand, project, agency: b, title: "B\(i)")
                    ))
            }
            let moving = projects.enumerated().filter { $0.offset % 4 != 0 }
            for (_, (p, _, _)) in moving { try await s.act(brand.token, p, "issue_brief") }
            for (i, (p, _, tb)) in moving where i % 4 == 1 {
                try await s.act(b.token, p, "decline", task: tb, json: #"{"reason":"busy"}"#)
            }
            let working = moving.filter { $0.offset % 4 != 1 }
            for (_, (p, ta, _)) in working { try await s.act(a.token, p, "accept", task: ta) }
            for (_, (p, _, tb)) in working { try await s.act(b.token, p, "accept", task: tb) }
            let delivery = #"{"summary":"s","links":["https://x.example/1"]}"#
            for (_, (p, ta, _)) in working { try await s.act(a.token, p, "submit_delivery", task: ta, json: delivery) }
            for (_, (p, _, tb)) in working { try await s.act(b.token, p, "submit_delivery", task: tb, json: delivery) }
            for (i, (p, ta, tb)) in working where i % 4 == 3 {
                for task in [ta, tb] { try await s.act(brand.token, p, "approve", task: task) }
            }
            let store = ProjectStore(db: s.db, mail: false)
            for (org, kind) in [(brand, OrganizationKind.brand), (a, .agency), (b, .agency)] {
                let actor = Actor(organizationID: UUID(uuidString: org.id)!, kind: kind, role: .manager)
                let now = Date()
                let all = Inbox.items(
                    organization: actor.organizationID, kind: kind, projects: try await store.active(for: actor),
                    now: now)
                #expect(org.id == b.id || all.count >= 3, "\(kind) has steps waiting")
                for limit in [1, 3, 7, 100] {
                    // Batches of one project at a time: the stopping rule is what keeps the order.
                    let got = try await store.oldestWaiting(for: actor, limit: limit, now: now, batch: 1)
                    #expect(got.items.map(\.id) == all.prefix(limit).map(\.id), "\(kind), limit \(limit)")
                    #expect(got.items.map(\.actions) == all.prefix(limit).map(\.actions))
                    if limit == 100 { #expect(got.complete) }
                }
                // GET /v1/inbox reads the same way: paged two at a time, it lists the whole inbox in order.
                var paged: [String] = []
                var cursor: String?
                repeat {
                    let r = try await s.call(
                        .GET, "/v1/inbox?limit=2" + (cursor.map { "&after=\($0)" } ?? ""), token: org.token)
                    #expect(r.status == 200, "\(r.text)")
                    paged += (r["data"] as? [[String: Any]] ?? []).map {
                        ($0["task_id"] as? String) ?? ($0["project_id"] as? String) ?? ""
                    }
                    cursor = r["next_cursor"] as? String
                } while cursor != nil && paged.count <= all.count
                #expect(paged == all.map(\.id.lowercased), "\(kind): the API's pages")
            }
        }
    }
}
