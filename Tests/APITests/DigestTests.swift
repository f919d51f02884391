import Foundation
import Mail
import Mailer
import PostgresNIO
import Storage
import Testing

@Suite("The daily digest: 08:00 in each person's time zone, once across daemons")
struct DigestTests {
    /// The next 08:00 in `zone` strictly after `after`, computed with Foundation's calendar (the database computes
    /// it in SQL: the two must agree).
    static func next0800(_ zone: String, after: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        var day = calendar.startOfDay(for: after)
        while true {
            let candidate = calendar.date(bySettingHour: 8, minute: 0, second: 0, of: day)!
            if candidate > after { return candidate }
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
    }

    @Test("the schedule: the next 08:00 of the person's zone, across daylight saving; set, moved and removed")
    func schedule() async throws {
        try await withServer { s in
            let iso = ISO8601DateFormatter()
            let cases: [(String, String, String)] = [
                ("Europe/Paris", "2026-12-03T06:59:00Z", "2026-12-03T07:00:00Z"),
                ("Europe/Paris", "2026-12-03T07:00:00Z", "2026-12-04T07:00:00Z"),
                ("America/New_York", "2026-12-03T12:00:00Z", "2026-12-03T13:00:00Z"),
                // Paris moves to summer time on 29 March 2026: 08:00 is then 06:00 UTC.
                ("Europe/Paris", "2026-03-28T08:00:00Z", "2026-03-29T06:00:00Z"),
                ("Asia/Tokyo", "2026-12-02T23:00:00Z", "2026-12-03T23:00:00Z"),
                ("Not/AZone", "2026-12-03T09:00:00Z", "2026-12-04T08:00:00Z"),
            ]
            for (zone, after, expected) in cases {
                let got = try await s.scalar(
                    "SELECT briefd_next_digest(\(zone), \(iso.date(from: after)!))", as: Date.self)
                #expect(got == iso.date(from: expected)!, "\(zone) after \(after): \(got)")
                if TimeZone(identifier: zone) != nil {
                    #expect(got == Self.next0800(zone, after: iso.date(from: after)!), "\(zone): Foundation agrees")
                }
            }

            let brand = try await s.organization("Brand", "brand")
            let maya = try await s.person(brand, email: "maya@brand.test", name: "Maya")
            func due() async throws -> Date? {
                try await s.sql("SELECT due_at FROM digests WHERE user_id = \(UUID(uuidString: maya.userID)!)")
                    .first?.decode(Date.self)
            }
            #expect(try await due() == nil, "immediate: no digest")
            let daily = try await s.call(
                .PATCH, "/v1/me", token: maya.token,
                json: #"{"time_zone":"Europe/Paris","notifications":{"email":"daily"}}"#)
            #expect(daily.status == 200 && daily.text.contains(#""daily""#), "\(daily.text)")
            let paris = try #require(try await due())
            #expect(abs(paris.timeIntervalSince(Self.next0800("Europe/Paris", after: Date()))) < 2, "\(paris)")
            _ = try await s.call(.PATCH, "/v1/me", token: maya.token, json: #"{"time_zone":"Asia/Tokyo"}"#)
            let tokyo = try #require(try await due())
            #expect(abs(tokyo.timeIntervalSince(Self.next0800("Asia/Tokyo", after: Date()))) < 2, "\(tokyo)")
            _ = try await s.call(.PATCH, "/v1/me", token: maya.token, json: #"{"notifications":{"email":"off"}}"#)
            #expect(try await due() == nil, "off: the schedule is removed")
        }
    }

    @Test("two people in two time zones: one digest each across two daemons, what waits on them, none when nothing")
    func onceAcrossDaemons() async throws {
        let smtp = try SMTPServer()
        try await withMailingServer(smtp) { s in
            let brand = try await s.organization("Brand", "brand")
            let agency = try await s.organization("Agency", "agency")
            let idle = try await s.organization("Idle agency", "agency")
            let maya = try await s.person(brand, email: "maya@brand.test", name: "Maya")
            let vic = try await s.person(agency, email: "vic@agency.test", name: "Victor")
            let lea = try await s.person(idle, email: "lea@idle.test", name: "Léa")
            for (person, zone, locale) in [
                (maya, "Europe/Paris", "en"), (vic, "America/New_York", "fr"), (lea, "Asia/Tokyo", "en"),
            ] {
                let r = try await s.call(
                    .PATCH, "/v1/me", token: person.token,
                    json: #"{"time_zone":"\#(zone)","locale":"\#(locale)","notifications":{"email":"daily"}}"#)
                try #require(r.status == 200, "\(r.text)")
            }
            // Two projects: one task offered to the agency (Victor's to answer), one declined (Maya's to give away).
            let offered = try await s.project(brand, title: "Lancement Vélo")
            let film = try await s.addTask(brand, offered, agency: agency, title: "Film 30s")
            try await s.act(brand.token, offered, "issue_brief")
            let declined = try await s.project(brand, title: "Salon 2027")
            let stand = try await s.addTask(brand, declined, agency: agency, title: "Stand")
            try await s.act(brand.token, declined, "issue_brief")
            try await s.act(agency.token, declined, "decline", task: stand, json: #"{"reason":"busy"}"#)
            try await Task.sleep(for: .seconds(1))
            #expect(smtp.messages().allSatisfy { $0.subject.contains("invited") }, "daily: no email at once")

            // Each digest is scheduled at 08:00 of its person's zone; then 08:00 comes for all three at once.
            let now = Date()
            for (person, zone) in [(maya, "Europe/Paris"), (vic, "America/New_York"), (lea, "Asia/Tokyo")] {
                let due = try await s.scalar(
                    "SELECT due_at FROM digests WHERE user_id = \(UUID(uuidString: person.userID)!)", as: Date.self)
                #expect(abs(due.timeIntervalSince(Self.next0800(zone, after: now))) < 60, "\(zone): \(due)")
            }
            try await withServer(
                on: s.url,
                configure: { config in
                    var mail = MailerConfiguration(
                        smtp: try! SMTPSettings(url: smtp.url),
                        from: MailMessage.Mailbox("briefd@briefd.test", name: "briefd"))
                    mail.pollInterval = .milliseconds(100)
                    config.mail = mail
                }
            ) { second in
                try await second.sql("UPDATE digests SET due_at = now()")
                let digests = try await smtp.wait(for: 2) { $0.subject.hasPrefix("briefd") }
                try await Task.sleep(for: .seconds(2))
                #expect(digests.count == 2, "\(smtp.messages().map(\.subject))")
            }
            let toMaya = smtp.messages(to: "maya@brand.test").filter { $0.subject.hasPrefix("briefd") }
            let toVic = smtp.messages(to: "vic@agency.test").filter { $0.subject.hasPrefix("briefd") }
            try #require(toMaya.count == 1 && toVic.count == 1, "\(smtp.messages().map(\.subject))")
            #expect(smtp.messages(to: "lea@idle.test").allSatisfy { !$0.subject.hasPrefix("briefd") }, "nothing waits")
            #expect(toMaya[0].subject == "briefd: 1 step waits on you", "\(toMaya[0].subject)")
            #expect(toMaya[0].text.contains("/console/projects/\(declined)#task-\(stand)"), "\(toMaya[0].text)")
            #expect(!toMaya[0].text.contains(film))
            #expect(toVic[0].subject == "briefd : 1 étape vous attend", "\(toVic[0].subject)")
            #expect(toVic[0].text.contains("« Film 30s » de « Lancement Vélo »"), "\(toVic[0].text)")
            #expect(toVic[0].text.contains("/console/projects/\(offered)#task-\(film)"))
            #expect(!toVic[0].text.contains("Salon") && !toVic[0].text.contains("50 000"), "\(toVic[0].text)")
            #expect(toVic[0].header("list-unsubscribe-post") == "List-Unsubscribe=One-Click")
            // Every schedule moved to its zone's next 08:00, Léa's too.
            for (person, zone) in [(maya, "Europe/Paris"), (vic, "America/New_York"), (lea, "Asia/Tokyo")] {
                let due = try await s.scalar(
                    "SELECT due_at FROM digests WHERE user_id = \(UUID(uuidString: person.userID)!)", as: Date.self)
                #expect(abs(due.timeIntervalSince(Self.next0800(zone, after: Date()))) < 60, "\(zone): \(due)")
            }
        }
    }
}
