import Foundation
import Testing

/// Deadlines against a live daemon and a real PostgreSQL, in real time with service levels of seconds.
@Suite("Deadlines, reminders and escalation")
struct DeadlineAPITests {
    static func serviceLevels(_ s: TestServer, _ brand: Org, _ body: String) async throws {
        let r = try await s.call(.PATCH, "/v1/organizations/me", token: brand.token, json: body)
        try #require(r.status == 200, "\(r.text)")
    }

    @Test("service levels: set, read back, and bad values refused with nothing changed")
    func serviceLevelsInput() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            try await Self.serviceLevels(
                s, brand, #"{"timezone":"Europe/Paris","response_sla":"PT2S","review_sla":"P3D","due_soon":"PT36H"}"#)
            let me = try await s.call(.GET, "/v1/organizations/me", token: brand.token)
            let org = try #require(me["organization"] as? [String: Any])
            #expect(org["timezone"] as? String == "Europe/Paris")
            #expect(org["response_sla"] as? String == "PT2S")
            #expect(org["review_sla"] as? String == "P3D")
            #expect(org["due_soon"] as? String == "P1DT12H")
            #expect(org["escalate_after"] as? String == "P1D")
            for bad in [
                #"{"response_sla":"PT0S"}"#, #"{"response_sla":"soon"}"#, #"{"timezone":"Mars/Olympus"}"#,
                #"{"review_sla":"P1Y"}"#, #"{"unknown":"x"}"#,
            ] {
                let r = try await s.call(.PATCH, "/v1/organizations/me", token: brand.token, json: bad)
                #expect(r.status == 422, "\(bad): \(r.text)")
            }
            let manager = try await s.key(brand, role: "manager")
            let forbidden = try await s.call(
                .PATCH, "/v1/organizations/me", token: manager, json: #"{"due_soon":"PT1H"}"#)
            #expect(forbidden.status == 403)
            let again = try await s.call(.GET, "/v1/organizations/me", token: brand.token)
            #expect((again["organization"] as? [String: Any])?["response_sla"] as? String == "PT2S")
        }
    }

