import Foundation
import PostgresNIO
import Testing

/// The scorecard and the portfolio on a seeded brand: every figure equals the one computed here, independently,
/// from the same inputs (the history the API returns), and the CSV reads back to the same figures.
@Suite("Reports: agency scorecards and the portfolio")
struct ReportTests {
    static func date(_ any: Any?) -> Date? { (any as? String).flatMap { JSONCodingDate.parse($0) } }

    static func median(_ xs: [Double]) -> Double? {
        guard !xs.isEmpty else { return nil }
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func mean(_ xs: [Double]) -> Double? { xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count) }

    static func close(_ a: Any?, _ b: Double?, _ what: String) {
        switch (a as? Double ?? (a as? Int).map(Double.init), b) {
        case (nil, nil): break
        case (let x?, let y?): #expect(abs(x - y) < 1e-6 * max(1, abs(y)), "\(what): \(x) ≠ \(y)")
        case (let x, let y): Issue.record("\(what): \(String(describing: x)) ≠ \(String(describing: y))")
        }
    }

    /// What the test did to each project.
    struct Seeded {
        var project: String
        var tasks: [(id: String, agency: Int, reassignedTo: Int?)]
    }

    @Test("30 projects, 3 agencies: every figure matches an independent computation; CSV, visibility, bad input")
    func scorecards() async throws {
        try await withServer { s in
            let start = Date().addingTimeInterval(-60)
            let brand = try await s.organization("Velo", "brand")
            let agencies = [
                try await s.organization("Alpha", "agency"), try await s.organization("Beta", "agency"),
                try await s.organization("Gamma", "agency"),
            ]
            let stranger = try await s.organization("Never hired", "agency")
            var seeded: [Seeded] = []
            var lastSoon = Date()
            let later = JSONCodingDate.format(Date().addingTimeInterval(86_400))
            for i in 0..<30 {
                let title = i == 0 ? "=HYPERLINK(\\\"x\\\")" : "Project \(i)"
                let project = try await s.project(brand, title: title)
                let agency = i % 3
                if i % 5 == 0 { lastSoon = Date().addingTimeInterval(1.5) }
                let due = i % 5 == 0 ? JSONCodingDate.format(lastSoon) : later
                let fee =
                    i % 2 == 0
                    ? #","fee_minor":\#(1000 + i),"currency":"EUR""# : #","fee_minor":\#(500 + i),"currency":"USD""#
                let r = try await s.act(
                    brand.token, project, "add_task",
                    json:
                        #"{"agency_id":"\#(agencies[agency].id)","title":"+Task \#(i)","#
                        + #""description":"","due_at":"\#(due)"\#(fee)}"#
                )
                let task = try #require((r["tasks"] as? [[String: Any]])?.last?["id"] as? String)
                try await s.act(brand.token, project, "issue_brief")
                seeded.append(Seeded(project: project, tasks: [(task, agency, nil)]))
            }
            // The short deadlines pass: those deliveries are late.
            try await Task.sleep(for: .milliseconds(max(0, Int(lastSoon.timeIntervalSinceNow * 1000)) + 300))
            for (i, seed) in seeded.enumerated() {
                let p = seed.project
                let (task, agency, _) = seed.tasks[0]
                var owner = agencies[agency]
                switch i % 5 {
                case 4: continue  // left unanswered
                case 1:
                    try await s.act(owner.token, p, "decline", task: task, json: #"{"reason":"busy"}"#)
                    let next = (agency + 1) % 3
                    try await s.act(
                        brand.token, p, "reassign", task: task, json: #"{"agency_id":"\#(agencies[next].id)"}"#)
                    seeded[i].tasks[0].reassignedTo = next
                    owner = agencies[next]
                default: break
                }
                try await s.act(owner.token, p, "accept", task: task)
                if i % 5 == 3 { continue }
                let delivery = #"{"summary":"v","links":["https://example.com/v"]}"#
                try await s.act(owner.token, p, "submit_delivery", task: task, json: delivery)
                if i % 5 == 1 {
                    try await s.act(brand.token, p, "request_changes", task: task, json: #"{"note":"again"}"#)
                    try await s.act(owner.token, p, "submit_delivery", task: task, json: delivery)
                }
                try await s.act(brand.token, p, "approve", task: task)
                try await s.act(brand.token, p, "start_kpi_review")
                if i % 5 == 2 { continue }
                let results =
                    i % 5 == 0
                    ? #"{"results":{"signups":1500,"cpa":18},"spend_minor":1000,"revenue_minor":\#(2000 + i * 10)}"#
                    : #"{"results":{"signups":800,"cpa":25},"spend_minor":1000,"revenue_minor":900}"#
                try await s.act(brand.token, p, "record_kpi_results", json: results)
                try await s.act(brand.token, p, "close")
            }
            let end = Date().addingTimeInterval(60)
            let period = "from=\(JSONCodingDate.format(start))&to=\(JSONCodingDate.format(end))"
                .replacingOccurrences(of: "+", with: "%2B")

            // The independent computation, from each project's history and view.
            struct Offer {
                var agency: String
                var at: Date
                var answer: String?
                var answeredAt: Date?
            }
            var offers: [String: [Offer]] = [:]  // by agency id
            var firstDelivery: [String: [(onTime: Bool?, hasDue: Bool)]] = [:]
            var approvedRounds: [String: [Double]] = [:]
            var reviewHours: [String: [Double]] = [:]
            var kpiMet: [String: [Bool]] = [:]
            var attainment: [String: [Double]] = [:]
            var roi: [String: [Double]] = [:]
            var fees: [String: [String: Int]] = [:]
            for seed in seeded {
                let history = try await s.history(brand.token, seed.project)
                let view = try await s.call(.GET, "/v1/projects/\(seed.project)", token: brand.token)
                let task = try #require((view["tasks"] as? [[String: Any]])?.first)
                let (taskID, original, reassigned) = seed.tasks[0]
                let rows = history.filter { ($0["task_id"] as? String) == taskID }
                let issuedAt = try #require(
                    Self.date(history.first { $0["action"] as? String == "issue_brief" }?["occurred_at"]))
                var list = [Offer(agency: agencies[original].id, at: issuedAt)]
                if let next = reassigned,
                    let at = Self.date(rows.first { $0["action"] as? String == "reassign" }?["occurred_at"])
                {
                    list.append(Offer(agency: agencies[next].id, at: at))
                }
                for j in list.indices {
                    let answer = rows.first {
                        ["accept", "decline"].contains($0["action"] as? String ?? "")
                            && ($0["actor"] as? [String: Any])?["organization_id"] as? String == list[j].agency
                            && (Self.date($0["occurred_at"]) ?? .distantPast) >= list[j].at
                    }
                    list[j].answer = answer?["action"] as? String
                    list[j].answeredAt = Self.date(answer?["occurred_at"])
                    offers[list[j].agency, default: []].append(list[j])
                }
                let owner = task["agency_id"] as? String ?? ""
                guard list.contains(where: { $0.agency == owner && $0.answer == "accept" }) else { continue }
                if let fee = task["fee_minor"] as? Int, let currency = task["currency"] as? String {
                    fees[owner, default: [:]][currency, default: 0] += fee
                }
                let deliveries = rows.filter { $0["action"] as? String == "submit_delivery" }
                let due = Self.date(task["due_at"])
                if let first = deliveries.first.flatMap({ Self.date($0["occurred_at"]) }), let due {
                    firstDelivery[owner, default: []].append((first <= due, true))
                }
                if let approve = rows.first(where: { $0["action"] as? String == "approve" }),
                    let round = (approve["data"] as? [String: Any])?["round"] as? Int
                {
                    approvedRounds[owner, default: []].append(Double(round))
                }
                for d in deliveries {
                    let at = try #require(Self.date(d["occurred_at"]))
                    let seq = d["sequence"] as? Int ?? 0
                    if let review = rows.first(where: {
                        ["approve", "request_changes"].contains($0["action"] as? String ?? "")
                            && ($0["sequence"] as? Int ?? 0) > seq
                    }), let reviewed = Self.date(review["occurred_at"]) {
                        reviewHours[owner, default: []].append(reviewed.timeIntervalSince(at) / 3600)
                    }
                }
                if let outcome = view["outcome"] as? [String: Any] {
                    for k in outcome["kpis"] as? [[String: Any]] ?? [] {
                        kpiMet[owner, default: []].append(k["met"] as? Bool ?? false)
                        if let a = k["attainment"] as? Double { attainment[owner, default: []].append(a) }
                    }
                    if let r = outcome["roi"] as? Double { roi[owner, default: []].append(r) }
                }
            }

            let report = try await s.call(.GET, "/v1/reports/agencies?\(period)", token: brand.token)
            try #require(report.status == 200, "\(report.text)")
            let data = try #require(report["data"] as? [[String: Any]])
            #expect(data.count == 3)
            for row in data {
                let id = try #require(row["agency_id"] as? String)
                let o = offers[id] ?? []
                #expect(row["tasks_issued"] as? Int == o.count)
                let accepted = o.filter { $0.answer == "accept" }
                Self.close(row["acceptance_rate"], Double(accepted.count) / Double(o.count), "acceptance_rate")
                #expect(row["acceptance_rate_n"] as? Int == o.count)
                Self.close(
                    row["median_hours_to_accept"],
                    Self.median(accepted.compactMap { $0.answeredAt?.timeIntervalSince($0.at) }.map { $0 / 3600 }),
                    "median_hours_to_accept")
                let f = firstDelivery[id] ?? []
                Self.close(
                    row["on_time_rate"],
                    f.isEmpty ? nil : Double(f.filter { $0.onTime == true }.count) / Double(f.count),
                    "on_time_rate")
                #expect(row["on_time_rate_n"] as? Int == f.count)
                let rounds = approvedRounds[id] ?? []
                Self.close(
                    row["first_pass_rate"],
                    rounds.isEmpty ? nil : Double(rounds.filter { $0 == 1 }.count) / Double(rounds.count),
                    "first_pass_rate")
                Self.close(row["mean_rounds"], Self.mean(rounds), "mean_rounds")
                Self.close(row["median_review_hours"], Self.median(reviewHours[id] ?? []), "median_review_hours")
                let met = kpiMet[id] ?? []
                Self.close(
                    row["kpi_hit_rate"], met.isEmpty ? nil : Double(met.filter { $0 }.count) / Double(met.count),
                    "kpi_hit_rate")
                #expect(row["kpi_hit_rate_n"] as? Int == met.count)
                Self.close(row["mean_attainment"], Self.mean(attainment[id] ?? []), "mean_attainment")
                Self.close(row["median_roi"], Self.median(roi[id] ?? []), "median_roi")
                let gotFees = (row["fees"] as? [String: Int]) ?? [:]
                #expect(gotFees == (fees[id] ?? [:]), "fees of \(id)")
            }
            // Some of every kind happened, so the figures above are not all empty.
            #expect(offers.values.joined().contains { $0.answer == "decline" })
            #expect(firstDelivery.values.joined().contains { $0.onTime == false })
            #expect(firstDelivery.values.joined().contains { $0.onTime == true })

            // The facts the transitions' trigger wrote equal a rebuild from the history alone (migration 0011).
            let facts: PostgresQuery = """
                SELECT (SELECT string_agg(format('%s %s %s %s %s %s %s %s %s', task_id, offer_sequence, agency_id,
                               offered_at, answer, answer_sequence, first_delivered_at, approved_at, approved_round),
                               ';' ORDER BY task_id, offer_sequence) FROM task_offers)
                    || '|' || (SELECT string_agg(format('%s %s %s', task_id, delivery_sequence, reviewed_at), ';'
                               ORDER BY task_id, delivery_sequence) FROM task_reviews)
                    || '|' || (SELECT COALESCE(string_agg(format('%s %s', project_id, closed_at), ';'
                               ORDER BY project_id), '') FROM project_closures)
                    || '|' || (SELECT string_agg(format('%s %s %s %s', project_id, state, round(seconds::numeric, 3),
                        since),
                               ';' ORDER BY project_id, state) FROM project_state_time)
                """
            let written = try await s.scalar(facts, as: String.self)
            _ = try await s.sql("SELECT briefd_rebuild_task_facts()")
            let rebuilt = try await s.scalar(facts, as: String.self)
            #expect(written == rebuilt)
            #expect(written.split(separator: ";").count > 30)

            // CSV: Python's csv module reads back the same figures.
            let csv = try await s.call(
                .GET, "/v1/reports/agencies?\(period)", token: brand.token, headers: [("Accept", "text/csv")])
            #expect(csv.headers.first(name: "Content-Type")?.hasPrefix("text/csv") == true)
            #expect(csv.headers.first(name: "Content-Disposition")?.hasPrefix("attachment; filename=") == true)
            let parsed = try parseCSV(csv.text)
            #expect(parsed.count == 3)
            for line in parsed {
                let row = try #require(data.first { $0["agency_id"] as? String == line["agency_id"] })
                for name in [
                    "acceptance_rate", "on_time_rate", "first_pass_rate", "mean_rounds", "kpi_hit_rate", "median_roi",
                ] {
                    Self.close(
                        line[name].flatMap(Double.init), (row[name] as? Double) ?? (row[name] as? Int).map(Double.init),
                        "csv \(name)")
                }
                #expect(line["tasks_issued"].flatMap(Int.init) == row["tasks_issued"] as? Int)
            }

            // An agency sees its own row only, without the brand's economics.
            let own = try await s.call(.GET, "/v1/reports/agencies?\(period)", token: agencies[0].token)
            let ownRows = try #require(own["data"] as? [[String: Any]])
            #expect(ownRows.map { $0["agency_id"] as? String } == [agencies[0].id])
            for hidden in ["kpi_hit_rate", "mean_attainment", "median_roi"] {
                #expect(ownRows.first?[hidden] is NSNull, "\(hidden) reached an agency")
            }
            #expect(!own.text.contains("revenue") && !own.text.contains("spend"))
            let forbidden = try await s.call(.GET, "/v1/reports/projects?\(period)", token: agencies[0].token)
            #expect(forbidden.status == 403)

            // An agency's tasks, one row per offer; a formula-shaped title comes out prefixed in CSV.
            let tasks = try await s.call(
                .GET, "/v1/reports/agencies/\(agencies[0].id)/tasks?\(period)", token: brand.token)
            #expect((tasks["data"] as? [Any])?.count == offers[agencies[0].id]?.count)
            let tasksCSV = try await s.call(
                .GET, "/v1/reports/agencies/\(agencies[0].id)/tasks?\(period)", token: brand.token,
                headers: [("Accept", "text/csv")])
            let taskLines = try parseCSV(tasksCSV.text)
            #expect(taskLines.contains { $0["project_title"] == "'=HYPERLINK(\"x\")" }, "\(tasksCSV.text.prefix(400))")
            #expect(taskLines.allSatisfy { $0["task_title"]?.hasPrefix("'+Task") == true })
            let never = try await s.call(.GET, "/v1/reports/agencies/\(stranger.id)/tasks", token: brand.token)
            #expect(never.status == 404)

            // The portfolio: per project and totals per currency.
            let portfolioAsked = Date()
            let portfolio = try await s.call(.GET, "/v1/reports/projects?\(period)", token: brand.token)
            let portfolioAnswered = Date()
            let projects = try #require(portfolio["data"] as? [[String: Any]])
            #expect(projects.count == 30)
            let closed = projects.filter { $0["state"] as? String == "closed" }
            #expect(closed.count == 12)
            for p in closed {
                let view = try await s.call(
                    .GET, "/v1/projects/\(p["project_id"] as? String ?? "")", token: brand.token)
                Self.close(p["roi"], (view["outcome"] as? [String: Any])?["roi"] as? Double, "roi")
                #expect(p["kpis_total"] as? Int == 2)
            }
            // Rounds, on-time share and hours in each state, computed again from each project's history. A current
            // stay is counted until the report's own now, which lies between the request and its answer.
            let asked = portfolioAsked
            let slack = portfolioAnswered.timeIntervalSince(portfolioAsked) + 0.05
            var longest = 0.0
            for p in projects {
                let id = p["project_id"] as? String ?? ""
                let history = try await s.history(brand.token, id)
                let changes = history.filter { ($0["from_state"] as? String) != ($0["to_state"] as? String) }
                var hours: [String: Double] = [:]
                for (i, change) in changes.enumerated() {
                    let state = change["to_state"] as? String ?? ""
                    guard state != "closed", state != "cancelled", let start = Self.date(change["occurred_at"]) else {
                        continue
                    }
                    let end = i + 1 < changes.count ? Self.date(changes[i + 1]["occurred_at"]) ?? asked : asked
                    hours[state, default: 0] += end.timeIntervalSince(start) / 3600
                }
                for state in ["strategy", "brief", "delivery", "kpi_review"] {
                    let reported =
                        p["hours_in_\(state)"] as? Double ?? (p["hours_in_\(state)"] as? Int).map(Double.init)
                    let expected = hours[state] ?? 0
                    longest = max(longest, expected * 3600)
                    #expect(
                        abs((reported ?? -1) - expected) <= slack / 3600,
                        "\(id) hours in \(state): \(reported ?? -1) ≠ \(expected)")
                }
                let deliveries = history.filter { $0["action"] as? String == "submit_delivery" }
                #expect(p["rounds"] as? Int == deliveries.count, "\(id) rounds")
                let view = try await s.call(.GET, "/v1/projects/\(id)", token: brand.token)
                var onTime = 0
                var withDue = 0
                for task in view["tasks"] as? [[String: Any]] ?? [] {
                    let taskID = task["id"] as? String
                    let firsts = deliveries.filter { $0["task_id"] as? String == taskID }
                        .compactMap { Self.date($0["occurred_at"]) }
                    guard let first = firsts.min(), let due = Self.date(task["due_at"]) else { continue }
                    withDue += 1
                    if first <= due { onTime += 1 }
                }
                #expect(p["on_time_rate_n"] as? Int == withDue, "\(id) on-time n")
                Self.close(p["on_time_rate"], withDue == 0 ? nil : Double(onTime) / Double(withDue), "\(id) on time")
            }
            #expect(longest > 10 * slack, "no stay long enough to tell the figures apart (\(longest) s)")
            let eur = try #require((portfolio["totals"] as? [String: Any])?["EUR"] as? [String: Any])
            #expect(eur["projects"] as? Int == 30)
            #expect(eur["budget_minor"] as? Int == 30 * 5_000_000)
            #expect(portfolio["has_more"] as? Bool == false)

            // Pages of 7 in order of creation: together the same 30 rows, each page with the whole report's totals.
            var paged: [String] = []
            var cursor = ""
            while true {
                let page = try await s.call(
                    .GET, "/v1/reports/projects?\(period)&limit=7\(cursor)", token: brand.token)
                let rows = try #require(page["data"] as? [[String: Any]], "\(page.text.prefix(300))")
                paged += rows.compactMap { $0["project_id"] as? String }
                let pageEUR = (page["totals"] as? [String: Any])?["EUR"] as? [String: Any]
                #expect(pageEUR?["projects"] as? Int == 30)
                guard page["has_more"] as? Bool == true, let last = paged.last else { break }
                #expect(rows.count == 7)
                cursor = "&starting_after=\(last)"
            }
            #expect(paged == projects.compactMap { $0["project_id"] as? String })
            let open = try #require(projects.first { $0["state"] as? String != "closed" }?["project_id"] as? String)
            for (query, status) in [
                ("limit=0", 422), ("limit=1001", 422), ("limit=many", 400), ("starting_after=nope", 400),
                ("starting_after=\(UUID().uuidString)", 422), ("state=closed&starting_after=\(open)", 422),
            ] {
                let r = try await s.call(.GET, "/v1/reports/projects?\(period)&\(query)", token: brand.token)
                #expect(r.status == status, "\(query): \(r.text)")
            }
            let portfolioCSV = try await s.call(
                .GET, "/v1/reports/projects?\(period)", token: brand.token, headers: [("Accept", "text/csv")])
            #expect(try parseCSV(portfolioCSV.text).map { $0["project_id"] ?? "" } == paged)

            // Bad input: a clear 4xx, never a 500.
            for bad in [
                "from=2026-02-01&to=2026-01-01", "from=yesterday", "from=2001-01-01&to=2026-12-01", "to=2026-13-40",
            ] {
                let r = try await s.call(.GET, "/v1/reports/agencies?\(bad)", token: brand.token)
                #expect(r.status == 422, "\(bad): \(r.text)")
            }
        }
    }
}

/// Parses CSV with Python's `csv` module (the reference reader), rows as header → cell.
func parseCSV(_ text: String) throws -> [[String: String]] {
    let python = TestEnvironment.repositoryRoot.appendingPathComponent(".venv/bin/python").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [
        "-c",
        "import csv, io, json, sys; print(json.dumps(list(csv.DictReader(io.StringIO(sys.stdin.read(), newline='')))))",
    ]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (try JSONSerialization.jsonObject(with: data) as? [[String: String]]) ?? []
}

extension JSONCodingDate {
    static func parse(_ s: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(s))
            ?? (try? Date.ISO8601FormatStyle().parse(s))
    }
}
