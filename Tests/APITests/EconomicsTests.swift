import Foundation
import Testing

/// The brand's economics (KPI actuals, spend, revenue, ROI) never reach an agency: not by the events feed, not by
/// the history, not by a webhook. A KPI target that divides to infinity does not break `close`.
@Suite("The brand's economics stay the brand's")
struct EconomicsTests {
    @Test("record_kpi_results and close reach the brand only, on all three paths")
    func agenciesNeverSeeEconomics() async throws {
        try await withReceiver { receiver, port in
            try await withServer { s in
                let brand = try await s.organization("Velo", "brand")
                let agency = try await s.organization("Studio", "agency")
                _ = try await s.endpoint(agency, url: "http://127.0.0.1:\(port)/ok")
                let project = try await s.project(brand)
                let task = try await s.addTask(brand, project, agency: agency, title: "Film")
                try await s.act(brand.token, project, "issue_brief")
                try await s.act(agency.token, project, "accept", task: task)
                try await s.act(
                    agency.token, project, "submit_delivery", task: task,
                    json: #"{"summary":"v","links":["https://example.com/v"]}"#)
                try await s.act(brand.token, project, "approve", task: task)
                try await s.act(brand.token, project, "start_kpi_review")
                try await s.act(
                    brand.token, project, "record_kpi_results",
                    json:
                        #"{"results":{"signups":48213579,"cpa":17.2593},"#
                        + #""spend_minor":736284519,"revenue_minor":918273645}"#
                )
                let closed = try await s.act(brand.token, project, "close")
                #expect((closed["outcome"] as? [String: Any])?["roi"] != nil)
                _ = try await receiver.wait(seconds: 10) { $0.contains { $0.type == "project.kpi_review_started" } }
                try await Task.sleep(for: .seconds(1))
                // Figures no id, timestamp or count can contain by chance: each must stand alone between non-digits.
                let figures = ["48213579", "17.2593", "736284519", "918273645"]
                let words = ["roi", "kpi_results_recorded", "project.closed"]
                let feed = try await s.call(.GET, "/v1/events?limit=100", token: agency.token)
                let history = try await s.call(.GET, "/v1/projects/\(project)/history", token: agency.token)
                let view = try await s.call(.GET, "/v1/projects/\(project)", token: agency.token)
                #expect(view["state"] as? String == "closed")
                for (path, text) in [
                    ("events", feed.text), ("history", history.text), ("view", view.text),
                    ("webhooks", receiver.all().map(\.body).joined()),
                ] {
                    for figure in figures {
                        let alone =
                            "(?<![0-9A-Fa-f.])" + figure.replacingOccurrences(of: ".", with: "\\.")
                            + "(?![0-9])"
                        #expect(
                            text.range(of: alone, options: .regularExpression) == nil,
                            "\(figure) reached the agency by \(path): \(text.prefix(2000))")
                    }
                    for word in words { #expect(!text.contains(word), "\(word) reached the agency by \(path)") }
                }
                // The brand has them all.
                let brandFeed = try await s.call(.GET, "/v1/events?limit=100", token: brand.token)
                #expect(brandFeed.text.contains("project.closed") && brandFeed.text.contains("918273645"))
            }
        }
    }

    @Test("a KPI target of 1e-310 closes with a null attainment, not a 500")
    func tinyTarget() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            let strategy = TestServer.strategy.replacingOccurrences(of: #""target":1000"#, with: #""target":1e-310"#)
            let created = try await s.call(
                .POST, "/v1/projects", token: brand.token, json: #"{"title":"Tiny","strategy":\#(strategy)}"#)
            try #require(created.status == 201, "\(created.text)")
            let project = try #require(created["id"] as? String)
            let task = try await s.addTask(brand, project, agency: agency, title: "T")
            try await s.act(brand.token, project, "issue_brief")
            try await s.act(agency.token, project, "accept", task: task)
            try await s.act(
                agency.token, project, "submit_delivery", task: task, json: #"{"summary":"v","links":["https://x.io"]}"#
            )
            try await s.act(brand.token, project, "approve", task: task)
            try await s.act(brand.token, project, "start_kpi_review")
            try await s.act(brand.token, project, "record_kpi_results", json: #"{"results":{"signups":5,"cpa":10}}"#)
            let closed = try await s.act(brand.token, project, "close")
            let kpis = try #require((closed["outcome"] as? [String: Any])?["kpis"] as? [[String: Any]])
            #expect(kpis.first { $0["key"] as? String == "signups" }?["attainment"] is NSNull)
        }
    }
}
