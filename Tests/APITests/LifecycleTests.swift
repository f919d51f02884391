import Foundation
import Testing

@Suite("A whole project over HTTP: a brand and two agencies")
struct LifecycleTests {
    @Test("strategy → brief → delivery → kpi_review → closed, with history, events and outcome")
    func wholeProject() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let a1 = try await s.organization("Studio One", "agency")
            let a2 = try await s.organization("Media Two", "agency")
            let p = try await s.project(brand)
            let video = try await s.addTask(brand, p, agency: a1, title: "Launch video")
            let media = try await s.addTask(brand, p, agency: a2, title: "Media plan")

            // Before the brief, agencies cannot see the project at all.
            #expect(try await s.call(.GET, "/v1/projects/\(p)", token: a1.token).status == 404)
            try await s.act(a1.token, p, "accept", task: video, expect: 404)

            let issued = try await s.act(brand.token, p, "issue_brief", headers: [("If-Match", "\"3\"")])
            #expect(issued["state"] as? String == "brief")
            #expect(issued.headers.first(name: "ETag") == "\"4\"")

            // Each agency sees the strategy and its own task only, and none of the brand's results.
            let seen = try await s.call(.GET, "/v1/projects/\(p)", token: a1.token)
            #expect(seen.status == 200)
            let tasks = seen["tasks"] as? [[String: Any]] ?? []
            #expect(tasks.map { $0["id"] as? String } == [video])
            #expect(seen["kpi_results"] is NSNull)
            #expect((seen["strategy"] as? [String: Any])?["objectives"] as? [String] == ["Grow sign-ups in Lyon"])

            // An agency cannot do the brand's part, nor the other agency's.
            try await s.act(a1.token, p, "start_kpi_review", expect: 403)
            try await s.act(a1.token, p, "accept", task: media, expect: 404)

