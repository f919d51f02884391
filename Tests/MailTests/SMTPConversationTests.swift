import Foundation
import Testing

@testable import Mail
@testable import Mailer

/// The SMTP conversation without I/O: the commands it sends for the replies it gets, and each message's outcome.
@Suite("SMTP: the conversation as a state machine")
struct SMTPConversationTests {
    static let envelopes = [
        SMTPEnvelope(from: "briefd@example.com", to: "a@example.com", data: Array("Subject: a\r\n\r\nA\r\n".utf8)),
        SMTPEnvelope(from: "briefd@example.com", to: "refused@example.com", data: Array("x".utf8)),
        SMTPEnvelope(from: "briefd@example.com", to: "c@example.com", data: Array(".dot\n".utf8)),
    ]

    static func reply(_ code: Int, _ lines: String...) -> SMTPReply { SMTPReply(code: code, lines: lines) }

    @Test("STARTTLS, EHLO again, AUTH PLAIN, three messages, one recipient refused with 550 and the others sent")
    func wholeConversation() {
        var c = SMTPConversation(
            envelopes: Self.envelopes, security: .startTLS, username: "u", password: "p", clientName: "test")
        #expect(c.received(Self.reply(220, "hello")) == .send("EHLO test"))
        #expect(c.received(Self.reply(250, "mx", "STARTTLS", "AUTH PLAIN LOGIN")) == .send("STARTTLS"))
        #expect(c.received(Self.reply(220, "go ahead")) == .startTLS)
        #expect(c.tlsEstablished() == .send("EHLO test"))
        let plain = Data([0] + Array("u".utf8) + [0] + Array("p".utf8)).base64EncodedString()
        #expect(c.received(Self.reply(250, "mx", "AUTH PLAIN LOGIN")) == .send("AUTH PLAIN \(plain)"))
        #expect(c.received(Self.reply(235, "ok")) == .send("MAIL FROM:<briefd@example.com>"))
        #expect(c.received(Self.reply(250, "ok")) == .send("RCPT TO:<a@example.com>"))
        #expect(c.received(Self.reply(250, "ok")) == .send("DATA"))
        #expect(c.received(Self.reply(354, "go")) == .sendData(0))
        #expect(c.received(Self.reply(250, "queued")) == .send("MAIL FROM:<briefd@example.com>"))
        #expect(c.received(Self.reply(250, "ok")) == .send("RCPT TO:<refused@example.com>"))
        #expect(c.received(Self.reply(550, "no such user")) == .send("RSET"))
        #expect(c.received(Self.reply(250, "ok")) == .send("MAIL FROM:<briefd@example.com>"))
        #expect(c.received(Self.reply(250, "ok")) == .send("RCPT TO:<c@example.com>"))
        #expect(c.received(Self.reply(250, "ok")) == .send("DATA"))
        #expect(c.received(Self.reply(354, "go")) == .sendData(2))
        #expect(c.dataBytes(2) == Array("..dot\r\n.\r\n".utf8), "a leading dot is doubled, a bare LF becomes CRLF")
        #expect(c.received(Self.reply(451, "try later")) == .send("QUIT"))
        #expect(c.received(Self.reply(221, "bye")) == .close)
        #expect(c.outcomes[0] == .sent)
        #expect(c.outcomes[1] == .refused("RCPT TO: 550 no such user"))
        #expect(c.outcomes[2] == .deferred("the message: 451 try later"))
    }

    @Test("a server without STARTTLS is never sent credentials or mail: everything waits")
    func noStartTLS() {
        var c = SMTPConversation(envelopes: Self.envelopes, security: .startTLS, username: "u", password: "p")
        _ = c.received(Self.reply(220, "hello"))
        #expect(c.received(Self.reply(250, "mx", "AUTH PLAIN")) == .close)
        #expect(c.outcomes.allSatisfy { if case .deferred = $0 { true } else { false } })
    }

    @Test("a refused login or sender defers every message (the set-up's fault, not the recipient's)")
    func setUpFailures() {
        var c = SMTPConversation(envelopes: Self.envelopes, security: .none, username: "u", password: "bad")
        _ = c.received(Self.reply(220, "hello"))
        _ = c.received(Self.reply(250, "mx", "AUTH LOGIN"))
        #expect(c.received(Self.reply(334, "UGFzc3dvcmQ6")) == .send(Data("bad".utf8).base64EncodedString()))
        #expect(c.received(Self.reply(535, "bad credentials")) == .close)
        #expect(c.outcomes.allSatisfy { $0 == .deferred("authentication: 535 bad credentials") })

        var d = SMTPConversation(envelopes: Self.envelopes, security: .none, username: nil, password: nil)
        _ = d.received(Self.reply(220, "hello"))
        #expect(d.received(Self.reply(250, "mx")) == .send("MAIL FROM:<briefd@example.com>"))
        #expect(d.received(Self.reply(553, "sender refused")) == .close)
        #expect(d.outcomes.allSatisfy { if case .deferred = $0 { true } else { false } })
    }