    @Test("an unanswered task produces exactly one task.response_overdue, verified; none when accepted in time")
    func responseOverdue() async throws {
        try await withReceiver { receiver, port in
            try await withServer { s in
                let brand = try await s.organization("Velo", "brand")
                let agency = try await s.organization("Studio", "agency")
                let hook = try await s.endpoint(
                    brand, url: "http://127.0.0.1:\(port)/ok", types: ["task.response_overdue"])
                try await Self.serviceLevels(s, brand, #"{"response_sla":"PT2S"}"#)
                let late = try await s.project(brand, title: "Late")
                let lateTask = try await s.addTask(brand, late, agency: agency, title: "Film")
                let prompt = try await s.project(brand, title: "Prompt")
                let promptTask = try await s.addTask(brand, prompt, agency: agency, title: "Posters")
                try await s.act(brand.token, late, "issue_brief")
                try await s.act(brand.token, prompt, "issue_brief")
                try await s.act(agency.token, prompt, "accept", task: promptTask)

                let got = try await receiver.wait(seconds: 10) { $0.count >= 1 }
                try await Task.sleep(for: .seconds(3))  // anything more would arrive by now
                let all = receiver.all("/ok")
                #expect(all.count == 1, "\(all.map(\.body))")
                let event = try #require(got.first)
                #expect(event.type == "task.response_overdue")
                let data = try #require(event.json["data"] as? [String: Any])
                #expect(data["task_id"] as? String == lateTask)
                #expect((data["actor"] as? [String: Any])?["side"] as? String == "system")
                _ = try verifyWithReferenceLibrary(secret: hook.secret, deliveries: all)

                // Recorded once in the history, with the state unchanged, and the version untouched.
                let history = try await s.history(brand.token, late)
                #expect(history.filter { $0["action"] as? String == "response_overdue" }.count == 1)
                let view = try await s.call(.GET, "/v1/projects/\(late)", token: brand.token)
                #expect(view["version"] as? Int == 3)
                let promptHistory = try await s.history(brand.token, prompt)
                #expect(promptHistory.allSatisfy { $0["action"] as? String != "response_overdue" })
                let task = try #require((view["tasks"] as? [[String: Any]])?.first)
                #expect(task["waiting_on"] as? String == "agency")

                // The agency's inbox lists the late task, overdue; the brand's has nothing to do.
                let inbox = try await s.call(.GET, "/v1/inbox?overdue=true", token: agency.token)
                let items = try #require(inbox["data"] as? [[String: Any]])
                #expect(items.map { $0["task_id"] as? String } == [lateTask])
                #expect(items.first?["actions"] as? [String] == ["accept", "decline"])
                let brandInbox = try await s.call(.GET, "/v1/inbox", token: brand.token)
                #expect((brandInbox["data"] as? [Any])?.isEmpty == true)
                let overdueProjects = try await s.call(.GET, "/v1/projects?overdue=true", token: brand.token)
                #expect((overdueProjects["data"] as? [[String: Any]])?.map { $0["id"] as? String } == [late])
            }
        }
    }

    @Test("a late delivery: reminder, overdue, escalation in that order; nothing more once delivered")
    func lateDelivery() async throws {
        try await withReceiver { receiver, port in
            try await withServer { s in
                let brand = try await s.organization("Velo", "brand")
                let agency = try await s.organization("Studio", "agency")
                _ = try await s.endpoint(
                    agency, url: "http://127.0.0.1:\(port)/ok",
                    types: ["task.due_soon", "task.overdue", "task.escalated", "task.review_overdue"])
                try await Self.serviceLevels(
                    s, brand, #"{"due_soon":"PT2S","escalate_after":"PT2S","review_sla":"PT1H","response_sla":"PT1H"}"#)
                let project = try await s.project(brand)
                let due = JSONCodingDate.format(Date().addingTimeInterval(3.5))
                let r = try await s.act(
                    brand.token, project, "add_task",
                    json: #"{"agency_id":"\#(agency.id)","title":"Film","description":"","due_at":"\#(due)"}"#)
                let task = try #require((r["tasks"] as? [[String: Any]])?.last?["id"] as? String)
                try await s.act(brand.token, project, "issue_brief")
                try await s.act(agency.token, project, "accept", task: task)
                // Returns as soon as the three arrive; the bound only matters on a loaded machine (the whole suite runs
                // at once).
                let got = try await receiver.wait(seconds: 40) { $0.count >= 3 }
                #expect(Set(got.compactMap(\.type)) == ["task.due_soon", "task.overdue", "task.escalated"])
                // Their order is the feed's (webhooks to one endpoint may arrive side by side, in any order).
                let feed = try await s.call(.GET, "/v1/events?limit=100", token: agency.token)
                let deadlines = (feed["data"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
                    .filter { ["task.due_soon", "task.overdue", "task.escalated"].contains($0) }
                #expect(deadlines == ["task.due_soon", "task.overdue", "task.escalated"])
                let view = try await s.call(.GET, "/v1/projects/\(project)", token: agency.token)
                #expect((view["tasks"] as? [[String: Any]])?.first?["timeliness"] as? String == "overdue")
                try await s.act(
                    agency.token, project, "submit_delivery", task: task,
                    json: #"{"summary":"late","links":["https://example.com/v1"]}"#)
                let delivered = try await s.call(.GET, "/v1/projects/\(project)", token: agency.token)
                let t = try #require((delivered["tasks"] as? [[String: Any]])?.first)
                #expect(t["timeliness"] as? String == "delivered_late")
                #expect(t["waiting_on"] as? String == "brand")
                try await Task.sleep(for: .seconds(2))
                #expect(receiver.all("/ok").count == 3)
                let pending = try await s.scalar(
                    "SELECT count(*)::int FROM timers WHERE status = 'pending' AND kind <> 'review_overdue'",
                    as: Int.self)
                #expect(pending == 0)
            }
        }
    }

    @Test(
        "deadlines: moved by set_due_date (an event), refused in the past; remind once a day; bad input changes nothing"
    )
    func setDueDateAndRemind() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            try await Self.serviceLevels(s, brand, #"{"timezone":"Europe/Paris"}"#)
            let project = try await s.project(brand)
            let past = try await s.act(
                brand.token, project, "add_task",
                json: #"{"agency_id":"\#(agency.id)","title":"T","description":"","due_at":"2020-01-01T00:00:00Z"}"#,
                expect: 422)
            #expect(past.code == "guard_failed")
            let r = try await s.act(
                brand.token, project, "add_task",
                json: #"{"agency_id":"\#(agency.id)","title":"T","description":"","due_date":"2099-12-01"}"#)
            let task = try #require((r["tasks"] as? [[String: Any]])?.last)
            #expect(task["due_at"] as? String == "2099-12-01T23:00:00.000Z")
            let id = try #require(task["id"] as? String)
            let before = try await s.fingerprint(project)
            for bad in [
                #"{}"#, #"{"due_at":"tomorrow"}"#, #"{"due_at":"2001-01-01T00:00:00Z"}"#, #"{"due_date":"2099-13-01"}"#,
            ] {
                let refused = try await s.act(brand.token, project, "set_due_date", task: id, json: bad, expect: 422)
                #expect(refused.code == "validation_failed" || refused.code == "guard_failed", "\(bad)")
            }
            #expect(try await s.fingerprint(project) == before)
            try await s.act(brand.token, project, "set_due_date", task: id, json: #"{"due_at":"2099-06-01T12:00:00Z"}"#)
            let history = try await s.history(brand.token, project)
            #expect(history.last?["action"] as? String == "set_due_date")
            try await s.act(brand.token, project, "issue_brief")
            // The brand nudges the agency once; a second reminder the same day is refused; the agency has nothing to
            // remind the brand of.
            try await s.act(brand.token, project, "remind", task: id)
            let twice = try await s.act(brand.token, project, "remind", task: id, expect: 422)
            #expect(twice.code == "guard_failed")
            let agencySide = try await s.act(agency.token, project, "remind", task: id, expect: 422)
            #expect(agencySide.code == "guard_failed")
            let events = try await s.call(.GET, "/v1/events?limit=100", token: agency.token)
            #expect(
                (events["data"] as? [[String: Any]])?.contains { $0["type"] as? String == "task.reminder_sent" } == true
            )
        }
    }
}

/// RFC 3339 with milliseconds, as the API writes it.
enum JSONCodingDate {
    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