            try await s.act(a2.token, p, "decline", task: media, json: #"{"reason":"No capacity in May"}"#)
            try await s.act(brand.token, p, "reassign", task: media, json: #"{"agency_id":"\#(a1.id)"}"#)
            try await s.act(a1.token, p, "accept", task: video)
            let started = try await s.act(a1.token, p, "accept", task: media)
            #expect(started["state"] as? String == "delivery")
            // After reassignment the first agency holds both tasks; the second sees the project no more.
            #expect(try await s.call(.GET, "/v1/projects/\(p)", token: a2.token).status == 404)

            try await s.act(
                a1.token, p, "submit_delivery", task: video,
                json: #"{"summary":"Cut one","links":["https://cdn.example.com/v1.mp4"]}"#)
            try await s.act(brand.token, p, "request_changes", task: video, json: #"{"note":"Shorter"}"#)
            try await s.act(brand.token, p, "start_kpi_review", expect: 422)
            try await s.act(
                a1.token, p, "submit_delivery", task: video,
                json: #"{"summary":"Cut two","links":["https://cdn.example.com/v2.mp4"]}"#)
            try await s.act(
                a1.token, p, "submit_delivery", task: media,
                json: #"{"summary":"Plan","links":["https://docs.example.com/plan"]}"#)
            try await s.act(brand.token, p, "approve", task: video)
            try await s.act(brand.token, p, "approve", task: media)
            try await s.act(brand.token, p, "start_kpi_review")
            try await s.act(brand.token, p, "close", expect: 422)
            try await s.act(brand.token, p, "record_kpi_results", json: #"{"results":{"bogus":1}}"#, expect: 422)
            try await s.act(
                brand.token, p, "record_kpi_results", json: #"{"results":{"signups":1500},"spend_minor":100000}"#)
            try await s.act(
                brand.token, p, "record_kpi_results", json: #"{"results":{"cpa":25},"revenue_minor":250000}"#)
            let closed = try await s.act(brand.token, p, "close")
            #expect(closed["state"] as? String == "closed")
            let outcome = try #require(closed["outcome"] as? [String: Any])
            #expect(outcome["all_met"] as? Bool == false)
            #expect(outcome["roi"] as? Double == 1.5)
            let kpis = outcome["kpis"] as? [[String: Any]] ?? []
            #expect(kpis.map { $0["met"] as? Bool } == [true, false])
            #expect(closed["allowed_actions"] as? [String] == [])
            try await s.act(brand.token, p, "cancel", json: #"{"reason":"late"}"#, expect: 409)

            // The history is gap-free, in order, and names the system for the automatic step.
            let history = try await s.history(brand.token, p)
            let sequences = history.compactMap { $0["sequence"] as? Int }
            #expect(sequences == Array(1...sequences.count))
            let actions = history.compactMap { $0["action"] as? String }
            #expect(
                actions == [
                    "create", "add_task", "add_task", "issue_brief", "decline", "reassign", "accept", "accept",
                    "start_delivery",
                    "submit_delivery", "request_changes", "submit_delivery", "submit_delivery", "approve", "approve",
                    "start_kpi_review", "record_kpi_results", "record_kpi_results", "close",
                ])
            let auto = history[8]["actor"] as? [String: Any]
            #expect(auto?["side"] as? String == "system")
            #expect(auto?["organization_id"] is NSNull)

            // Every transition has its event; the brand receives them all, in order.
            let events = try await s.call(.GET, "/v1/events?limit=100", token: brand.token)
            let types = (events["data"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
            #expect(types.count == history.count)
            #expect(types.first == "project.created" && types.last == "project.closed")
            #expect(types.contains("project.delivery_started"))

            // The second agency received the brief and its decline, nothing from the strategy phase, and not who
            // took the task over.
            let a2Events = try await s.call(.GET, "/v1/events?limit=100", token: a2.token)
            let a2Types = (a2Events["data"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
            #expect(a2Types == ["project.brief_issued", "task.declined"])
            let cursors = (a2Events["data"] as? [[String: Any]] ?? []).compactMap { $0["cursor"] as? Int }
            #expect(cursors.count == 2 && cursors == cursors.sorted() && Set(cursors).count == 2)
            #expect(!a2Events.text.contains(a1.id), "the declining agency learned who replaced it")
            #expect(!a2Events.text.contains("task_count"))
            // The first agency, which took it over, is not told who declined it: not by the feed, not by the history.
            let a1Events = try await s.call(.GET, "/v1/events?limit=100", token: a1.token)
            let a1History = try await s.call(.GET, "/v1/projects/\(p)/history", token: a1.token)
            #expect(a1Events.text.contains("task.reassigned"))
            for text in [a1Events.text, a1History.text] {
                #expect(!text.contains(a2.id) && !text.contains("previous_agency_id"), "\(text.prefix(500))")
            }
            // The brand's history keeps it.
            let brandHistory = try await s.call(.GET, "/v1/projects/\(p)/history", token: brand.token)
            #expect(brandHistory.text.contains("previous_agency_id"))
        }
    }

    @Test("withdrawing the brief returns tasks to draft and hides the project from agencies again")
    func withdraw() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let a1 = try await s.organization("Studio", "agency")
            let p = try await s.project(brand)
            let t = try await s.addTask(brand, p, agency: a1, title: "Video")
            try await s.act(brand.token, p, "issue_brief")
            try await s.act(a1.token, p, "accept", task: t)
            // One task, accepted: delivery started by itself; withdraw is no longer possible.
            try await s.act(brand.token, p, "withdraw_brief", expect: 409)
            let p2 = try await s.project(brand)
            let t2 = try await s.addTask(brand, p2, agency: a1, title: "Video")
            try await s.act(brand.token, p2, "issue_brief")
            let back = try await s.act(brand.token, p2, "withdraw_brief")
            #expect(back["state"] as? String == "strategy")
            #expect((back["tasks"] as? [[String: Any]])?.first?["state"] as? String == "draft")
            #expect(try await s.call(.GET, "/v1/projects/\(p2)", token: a1.token).status == 404)
            try await s.act(a1.token, p2, "accept", task: t2, expect: 404)
            // The strategy can change again, and is frozen once issued.
            try await s.act(brand.token, p2, "update_strategy", json: #"{"strategy":\#(TestServer.strategy)}"#)
            try await s.act(brand.token, p2, "issue_brief")
            try await s.act(
                brand.token, p2, "update_strategy", json: #"{"strategy":\#(TestServer.strategy)}"#, expect: 409)
            let cancelled = try await s.act(brand.token, p2, "cancel", json: #"{"reason":"Budget cut"}"#)
            #expect(cancelled["state"] as? String == "cancelled")
            #expect(cancelled["cancel_reason"] as? String == "Budget cut")
        }
    }
}