    @Test("replies: multi-line, malformed, too long")
    func replies() throws {
        var r = SMTPReplyReader()
        #expect(try r.read("250-mx.example.com") == nil)
        #expect(try r.read("250-STARTTLS") == nil)
        #expect(
            try r.read("250 SIZE 1000") == SMTPReply(code: 250, lines: ["mx.example.com", "STARTTLS", "SIZE 1000"]))
        #expect(try r.read("220") == SMTPReply(code: 220, lines: [""]))
        #expect(throws: SMTPReplyReader.Malformed.self) { try r.read("hello") }
        var s = SMTPReplyReader()
        _ = try s.read("250-a")
        #expect(throws: SMTPReplyReader.Malformed.self) { try s.read("251 b") }
        var t = SMTPReplyReader()
        for _ in 0..<100 { _ = try t.read("250-x") }
        #expect(throws: SMTPReplyReader.Malformed.self) { try t.read("250-x") }
    }

    @Test("settings: STARTTLS by default, tls=none only on loopback, smtps, credentials decoded, never logged")
    func settings() throws {
        let s = try SMTPSettings(url: "smtp://me%40x:p%2Fw@mail.example.com")
        #expect(s.security == .startTLS && s.port == 587 && s.username == "me@x" && s.password == "p/w")
        #expect(!s.description.contains("p/w") && !s.description.contains("p%2Fw"))
        #expect(try SMTPSettings(url: "smtps://mail.example.com").port == 465)
        #expect(try SMTPSettings(url: "smtp://127.0.0.1:2525?tls=none").security == .none)
        #expect(throws: SMTPSettings.Invalid.self) { try SMTPSettings(url: "smtp://mail.example.com?tls=none") }
        #expect(throws: SMTPSettings.Invalid.self) { try SMTPSettings(url: "http://mail.example.com") }
        #expect(throws: SMTPSettings.Invalid.self) { try SMTPSettings(url: "smtp://mail.example.com?x=1") }
        #expect(throws: SMTPSettings.Invalid.self) { try SMTPSettings(url: "smtp://u@mail.example.com") }
    }

    @Test("a message: no header injection, encoded words, base64 parts, threading and one-click unsubscribe")
    func message() {
        let m = MailMessage(
            from: .init("briefd@example.com", name: "briefd"), to: .init("a@example.com", name: "Zoé"),
            subject: "[Été] Bcc: x\r\nBcc: evil@example.com", date: Date(timeIntervalSince1970: 0), messageID: "1@ex",
            thread: "project-2@ex", unsubscribe: "https://b.example/v1/unsubscribe/t", text: "é", html: "<p>é</p>")
        let text = String(decoding: m.rendered(boundary: "B"), as: UTF8.self)
        let headers = text.components(separatedBy: "\r\n\r\n")[0]
        #expect(!headers.contains("\r\nBcc:"), "a line break in a title cannot add a header")
        #expect(headers.contains("Subject: =?utf-8?b?"))
        #expect(headers.contains("To: =?utf-8?b?\(Data("Zoé".utf8).base64EncodedString())?= <a@example.com>"))
        #expect(headers.contains("In-Reply-To: <project-2@ex>\r\nReferences: <project-2@ex>"))
        #expect(headers.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"))
        #expect(headers.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        #expect(text.contains(Data("é".utf8).base64EncodedString()))
        #expect(text.utf8.allSatisfy { $0 < 0x80 }, "7-bit throughout")
    }

    @Test("retries: 5xx fails at once, a 4xx waits the schedule's next delay, the schedule's end fails")
    func retries() {
        let policy = MailRetryPolicy(schedule: [10, 20])
        let now = Date(timeIntervalSince1970: 1_000)
        #expect(policy.settlement(.sent, attempts: 0, now: now) == .sent)
        #expect(policy.settlement(.refused("550"), attempts: 0, now: now) == .failed("550"))
        #expect(policy.settlement(.deferred("451"), attempts: 1, now: now) == .retry(at: now + 20, "451"))
        #expect(policy.settlement(.deferred("451"), attempts: 2, now: now) == .failed("gave up after 3 attempts: 451"))
    }

    @Test("every email kind has words in English and French")
    func catalogue() {
        let kinds = [
            "task_offered", "delivery_due", "delivery_submitted", "changes_requested", "task_declined",
            "project_step", "response_overdue", "due_soon", "overdue", "escalated", "review_overdue", "reminder",
            "mention",
        ]
        let content = ["project_title": "P", "task_title": "T", "organization": "O"]
        for locale in ["en", "fr"] {
            let c = MailCatalogue.texts(locale)
            let fallback = c.email("notification", content)
            for kind in kinds {
                let words = c.email("notification", content.merging(["kind": kind]) { $1 })
                #expect(words != fallback && words.subject.contains("[P]"), "\(locale) \(kind)")
            }
            #expect(c.email("invitation", content) != c.email("password_reset", content))
        }
        #expect(MailCatalogue.texts("fr").email("notification", ["kind": "overdue"]).subject.contains("retard"))
    }
}
