import Foundation
import Logging
import Mail
import Mailer
import PostgresNIO
import Storage
import Testing

/// A daemon that mails to `smtp`, with a compressed retry schedule and a quick poll.
func withMailingServer<T: Sendable>(
    _ smtp: SMTPServer, retry: [Double] = [0.5, 0.5, 1, 1, 2, 2, 2, 2, 2, 2], lease: Duration = .seconds(120),
    _ body: @Sendable (TestServer) async throws -> T
) async throws -> T {
    let url = smtp.url
    return try await withServer(
        configure: { config in
            var mail = MailerConfiguration(
                smtp: try! SMTPSettings(url: url), from: MailMessage.Mailbox("briefd@briefd.test", name: "briefd"))
            mail.pollInterval = .milliseconds(200)
            mail.retry = MailRetryPolicy(schedule: retry)
            mail.lease = lease
            config.mail = mail
        }, body)
}

@Suite("Notifications: the person who must act next hears of it, in the product and by email")
struct NotificationTests {
    @Test("the SMTP client against a real server: STARTTLS, AUTH, three messages, one refused with 550")
    func clientAgainstAiosmtpd() async throws {
        let smtp = try SMTPServer()
        let client = try SMTPClient(settings: try SMTPSettings(url: smtp.url), timeout: .seconds(8))
        func envelope(_ to: String, _ subject: String) -> SMTPEnvelope {
            let m = MailMessage(
                from: .init("briefd@briefd.test"), to: .init(to), subject: subject, date: Date(),
                messageID: UUID().uuidString + "@briefd.test", text: "Bonjour Zoé\n.leading dot", html: "<p>é</p>")
            return SMTPEnvelope(from: "briefd@briefd.test", to: to, data: m.rendered())
        }
        let outcomes = await client.send([
            envelope("a@example.com", "Été"), envelope("refuse@example.com", "x"), envelope("b@example.com", "c"),
        ])
        #expect(outcomes[0] == .sent && outcomes[2] == .sent, "\(outcomes)")
        guard case .refused(let why) = outcomes[1] else {
            Issue.record("the 550 was not a refusal: \(outcomes[1])")
            return
        }
        #expect(why.contains("550"))
        let got = smtp.messages()
        #expect(got.map { $0["rcpt_to"] as? String } == ["a@example.com", "b@example.com"])
        #expect(got.allSatisfy { $0["tls"] as? Bool == true && $0["authenticated"] as? Bool == true })
        #expect(got[0].subject == "Été" && got[0].text.contains("Bonjour Zoé\n.leading dot"), "\(got[0])")

        // The wrong password: every message waits (a set-up problem), none is refused.
        var wrong = try SMTPSettings(url: smtp.url)
        wrong.password = "wrong"
        let refused = await (try SMTPClient(settings: wrong)).send([envelope("c@example.com", "d")])
        guard case .deferred = refused[0] else {
            Issue.record("a refused login should defer: \(refused)")
            return
        }
    }

