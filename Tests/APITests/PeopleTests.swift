import API
import Foundation
import PostgresNIO
import Storage
import Testing

/// A person signed in: their session token and ids.
struct SignedIn: Sendable {
    var token: String
    var userID: String
    var organizationID: String
}

extension TestServer {
    /// `admin` invites `email` with `role`; answers the invitation's `accept_url` token.
    func invitation(_ admin: String, email: String, role: String = "manager") async throws -> String {
        let r = try await call(
            .POST, "/v1/invitations", token: admin, json: #"{"email":"\#(email)","role":"\#(role)"}"#)
        try #require(r.status == 201, "\(r.text)")
        let invitation = try #require(r["invitation"] as? [String: Any])
        let url = try #require(invitation["accept_url"] as? String)
        #expect(url.hasPrefix("http://127.0.0.1:\(port)/console/invitations/"))
        return String(url.split(separator: "/").last!)
    }

    /// A new person who accepted an invitation of `org` (by its admin key): signed in as that membership.
    func person(_ org: Org, email: String, name: String, role: String = "manager", password: String = Self.password)
        async throws -> SignedIn
    {
        let token = try await invitation(org.token, email: email, role: role)
        let r = try await call(
            .POST, "/v1/invitations/accept", json: #"{"token":"\#(token)","name":"\#(name)","password":"\#(password)"}"#
        )
        try #require(r.status == 201, "\(r.text)")
        return try Self.session(r)
    }

    static let password = "correct horse battery"

    static func session(_ r: Reply) throws -> SignedIn {
        let session = try #require(r["session"] as? [String: Any])
        let user = try #require(r["user"] as? [String: Any])
        let membership = try #require(r["membership"] as? [String: Any])
        let organization = try #require(membership["organization"] as? [String: Any])
        return SignedIn(
            token: session["token"] as! String, userID: user["id"] as! String,
            organizationID: organization["id"] as! String)
    }

    func signIn(_ email: String, _ password: String, organization: String? = nil) async throws -> Reply {
        let org = organization.map { #","organization_id":"\#($0)""# } ?? ""
        return try await call(
            .POST, "/v1/sessions", json: #"{"email":"\#(email)","password":"\#(password)"\#(org)}"#)
    }
}

@Suite("People: sessions, invitations, members, every decision signed")
struct PeopleTests {
    @Test("an invited person signs in as themselves; one email, two organizations, one person")
    func invitationsAndSessions() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            let maya = try await s.person(brand, email: "Maya@Velo.example", name: "Maya Dupont")
            // The session is a bearer token for every /v1 route, as that membership.
            let me = try await s.call(.GET, "/v1/me", token: maya.token)
            #expect(me.status == 200, "\(me.text)")
            #expect((me["user"] as? [String: Any])?["email"] as? String == "maya@velo.example")
            #expect(me["role"] as? String == "manager")
            #expect(try await s.call(.GET, "/v1/projects", token: maya.token).status == 200)
            // A used token is gone.
            let again = try await s.call(
                .POST, "/v1/invitations/accept",
                json: #"{"token":"\#(try await s.invitation(brand.token, email: "x@velo.example"))","name":"X"}"#)
            #expect(again.status == 422, "a password is required: \(again.text)")
            // The same email invited to an agency: accepting under the session joins the same person.
            let token = try await s.invitation(agency.token, email: "maya@velo.example", role: "viewer")
            let joined = try await s.call(
                .POST, "/v1/invitations/accept", token: maya.token, json: #"{"token":"\#(token)"}"#)
            #expect(joined.status == 201, "\(joined.text)")
            #expect(try PeopleTests.userID(joined) == maya.userID)
            let reuse = try await s.call(
                .POST, "/v1/invitations/accept", token: maya.token, json: #"{"token":"\#(token)"}"#)
            #expect(reuse.status == 410 && reuse.code == "gone", "\(reuse.text)")
            // Two memberships: the sign-in asks which.
            let ask = try await s.signIn("maya@velo.example", TestServer.password)
            #expect(ask.status == 422 && ask.code == "organization_required", "\(ask.text)")
            #expect((ask["organizations"] as? [Any])?.count == 2)
            let asAgency = try await s.signIn("MAYA@velo.example", TestServer.password, organization: agency.id)
            #expect(asAgency.status == 201, "\(asAgency.text)")
            let viewer = try TestServer.session(asAgency)
            #expect(viewer.organizationID == agency.id)
            // Acting as the agency's viewer: the viewer's rules, not the brand manager's.
            let refused = try await s.call(
                .POST, "/v1/projects", token: viewer.token, json: #"{"title":"x","strategy":\#(TestServer.strategy)}"#)
            #expect(refused.status == 403, "\(refused.text)")
            // Signing out ends that session only.
            #expect(try await s.call(.DELETE, "/v1/sessions/current", token: viewer.token).status == 204)
            #expect(try await s.call(.GET, "/v1/me", token: viewer.token).status == 401)
            #expect(try await s.call(.GET, "/v1/me", token: maya.token).status == 200)
            // Revoked and unknown invitations.
            let list = try await s.call(.GET, "/v1/invitations", token: brand.token)
            let pending = try #require(
                (list["data"] as? [[String: Any]])?.first { $0["state"] as? String == "pending" })
            let revoked = try await s.call(.DELETE, "/v1/invitations/\(pending["id"] as! String)", token: brand.token)
            #expect((revoked["invitation"] as? [String: Any])?["state"] as? String == "revoked")
            let unknown = try await s.call(
                .POST, "/v1/invitations/accept",
                json: #"{"token":"nope","name":"N","password":"\#(TestServer.password)"}"#)
            #expect(unknown.status == 404, "\(unknown.text)")
            // Only admins invite.
            let byManager = try await s.call(
                .POST, "/v1/invitations", token: maya.token, json: #"{"email":"y@velo.example","role":"viewer"}"#)
            #expect(byManager.status == 403)
        }
    }

    static func userID(_ r: Reply) throws -> String {
        try #require((r["user"] as? [String: Any])?["id"] as? String)
    }

    @Test("a wrong password and an unknown email look the same: status, body and time")
    func indistinguishable() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            _ = try await s.person(brand, email: "maya@velo.example", name: "Maya")
            var wrongTimes: [Double] = []
            var unknownTimes: [Double] = []
            var bodies: Set<String> = []
            for i in 0..<5 {
                var start = Date()
                let wrong = try await s.signIn("maya@velo.example", "wrong password \(i)")
                wrongTimes.append(Date().timeIntervalSince(start))
                start = Date()
                let unknown = try await s.signIn("nobody\(i)@velo.example", "wrong password \(i)")
                unknownTimes.append(Date().timeIntervalSince(start))
                #expect(wrong.status == 401 && unknown.status == 401)
                bodies.insert(wrong.text)
                bodies.insert(unknown.text)
            }
            #expect(bodies.count == 1, "one body for both: \(bodies)")
            let median = { (xs: [Double]) in xs.sorted()[xs.count / 2] }
            let ratio = median(wrongTimes) / median(unknownTimes)
            #expect(ratio > 0.5 && ratio < 2, "medians \(median(wrongTimes)) and \(median(unknownTimes))")
        }
    }

    @Test("ten failures in a row throttle an email to one attempt per 30 s; failures count per address too")
    func throttling() async throws {
        try await withServer(authFailureLimiter: RateLimiter(rate: 0.001, burst: 30)) { s in
            let brand = try await s.organization("Velo", "brand")
            _ = try await s.person(brand, email: "maya@velo.example", name: "Maya")
            for i in 0..<10 {
                let r = try await s.signIn("maya@velo.example", "wrong \(i) wrong wrong")
                #expect(r.status == 401)
            }
            // Even the right password waits now.
            let held = try await s.signIn("maya@velo.example", TestServer.password)
            #expect(held.status == 429 && held.code == "rate_limited", "\(held.text)")
            #expect(Int(held.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)
            // Another email is not held by this one's failures.
            _ = try await s.person(brand, email: "leo@velo.example", name: "Léo")
            #expect(try await s.signIn("leo@velo.example", TestServer.password).status == 201)
            // After the wait, one attempt: a success clears the count.
            try await s.sql("UPDATE sign_in_failures SET last_failure_at = now() - interval '31 seconds'")
            #expect(try await s.signIn("maya@velo.example", TestServer.password).status == 201)
            #expect(try await s.scalar("SELECT count(*)::int FROM sign_in_failures", as: Int.self) == 0)
            // Per address: past the budget (30), this address gets 429 before any lookup.
            for i in 0..<25 { _ = try await s.signIn("n\(i)@velo.example", "wrong wrong wrong") }
            let blocked = try await s.signIn("leo@velo.example", TestServer.password)
            #expect(blocked.status == 429, "\(blocked.text)")
        }
    }

    @Test("removal and a password change end sessions; the last admin stays; a removed person's key is refused")
    func removalAndPasswords() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let admin = try await s.person(brand, email: "ana@velo.example", name: "Ana", role: "admin")
            let maya = try await s.person(brand, email: "maya@velo.example", name: "Maya")
            // Maya signs in elsewhere too, and makes a personal key (at most her role).
            let other = try TestServer.session(try await s.signIn("maya@velo.example", TestServer.password))
            let tooHigh = try await s.call(
                .POST, "/v1/api-keys", token: maya.token, json: #"{"name":"Maya's key","role":"admin"}"#)
            #expect(tooHigh.status == 403)
            let key = try await s.call(
                .POST, "/v1/api-keys", token: maya.token, json: #"{"name":"Maya's key","role":"manager"}"#)
            #expect(key.status == 201, "\(key.text)")
            #expect(key["owner_user_id"] as? String == maya.userID)
            let personal = key["token"] as! String
            #expect(try await s.call(.GET, "/v1/projects", token: personal).status == 200)
            // A password change ends her other session, not this one.
            let short = try await s.call(
                .PATCH, "/v1/me", token: maya.token, json: #"{"password":"short","current_password":"x"}"#)
            #expect(short.status == 422)
            let wrongCurrent = try await s.call(
                .PATCH, "/v1/me", token: maya.token,
                json: #"{"password":"a brand new password","current_password":"not it at all"}"#)
            #expect(wrongCurrent.status == 403)
            let changed = try await s.call(
                .PATCH, "/v1/me", token: maya.token,
                json:
                    #"{"password":"a brand new password","current_password":"\#(TestServer.password)","#
                    + #""locale":"fr","time_zone":"Europe/Paris"}"#
            )
            #expect(changed.status == 200, "\(changed.text)")
            #expect(changed["locale"] as? String == "fr" && changed["time_zone"] as? String == "Europe/Paris")
            #expect(try await s.call(.GET, "/v1/me", token: other.token).status == 401)
            #expect(try await s.call(.GET, "/v1/me", token: maya.token).status == 200)
            let badZone = try await s.call(.PATCH, "/v1/me", token: maya.token, json: #"{"time_zone":"Mars/Olympus"}"#)
            #expect(badZone.status == 422)
            // Members: roles, the last admin.
            let members = try await s.call(.GET, "/v1/members", token: admin.token)
            #expect((members["data"] as? [[String: Any]])?.count == 2)
            let demoteLast = try await s.call(
                .PATCH, "/v1/members/\(admin.userID)", token: admin.token, json: #"{"role":"manager"}"#)
            #expect(demoteLast.status == 409 && demoteLast.code == "last_admin", "\(demoteLast.text)")
            let removeLast = try await s.call(.DELETE, "/v1/members/\(admin.userID)", token: brand.token)
            #expect(removeLast.status == 409 && removeLast.code == "last_admin")
            // The database keeps the rule too.
            await #expect(throws: (any Error).self) {
                try await s.sql("DELETE FROM memberships WHERE user_id = \(UUID(uuidString: admin.userID)!)")
            }
            // A personal key never holds more than its owner's role: promoting keeps it, demoting revokes it.
            #expect(
                try await s.call(.PATCH, "/v1/members/\(maya.userID)", token: admin.token, json: #"{"role":"admin"}"#)
                    .status == 200)
            #expect(try await s.call(.GET, "/v1/projects", token: personal).status == 200, "a promotion keeps it")
            let viewerKey = try await s.call(
                .POST, "/v1/api-keys", token: maya.token, json: #"{"name":"Maya's reader","role":"viewer"}"#)
            let reader = try #require(viewerKey["token"] as? String)
            #expect(
                try await s.call(.PATCH, "/v1/members/\(maya.userID)", token: admin.token, json: #"{"role":"viewer"}"#)
                    .status == 200)
            #expect(try await s.call(.GET, "/v1/projects", token: personal).status == 401, "above her role: revoked")
            #expect(try await s.call(.GET, "/v1/projects", token: reader).status == 200, "within her role: kept")
            // Removing Maya ends her session and revokes her personal key at the next request.
            #expect(try await s.call(.DELETE, "/v1/members/\(maya.userID)", token: admin.token).status == 204)
            #expect(try await s.call(.GET, "/v1/me", token: maya.token).status == 401)
            #expect(try await s.call(.GET, "/v1/projects", token: reader).status == 401)
            let gone = try await s.signIn("maya@velo.example", "a brand new password")
            #expect(gone.status == 403, "a member of nothing: \(gone.text)")
        }
    }

    @Test("the person who acts is in the history, the feed and a verified webhook; never their email")
    func actorSigned() async throws {
        try await withReceiver { receiver, port in
            try await withServer { s in
                let brand = try await s.organization("Velo", "brand")
                let agency = try await s.organization("Studio", "agency")
                let endpoint = try await s.endpoint(agency, url: "http://127.0.0.1:\(port)/hook")
                let maya = try await s.person(brand, email: "maya@velo.example", name: "Maya Dupont")
                let ali = try await s.person(agency, email: "ali@studio.example", name: "Ali Benali")
                let project = try await s.project(Org(id: brand.id, token: maya.token))
                let added = try await s.act(
                    maya.token, project, "add_task",
                    json: #"{"agency_id":"\#(agency.id)","title":"Film","description":"d"}"#)
                let task = try #require((added["tasks"] as? [[String: Any]])?.last?["id"] as? String)
                try await s.act(maya.token, project, "issue_brief")
                try await s.act(ali.token, project, "accept", task: task)
                let history = try await s.history(brand.token, project)
                let accepted = try #require(history.first { $0["action"] as? String == "accept" })
                let actor = try #require(accepted["actor"] as? [String: Any])
                #expect(actor["kind"] as? String == "user" && actor["id"] as? String == ali.userID)
                #expect(actor["name"] as? String == "Ali Benali" && actor["organization_id"] as? String == agency.id)
                let issued = try #require(history.first { $0["action"] as? String == "issue_brief" })
                #expect((issued["actor"] as? [String: Any])?["name"] as? String == "Maya Dupont")
                // The agency's feed names the brand's person by name only.
                let feed = try await s.call(.GET, "/v1/events?limit=100", token: agency.token)
                #expect(feed.text.contains("Maya Dupont") && !feed.text.contains("maya@velo.example"))
                let delivered = try await receiver.wait { $0.contains { $0.body.contains("task.accepted") } }
                let verified = try signed(by: endpoint.secret, delivered)
                let body = try #require(verified.first { $0.body.contains("task.accepted") }?.body)
                let event = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
                let data = try #require(event["data"] as? [String: Any])
                let signedBy = try #require(data["actor"] as? [String: Any])
                #expect(signedBy["kind"] as? String == "user" && signedBy["name"] as? String == "Ali Benali")
                #expect(!body.contains("@studio.example"))
            }
        }
    }

    @Test("the operator's organization comes with an invitation for its first admin")
    func firstAdmin() async throws {
        try await withServer { s in
            let r = try await s.call(
                .POST, "/v1/organizations", token: TestEnvironment.operatorToken,
                json: #"{"name":"Velo","kind":"brand","admin_email":"ana@velo.example"}"#)
            #expect(r.status == 201, "\(r.text)")
            let invitation = try #require(r["invitation"] as? [String: Any])
            #expect(invitation["role"] as? String == "admin")
            let token = String((invitation["accept_url"] as! String).split(separator: "/").last!)
            let accepted = try await s.call(
                .POST, "/v1/invitations/accept",
                json: #"{"token":"\#(token)","name":"Ana","password":"\#(TestServer.password)"}"#)
            #expect(accepted.status == 201, "\(accepted.text)")
            let ana = try TestServer.session(accepted)
            #expect(try await s.call(.GET, "/v1/members", token: ana.token).status == 200)
            let bad = try await s.call(
                .POST, "/v1/organizations", token: TestEnvironment.operatorToken,
                json: #"{"name":"Velo","kind":"brand","admin_email":"not an email"}"#)
            #expect(bad.status == 422)
            for body in [
                #"{"name":"Lumière","kind":"brand","admin_email":"a@lumiere.example","admin_locale":"de"}"#,
                #"{"name":"Lumière","kind":"brand","admin_locale":"fr"}"#,
            ] {
                let refused = try await s.call(
                    .POST, "/v1/organizations", token: TestEnvironment.operatorToken, json: body)
                #expect(refused.status == 422 && refused.code == "validation_failed", "\(refused.text)")
            }
            // In French: the invitation's email is written in French, and whoever accepts it on a French page
            // starts in French, in Paris's time zone.
            let french = try await s.call(
                .POST, "/v1/organizations", token: TestEnvironment.operatorToken,
                json: #"{"name":"Lumière","kind":"brand","admin_email":"claire@lumiere.example","admin_locale":"fr"}"#)
            #expect(french.status == 201, "\(french.text)")
            let locale: String = try await s.scalar(
                "SELECT locale FROM email_outbox WHERE to_address = 'claire@lumiere.example' AND kind = 'invitation'")
            #expect(locale == "fr")
            let link = try #require((french["invitation"] as? [String: Any])?["accept_url"] as? String)
            let path = String(link[link.range(of: "/console/invitations/")!.lowerBound...])
            let browser = ConsoleVisitor(server: s, cookie: "", language: "fr-FR,fr;q=0.9")
            let page = try await browser.get(path)
            #expect(page.status == 200 && page.text.contains("<html lang=\"fr\""), "\(page.text)")
            let inFrench = try await browser.post(path, [("name", "Claire Martin"), ("password", TestServer.password)])
            #expect(inFrench.status == 303, "\(inFrench.text)")
            let zone: String = try await s.scalar(
                "SELECT locale || ' ' || time_zone FROM users WHERE email = 'claire@lumiere.example'")
            #expect(zone == "fr Europe/Paris")
        }
    }
}
