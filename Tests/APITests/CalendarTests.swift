import Foundation
import Testing

@Suite("The calendar feed: a secret .ics of the due dates to act on, read by a real parser")
struct CalendarTests {
    /// The feed's events as Python's `icalendar` reads them: uid, start day, sequence, status, summary, url.
    static func parse(_ ics: String) throws -> [[String: Any]] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("briefd-\(UUID().uuidString).ics")
        try ics.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import icalendar, json, sys
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            assert cal['VERSION'] == '2.0' and cal['PRODID'], 'a calendar names its version and product'
            out = []
            for e in cal.walk('VEVENT'):
                for key in ('UID', 'DTSTAMP', 'DTSTART', 'DTEND'):
                    assert key in e, key
                out.append({'uid': str(e['UID']), 'start': e['DTSTART'].dt.isoformat(),
                            'end': e['DTEND'].dt.isoformat(),
                            'sequence': int(e['SEQUENCE']), 'status': str(e['STATUS']), 'summary': str(e['SUMMARY']),
                            'url': str(e['URL'])})
            print(json.dumps(out))
            """
        let (status, output) = try runVenvTool("python", ["-c", script, file.path])
        try #require(status == 0, "icalendar refused the feed: \(output)\n\(ics)")
        return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
    }

    @Test("one event per due date, stable UID, SEQUENCE raised when the date moves, CANCELLED when the wait ends")
    func feed() async throws {
        try await withServer { s in
            let brand = try await s.organization("Brand", "brand")
            let agency = try await s.organization("Agency", "agency")
            let other = try await s.organization("Other agency", "agency")
            let maya = try await s.person(brand, email: "maya@brand.test", name: "Maya")
            let vic = try await s.person(agency, email: "vic@agency.test", name: "Victor")
            let olga = try await s.person(other, email: "olga@other.test", name: "Olga")
            let project = try await s.project(brand, title: "Lancement, Vélo; 2031")
            let task = try await s.addTask(brand, project, agency: agency, title: "Film 30s")
            let hidden = try await s.addTask(brand, project, agency: other, title: "Affiches")
            try await s.act(brand.token, project, "set_due_date", task: task, json: #"{"due_date":"2031-06-30"}"#)
            try await s.act(brand.token, project, "set_due_date", task: hidden, json: #"{"due_date":"2031-05-01"}"#)
            try await s.act(brand.token, project, "issue_brief")

            #expect(try await s.call(.POST, "/v1/me/calendar", token: agency.token).status == 403, "a key has none")
            let created = try await s.call(.POST, "/v1/me/calendar", token: vic.token)
            try #require(created.status == 201, "\(created.text)")
            let url = try #require(created["url"] as? String)
            #expect(url.hasPrefix("http://127.0.0.1:\(s.port)/v1/calendar/") && url.hasSuffix(".ics"))
            let path = String(url.dropFirst("http://127.0.0.1:\(s.port)".count))
            func events(_ path: String) async throws -> [[String: Any]] {
                let r = try await s.call(.GET, path)
                try #require(r.status == 200, "\(r.text)")
                #expect(r.headers.first(name: "Content-Type")?.hasPrefix("text/calendar") == true)
                #expect(r.text.contains("\r\n") && r.text.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 75 })
                return try Self.parse(r.text)
            }
            let first = try await events(path)
            try #require(first.count == 1, "only Victor's agency's task: \(first)")
            let uid = "task-\(task)@127.0.0.1"
            #expect(first[0]["uid"] as? String == uid)
            #expect(first[0]["start"] as? String == "2031-06-30" && first[0]["end"] as? String == "2031-07-01")
            #expect(first[0]["status"] as? String == "CONFIRMED")
            #expect(first[0]["summary"] as? String == "Film 30s · Lancement, Vélo; 2031", "escaped, read back")
            #expect((first[0]["url"] as? String)?.hasSuffix("/console/projects/\(project)#task-\(task)") == true)

            // The brand moves the date: the same event, later, with a higher SEQUENCE.
            try await s.act(brand.token, project, "set_due_date", task: task, json: #"{"due_date":"2031-07-15"}"#)
            let moved = try await events(path)
            #expect(moved.count == 1 && moved[0]["uid"] as? String == uid)
            #expect(moved[0]["start"] as? String == "2031-07-15")
            let (before, after) = (first[0]["sequence"] as? Int ?? 0, moved[0]["sequence"] as? Int ?? 0)
            #expect(after > before, "\(before) → \(after)")

            // The agency declines: its wait is over (CANCELLED, raised again); now it is the brand's to act on.
            try await s.act(agency.token, project, "decline", task: task, json: #"{"reason":"busy"}"#)
            let ended = try await events(path)
            #expect(ended.count == 1 && ended[0]["status"] as? String == "CANCELLED", "\(ended)")
            #expect((ended[0]["sequence"] as? Int ?? 0) > after)
            let mayaFeed = try await s.call(.POST, "/v1/me/calendar", token: maya.token)
            let brandPath = String((mayaFeed["url"] as? String ?? "").dropFirst("http://127.0.0.1:\(s.port)".count))
            let brandEvents = try await events(brandPath)
            let brandTask = try #require(brandEvents.first { $0["uid"] as? String == uid })
            #expect(brandTask["status"] as? String == "CONFIRMED", "the brand must give it to another agency")

            // Olga's agency sees its own task only, never Victor's.
            let olgaFeed = try await s.call(.POST, "/v1/me/calendar", token: olga.token)
            let olgaPath = String((olgaFeed["url"] as? String ?? "").dropFirst("http://127.0.0.1:\(s.port)".count))
            #expect(try await events(olgaPath).map { $0["uid"] as? String } == ["task-\(hidden)@127.0.0.1"])

            // A new URL replaces the old; revoking stops it; a removed member's feed stops too.
            let again = try await s.call(.POST, "/v1/me/calendar", token: vic.token)
            #expect(try await s.call(.GET, path).status == 404, "the old URL stopped")
            let newPath = String((again["url"] as? String ?? "").dropFirst("http://127.0.0.1:\(s.port)".count))
            #expect(try await s.call(.DELETE, "/v1/me/calendar", token: vic.token).status == 204)
            #expect(try await s.call(.GET, newPath).status == 404)
            #expect(try await s.call(.DELETE, "/v1/me/calendar", token: vic.token).status == 404)
            let removed = try await s.call(.DELETE, "/v1/members/\(olga.userID)", token: other.token)
            #expect(removed.status == 204, "\(removed.text)")
            #expect(try await s.call(.GET, olgaPath).status == 404, "a removed member's feed stops")
        }
    }
}