    @Test("a brand and an agency: each person who must act next gets one email in their language, linking to it")
    func whoHearsWhat() async throws {
        let smtp = try SMTPServer()
        try await withMailingServer(smtp) { s in
            let brand = try await s.organization("Brand", "brand")
            let agency = try await s.organization("Agency", "agency")
            let maya = try await s.person(brand, email: "maya@brand.test", name: "Maya Martin")
            let vic = try await s.person(agency, email: "vic@agency.test", name: "Victor Hugo")
            // The invitations were mailed, each with its link.
            let invitations = try await smtp.wait(for: 2) { $0.header("subject")?.contains("invited") == true }
            #expect(invitations.count == 2)
            #expect(invitations.allSatisfy { $0.text.contains("/console/invitations/") })
            let french = try await s.call(.PATCH, "/v1/me", token: vic.token, json: #"{"locale":"fr"}"#)
            #expect(french.status == 200, "\(french.text)")

            let project = try await s.project(brand, title: "Lancement Vélo")
            let task = try await s.addTask(brand, project, agency: agency, title: "Film 30s")
            try await s.act(brand.token, project, "issue_brief")

            // Victor must answer: one email, in French, with the link to the task's page.
            let offered = try await smtp.wait {
                $0["rcpt_to"] as? String == "vic@agency.test" && $0.subject.contains("[")
            }
            try #require(offered.count == 1, "\(smtp.messages().map(\.subject))")
            let mail = offered[0]
            #expect(mail.subject == "[Lancement Vélo] Une tâche vous est proposée : Film 30s", "\(mail.subject)")
            #expect(mail.text.contains("http://127.0.0.1:\(s.port)/console/projects/\(project)#task-\(task)"))
            #expect(mail.html.contains("/console/projects/\(project)#task-\(task)"))
            #expect(mail.header("in-reply-to") == "<project-\(project)@briefd.test>")
            #expect(mail.header("references") == "<project-\(project)@briefd.test>")
            #expect(mail.header("message-id")?.hasSuffix("@briefd.test>") == true)
            #expect(mail.header("list-unsubscribe-post") == "List-Unsubscribe=One-Click")
            #expect(mail["raw_ascii"] as? Bool == true)
            // The brand's budget (50,000.00 EUR) is nowhere in it.
            for word in ["5000000", "50000", "50 000", "Budget", "budget"] {
                #expect(!mail.text.contains(word) && !mail.html.contains(word), "\(word)")
            }
            // Nobody else was told: Maya has nothing to do yet.
            #expect(smtp.messages(to: "maya@brand.test").count == 1, "only Maya's invitation")

            // In the product: the notification, unread, then read.
            let list = try await s.call(.GET, "/v1/me/notifications", token: vic.token)
            #expect(list.status == 200, "\(list.text)")
            let items = try #require(list["data"] as? [[String: Any]])
            #expect(items.map { $0["kind"] as? String } == ["task_offered"] && list["unread"] as? Int == 1)
            let read = try await s.call(
                .POST, "/v1/me/notifications/read", token: vic.token, json: #"{"up_to":"\#(items[0]["id"]!)"}"#)
            #expect(read.status == 200 && read["unread"] as? Int == 0, "\(read.text)")
            #expect(try await s.call(.GET, "/v1/me/notifications", token: brand.token).status == 403)
            // Another person's notification cannot be marked: 404.
            let foreign = try await s.call(
                .POST, "/v1/me/notifications/read", token: maya.token, json: #"{"up_to":"\#(items[0]["id"]!)"}"#)
            #expect(foreign.status == 404, "\(foreign.text)")

            // Victor accepts and delivers himself: he is not told of his own acts; Maya must review.
            try await s.act(vic.token, project, "accept", task: task)
            try await s.act(
                vic.token, project, "submit_delivery", task: task,
                json: #"{"summary":"Cut","links":["https://cdn.example.com/cut.mp4"]}"#)
            let review = try await smtp.wait {
                $0["rcpt_to"] as? String == "maya@brand.test" && $0.subject.contains("review")
            }
            try #require(review.count == 1, "\(smtp.messages().map(\.subject))")
            #expect(review[0].subject == "[Lancement Vélo] A delivery waits for your review: Film 30s")

            // An internal note that names Victor does not reach him; a comment that names him does.
            let note = try await s.call(
                .POST, "/v1/projects/\(project)/tasks/\(task)/comments", token: maya.token,
                json: #"{"body":"@Victor Hugo INTERNAL-51 is over budget","internal":true}"#)
            #expect(note.status == 201, "\(note.text)")
            let open = try await s.call(
                .POST, "/v1/projects/\(project)/tasks/\(task)/comments", token: maya.token,
                json: #"{"body":"@vic@agency.test could the logo be larger?"}"#)
            #expect(open.status == 201, "\(open.text)")
            let mentions = try await smtp.wait {
                $0["rcpt_to"] as? String == "vic@agency.test" && $0.subject.contains("mentionné")
            }
            try #require(mentions.count == 1, "\(smtp.messages().map(\.subject))")
            #expect(mentions[0].text.contains("could the logo be larger?"))
            try await Task.sleep(for: .milliseconds(500))
            let all = smtp.messages(to: "vic@agency.test")
            #expect(!all.contains { $0.text.contains("INTERNAL-51") || $0.html.contains("INTERNAL-51") })
            let vicList = try await s.call(.GET, "/v1/me/notifications", token: vic.token)
            #expect(!vicList.text.contains("INTERNAL-51"))

            // One click: Maya's emails stop; her notifications go on in the product.
            let link = try #require(review[0].header("list-unsubscribe")?.dropFirst().dropLast())
            let path = String(link.dropFirst("http://127.0.0.1:\(s.port)".count))
            #expect(try await s.call(.GET, path).status == 200)
            let off = try await s.call(
                .POST, path, body: Array("List-Unsubscribe=One-Click".utf8),
                headers: [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(off.status == 200, "\(off.text)")
            let me = try await s.call(.GET, "/v1/me", token: maya.token)
            #expect((me["notifications"] as? [String: Any])?["email"] as? String == "off", "\(me.text)")
            #expect(try await s.call(.POST, path.dropLast(3) + "xyz").status == 404, "a forged token")

            try await s.act(brand.token, project, "request_changes", task: task, json: #"{"note":"Bigger logo"}"#)
            let changes = try await smtp.wait {
                $0["rcpt_to"] as? String == "vic@agency.test" && $0.subject.contains("Modifications")
            }
            #expect(changes.count == 1)
            try await s.act(
                vic.token, project, "submit_delivery", task: task,
                json: #"{"summary":"Cut 2","links":["https://cdn.example.com/cut2.mp4"]}"#)
            let mayaList = try await s.call(.GET, "/v1/me/notifications", token: maya.token)
            #expect((mayaList["data"] as? [[String: Any]])?.first?["kind"] as? String == "delivery_submitted")
            try await Task.sleep(for: .seconds(1))
            #expect(smtp.messages(to: "maya@brand.test").count == 2, "her invitation and the first review only")
        }
    }

    @Test("password reset: 202 for any address, one email, the link works once within the hour, sessions end")
    func passwordReset() async throws {
        let smtp = try SMTPServer()
        try await withMailingServer(smtp) { s in
            let brand = try await s.organization("Brand", "brand")
            let maya = try await s.person(brand, email: "maya@brand.test", name: "Maya")
            let unknown = try await s.call(.POST, "/v1/password-resets", json: #"{"email":"nobody@brand.test"}"#)
            let known = try await s.call(.POST, "/v1/password-resets", json: #"{"email":"Maya@brand.test"}"#)
            #expect(unknown.status == 202 && known.status == 202 && unknown.text == known.text)
            let mails = try await smtp.wait { $0.subject.contains("Reset") }
            try #require(mails.count == 1)
            #expect(mails[0]["rcpt_to"] as? String == "maya@brand.test")
            #expect(mails[0].header("list-unsubscribe") == nil, "a reset is always sent")
            let text = mails[0].text
            let token = try #require(
                text.range(of: "/console/password-reset/").map {
                    String(text[$0.upperBound...].prefix { !$0.isWhitespace })
                })
            let weak = try await s.call(
                .POST, "/v1/password-resets/complete", json: #"{"token":"\#(token)","password":"short"}"#)
            #expect(weak.status == 422, "\(weak.text)")
            let done = try await s.call(
                .POST, "/v1/password-resets/complete", json: #"{"token":"\#(token)","password":"a new long password"}"#)
            #expect(done.status == 200, "\(done.text)")
            #expect(try await s.call(.GET, "/v1/me", token: maya.token).status == 401, "the old session ended")
            let again = try await s.call(
                .POST, "/v1/password-resets/complete", json: #"{"token":"\#(token)","password":"another long one"}"#)
            #expect(again.status == 410 && again.code == "gone", "\(again.text)")
            #expect(try await s.signIn("maya@brand.test", "a new long password").status == 201)
            // The link's secret is gone from the outbox once the email is settled.
            let kept = try await s.sql("SELECT content::text FROM email_outbox WHERE kind = 'password_reset'")
            #expect(try kept.allSatisfy { !(try $0.decode(String.self)).contains(token) })
        }
    }

    @Test("mail outlives its server: down at first, then up, each email arrives once; a claim that dies is taken again")
    func serverDownThenUp() async throws {
        let smtp = try SMTPServer()
        smtp.stop()
        try await withMailingServer(smtp, lease: .seconds(10)) { s in
            let brand = try await s.organization("Brand", "brand")
            _ = try await s.person(brand, email: "maya@brand.test", name: "Maya")
            _ = try await s.person(brand, email: "later@brand.test", name: "Later")
            try await Task.sleep(for: .seconds(2))
            let attempts = try await s.sql("SELECT count(*)::int FROM email_attempts WHERE outcome = 'deferred'")
            #expect(try attempts[0].decode(Int.self) >= 1, "the mailer tried and deferred")
            // A mailer that claimed an email and died: its lease runs out and the running mailer sends it.
            try await s.sql(
                """
                INSERT INTO email_outbox (id, kind, to_address, locale, content, next_attempt_at, created_at,
                                          lease_token)
                VALUES (gen_random_uuid(), 'invitation', 'orphan@brand.test', 'en',
                        '{"organization":"Brand","secret_path":"/console/invitations/x"}', now() + interval '2 s',
                        now(), gen_random_uuid())
                """)
            try smtp.start()
            let maya = try await smtp.wait { $0["rcpt_to"] as? String == "maya@brand.test" }
            let orphan = try await smtp.wait { $0["rcpt_to"] as? String == "orphan@brand.test" }
            try await Task.sleep(for: .seconds(2))
            #expect(maya.count == 1 && orphan.count == 1, "\(smtp.messages().map { $0["rcpt_to"] })")
            // 451 for one recipient: retried on its schedule, then failed; the others were sent meanwhile.
            let later = try await s.sql(
                "SELECT status, attempts FROM email_outbox WHERE to_address = 'later@brand.test'")
            let (status, tries) = try later[0].decode((String, Int).self)
            #expect(tries >= 2 && (status == "pending" || status == "failed"), "\(status) \(tries)")
        }
    }

    @Test("the console: the unread count in the header, the Notifications page, mark read; a reset from its link")
    func consolePages() async throws {
        let smtp = try SMTPServer()
        try await withMailingServer(smtp) { s in
            let brand = try await s.organization("Brand", "brand")
            let agency = try await s.organization("Agency", "agency")
            let vic = try await s.person(agency, email: "vic@agency.test", name: "Victor")
            let browser = ConsoleVisitor(server: s, cookie: "briefd_session=\(vic.token)")
            let quiet = try await browser.get("/console")
            #expect(quiet.status == 200 && !quiet.text.contains("unread notification"), "no badge yet")
            let project = try await s.project(brand, title: "Spring <launch>")
            let task = try await s.addTask(brand, project, agency: agency, title: "Film")
            try await s.act(brand.token, project, "issue_brief")

            let home = try await browser.get("/console")
            #expect(home.text.contains("aria-label=\"1 unread notification\""), "the header's count, in the singular")
            let page = try await browser.get("/console/notifications")
            #expect(page.status == 200)
            #expect(page.text.contains("A task is offered to you"), "\(page.text)")
            #expect(page.text.contains("href=\"/console/projects/\(project)#task-\(task)\""))
            #expect(page.text.contains("Spring &lt;launch&gt;") && !page.text.contains("Spring <launch>"))
            let newest = try #require(ConsoleVisitor.hidden("up_to", in: page.text))
            let forged = try await browser.post(
                "/console/notifications/read", [("csrf", "wrong"), ("up_to", newest)])
            #expect(forged.status == 403)
            let csrf = try #require(ConsoleVisitor.hidden("csrf", in: page.text))
            let read = try await browser.post("/console/notifications/read", [("csrf", csrf), ("up_to", newest)])
            #expect(read.status == 303, "\(read.text)")
            #expect(!(try await browser.get("/console")).text.contains("unread notification"))
            // A key has no notifications: a clear page, not a crash.
            let (keyBrowser, _) = try await s.signIn(agency.token)
            #expect(try await keyBrowser.get("/console/notifications").status == 403)

            // Forgot the password: the page asks for the email, the email's link sets a new one, sessions end.
            let anonymous = ConsoleVisitor(server: s, cookie: "")
            #expect(try await anonymous.get("/console").text.contains("/console/password-reset"))
            let asked = try await anonymous.post("/console/password-reset", [("email", "vic@agency.test")])
            #expect(asked.status == 303)
            let unknown = try await anonymous.post("/console/password-reset", [("email", "nobody@agency.test")])
            #expect(
                unknown.status == 303
                    && unknown.headers.first(name: "Location")
                        == asked.headers.first(
                            name: "Location"),
                "the same answer for an unknown address")
            let reset = try #require(
                try await smtp.wait { $0["rcpt_to"] as? String == "vic@agency.test" && $0.subject.contains("Reset") }
                    .first)
            let link = try #require(
                reset.text.split(separator: "\n").first { $0.contains("/console/password-reset/") })
            let path = String(link[link.range(of: "/console/password-reset/")!.lowerBound...])
                .trimmingCharacters(in: .whitespaces)
            let form = try await anonymous.get(path)
            #expect(form.status == 200 && form.text.contains("Set the password"), "\(form.text)")
            let weak = try await anonymous.post(path, [("password", "short")])
            #expect(weak.status == 422)
            let done = try await anonymous.post(path, [("password", "a brand new long password")])
            #expect(done.status == 200 && done.text.contains("Your password is changed"), "\(done.text)")
            #expect(try await anonymous.post(path, [("password", "a brand new long password")]).status == 410)
            #expect((try await browser.get("/console/projects")).text.contains("Your session has ended"))
            #expect(try await s.signIn("vic@agency.test", "a brand new long password").status == 201)
        }
    }

    @Test("a deadline the engine fires (a timer, no person acting) is mailed to the organization that must answer")
    func timerEventsAreMailed() async throws {
        let smtp = try SMTPServer()
        try await withMailingServer(smtp) { s in
            let brand = try await s.organization("Brand", "brand")
            let agency = try await s.organization("Agency", "agency")
            _ = try await s.person(agency, email: "vic@agency.test", name: "Victor")
            try await DeadlineAPITests.serviceLevels(s, brand, #"{"response_sla":"PT2S"}"#)
            let project = try await s.project(brand, title: "Late")
            let task = try await s.addTask(brand, project, agency: agency, title: "Film")
            try await s.act(brand.token, project, "issue_brief")
            let overdue = try await smtp.wait { $0.subject.contains("Answer overdue") }
            try #require(overdue.count == 1, "\(smtp.messages().map(\.subject))")
            #expect(overdue[0]["rcpt_to"] as? String == "vic@agency.test")
            #expect(overdue[0].text.contains("/console/projects/\(project)#task-\(task)"))
        }
    }
}
