import Foundation
import HTTPTypes
import Hummingbird
import Storage
import Workflow

/// Agency scorecards and the portfolio, as JSON or, with `Accept: text/csv`, as a CSV download.
struct ReportRoutes: Sendable {
    let reports: ReportStore
    let routes: Routes

    /// The longest period a report covers.
    static let maxPeriod: TimeInterval = 5 * 366 * 86_400
    /// The period when none is given: the last 90 days.
    static let defaultPeriod: TimeInterval = 90 * 86_400

    func register(on group: RouterGroup<BriefdContext>) {
        group.get("/reports/agencies", use: routes.heavy(agencies))
        group.get("/reports/agencies/{id}/tasks", use: routes.heavy(agencyTasks))
        group.get("/reports/projects", use: routes.heavy(projects))
    }

    /// The rates of a scorecard, in the order the document lists them.
    static let rateNames = [
        "acceptance_rate", "median_hours_to_accept", "on_time_rate", "first_pass_rate", "mean_rounds",
        "median_review_hours", "kpi_hit_rate", "mean_attainment", "median_roi",
    ]

    /// The rates of a scorecard, in `rateNames`' order, with their values.
    static func rates(_ s: AgencyScorecard, economics: Bool) -> [(String, Rate)] {
        var out: [(String, Rate)] = [
            ("acceptance_rate", s.acceptanceRate), ("median_hours_to_accept", s.medianHoursToAccept),
            ("on_time_rate", s.onTimeRate), ("first_pass_rate", s.firstPassRate), ("mean_rounds", s.meanRounds),
            ("median_review_hours", s.medianReviewHours),
        ]
        let hidden = Rate(value: nil, n: 0)
        out += [
            ("kpi_hit_rate", economics ? s.kpiHitRate : hidden),
            ("mean_attainment", economics ? s.meanAttainment : hidden),
            ("median_roi", economics ? s.medianROI : hidden),
        ]
        return out
    }

    @Sendable func agencies(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        let period = try Self.period(request)
        let brand = p.organization.kind == .brand ? p.organization.id : nil
        let agency = p.organization.kind == .agency ? p.organization.id : nil
        // An agency sees its own operational row across the brands it works for, never a brand's economics.
        let economics = p.organization.kind == .brand
        // The period and the one before it are read at once, on two connections.
        async let currentRows = reports.agencies(brand: brand, agency: agency, from: period.from, to: period.to)
        async let previousRows = reports.agencies(
            brand: brand, agency: agency, from: period.from.addingTimeInterval(-period.length), to: period.from)
        let (current, previous) = try await (currentRows, previousRows)
        let before = Dictionary(uniqueKeysWithValues: previous.map { ($0.agencyID, $0) })
        if Self.wantsCSV(request) {
            let table = ReportExport.agencies(current: current, previous: previous, economics: economics)
            return Self.csv("agency-scorecards", header: table.header, rows: table.rows, period: period)
        }
        let data = current.map { s -> JSONValue in
            let rates = Self.rates(s, economics: economics)
            let old = before[s.agencyID].map { Self.rates($0, economics: economics) }
            var o: [String: JSONValue] = [
                "agency_id": .id(s.agencyID), "agency_name": .string(s.agencyName),
                "tasks_issued": Views.int(s.tasksIssued),
                "fees": .object(s.fees.mapValues { .number(Double($0)) }),
            ]
            var deltas: [String: JSONValue] = [
                "tasks_issued": Views.int(s.tasksIssued - (before[s.agencyID]?.tasksIssued ?? 0))
            ]
            for (i, (name, rate)) in rates.enumerated() {
                o[name] = Views.double(rate.value)
                o["\(name)_n"] = Views.int(rate.n)
                deltas[name] = Views.double(Self.delta(rate, old?[i].1))
            }
            o["deltas"] = .object(deltas)
            return .object(o)
        }
        return try APIResponse.json(
            JSONValue.object([
                "from": Views.date(period.from), "to": Views.date(period.to),
                "previous_from": Views.date(period.from.addingTimeInterval(-period.length)), "data": .array(data),
            ])
        ).response
    }

    @Sendable func agencyTasks(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        guard p.organization.kind == .brand else {
            throw APIError.forbidden("an agency's task report is the brand's; agencies read GET /v1/reports/agencies")
        }
        let agency = try routes.pathID(context, "id")
        let period = try Self.period(request)
        guard try await reports.workedWith(brand: p.organization.id, agency: agency) else {
            throw APIError.notFound("this brand never issued a task to that agency")
        }
        let rows = try await reports.agencyTasks(
            brand: p.organization.id, agency: agency, from: period.from, to: period.to)
        let header = [
            "task_id", "task_title", "project_id", "project_title", "offered_at", "answer", "answered_at", "due_at",
            "first_delivered_at", "approved_at", "approved_round", "fee_minor", "currency",
        ]
        func cells(_ r: AgencyTaskRow) -> [JSONValue] {
            [
                .id(r.taskID), .string(r.taskTitle), .id(r.projectID), .string(r.projectTitle), Views.date(r.offeredAt),
                .optional(r.answer), Views.date(r.answeredAt), Views.date(r.dueAt), Views.date(r.firstDeliveredAt),
                Views.date(r.approvedAt), r.approvedRound.map(Views.int) ?? .null, Views.int64(r.fee?.amountMinor),
                .optional(r.fee?.currency),
            ]
        }
        if Self.wantsCSV(request) {
            return Self.csv("agency-tasks", header: header, rows: rows.map { cells($0).map(Self.text) }, period: period)
        }
        let data = rows.map { r in JSONValue.object(Dictionary(uniqueKeysWithValues: zip(header, cells(r)))) }
        return try APIResponse.json(
            JSONValue.object(["from": Views.date(period.from), "to": Views.date(period.to), "data": .array(data)])
        ).response
    }

    @Sendable func projects(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        guard p.organization.kind == .brand else { throw APIError.forbidden("the portfolio report is the brand's") }
        let period = try Self.period(request)
        var state: String?
        if let s = request.uri.queryParameters.get("state") {
            guard ProjectState(rawValue: String(s)) != nil else {
                throw APIError.invalid(
                    "state", "must be one of \(ProjectState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            state = String(s)
        }
        // JSON answers in pages (`limit`, default 100, at most 1,000; `starting_after` a project of the previous
        // page) with the totals of the whole report on each; CSV is one file of every row unless a page is asked.
        let csv = Self.wantsCSV(request)
        let limit = try Self.pageLimit(request, default: csv ? nil : 100)
        var after: UUID?
        if let raw = request.uri.queryParameters.get("starting_after") {
            guard let id = UUID(uuidString: String(raw)) else {
                throw APIError.malformed("starting_after must be a project_id from a previous page")
            }
            guard
                try await reports.portfolioHas(
                    id, brand: p.organization.id, from: period.from, to: period.to, state: state)
            else {
                throw APIError.invalid("starting_after", "must be a project_id of this report (same from, to, state)")
            }
            after = id
        }
        async let page = reports.projects(
            brand: p.organization.id, from: period.from, to: period.to, state: state, after: after,
            limit: limit.map { $0 + 1 })
        async let sums =
            csv
            ? []
            : reports.projectTotals(
                brand: p.organization.id, from: period.from, to: period.to, state: state)
        var rows = try await page
        let hasMore = limit.map { rows.count > $0 } ?? false
        if let limit, rows.count > limit { rows.removeLast(rows.count - limit) }
        let totals = try await sums
        let states = ProjectState.allCases.filter { !$0.isTerminal }.map(\.rawValue)
        let header =
            [
                "project_id", "title", "state", "created_at", "currency", "budget_minor", "spend_minor",
                "revenue_minor",
                "roi", "kpis_met", "kpis_total", "rounds", "on_time_rate", "on_time_rate_n",
            ] + states.map { "hours_in_\($0)" }
        func cells(_ r: ProjectReportRow) -> [(String, JSONValue)] {
            [
                ("project_id", .id(r.projectID)), ("title", .string(r.title)), ("state", .string(r.state)),
                ("created_at", Views.date(r.createdAt)), ("currency", .string(r.currency)),
                ("budget_minor", Views.int64(r.budgetMinor)), ("spend_minor", Views.int64(r.spendMinor)),
                ("revenue_minor", Views.int64(r.revenueMinor)), ("roi", Views.double(r.roi)),
                ("kpis_met", r.kpisMet.map(Views.int) ?? .null), ("kpis_total", Views.int(r.kpisTotal)),
                ("rounds", Views.int(r.rounds)), ("on_time_rate", Views.double(r.onTime.value)),
                ("on_time_rate_n", Views.int(r.onTime.n)),
            ] + states.map { ("hours_in_\($0)", Views.double(r.hoursInState[$0] ?? 0)) }
        }
        if csv {
            return Self.csv(
                "portfolio", header: header, rows: rows.map { cells($0).map { Self.text($0.1) } }, period: period)
        }
        return try APIResponse.json(
            JSONValue.object([
                "from": Views.date(period.from), "to": Views.date(period.to),
                "data": .array(rows.map { .object(Dictionary(uniqueKeysWithValues: cells($0))) }),
                "has_more": .bool(hasMore),
                "totals": .object(
                    Dictionary(
                        uniqueKeysWithValues: totals.map {
                            (
                                $0.currency,
                                JSONValue.object([
                                    "budget_minor": Views.int64($0.budgetMinor),
                                    "spend_minor": Views.int64($0.spendMinor),
                                    "revenue_minor": Views.int64($0.revenueMinor), "projects": Views.int($0.projects),
                                ])
                            )
                        })),
            ])
        ).response
    }

    // MARK: Parameters and formats

    /// `from` and `to` as RFC 3339 timestamps or dates (midnight UTC); by default the last 90 days.
    static func period(_ request: Request) throws -> (from: Date, to: Date, length: TimeInterval) {
        try period(
            from: request.uri.queryParameters.get("from").map { String($0) },
            to: request.uri.queryParameters.get("to").map { String($0) })
    }

    static func period(from fromText: String?, to toText: String?) throws -> (
        from: Date, to: Date, length: TimeInterval
    ) {
        func parse(_ key: String, _ raw: String?) throws -> Date? {
            guard let raw else { return nil }
            if let date = JSONCoding.parse(raw) { return date }
            if CalendarDate.isValid(raw), let date = JSONCoding.parse(raw + "T00:00:00Z") { return date }
            throw APIError.invalid(key, "must be an RFC 3339 timestamp or a date (YYYY-MM-DD)")
        }
        let to = try parse("to", toText) ?? Date()
        let from = try parse("from", fromText) ?? to.addingTimeInterval(-defaultPeriod)
        guard from < to else { throw APIError.invalid("from", "must be before to") }
        guard to.timeIntervalSince(from) <= maxPeriod else {
            throw APIError.invalid("to", "a period is at most 5 years")
        }
        return (from, to, to.timeIntervalSince(from))
    }

    /// `limit` of a report page: 1 to 1,000, `standard` when absent (nil: every row).
    static func pageLimit(_ request: Request, default standard: Int?) throws -> Int? {
        guard let raw = request.uri.queryParameters.get("limit") else { return standard }
        guard let n = Int(String(raw)) else { throw APIError.malformed("limit must be an integer") }
        guard (1...1000).contains(n) else { throw APIError.invalid("limit", "must be between 1 and 1000") }
        return n
    }

    static func wantsCSV(_ request: Request) -> Bool { request.headers[.accept]?.contains("text/csv") == true }

    static func csv(
        _ name: String, header: [String], rows: [[String]], period: (from: Date, to: Date, length: TimeInterval)
    )
        -> Response
    {
        APIResponse(
            status: .ok,
            headers: [
                "Content-Type": "text/csv; charset=utf-8; header=present",
                "Content-Disposition": ReportExport.disposition(name, from: period.from, to: period.to),
            ], body: CSV.render(header: header, rows: rows)
        ).response
    }

    /// A JSON cell as CSV text: numbers as JSON writes them, null as empty.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .string(let s): s
        default: String(decoding: value.serialized(), as: UTF8.self)
        }
    }

    static func text(_ value: Double?) -> String { text(Views.double(value)) }

    static func delta(_ now: Rate, _ before: Rate?) -> Double? {
        guard let a = now.value, let b = before?.value else { return nil }
        return a - b
    }
}

/// Report tables as files, shared by the API (`Accept: text/csv`) and the console's download link.
public enum ReportExport {
    /// The scorecard's rates by their API names, in the document's order.
    public static var rateNames: [String] { ReportRoutes.rateNames }
    /// The rates that are the brand's economics: an agency never reads them.
    public static let economicRates: Set<String> = ["kpi_hit_rate", "mean_attainment", "median_roi"]

    /// The agency scorecards as a table: one row per agency, each rate with its n, fees per currency, and the
    /// change of each rate against the previous period. Without `economics` (an agency reading its own row),
    /// the brand's KPI and ROI figures are empty.
    public static func agencies(current: [AgencyScorecard], previous: [AgencyScorecard], economics: Bool)
        -> (header: [String], rows: [[String]])
    {
        let before = Dictionary(uniqueKeysWithValues: previous.map { ($0.agencyID, $0) })
        let names = ReportRoutes.rateNames
        let currencies = Set(current.flatMap(\.fees.keys)).sorted()
        let header =
            ["agency_id", "agency_name", "tasks_issued"] + names.flatMap { [$0, "\($0)_n"] }
            + currencies.map { "fees_\($0)" } + names.map { "delta_\($0)" }
        let rows = current.map { s -> [String] in
            let rates = ReportRoutes.rates(s, economics: economics)
            let old = before[s.agencyID].map { ReportRoutes.rates($0, economics: economics) }
            return [s.agencyID.lowercased, s.agencyName, String(s.tasksIssued)]
                + rates.flatMap { [ReportRoutes.text($0.1.value), String($0.1.n)] }
                + currencies.map { s.fees[$0].map(String.init) ?? "" }
                + rates.indices.map { ReportRoutes.text(ReportRoutes.delta(rates[$0].1, old?[$0].1)) }
        }
        return (header, rows)
    }

    /// A CSV file (RFC 4180, formula-safe) of a table.
    public static func csv(header: [String], rows: [[String]]) -> [UInt8] { CSV.render(header: header, rows: rows) }

    /// `Content-Disposition` of a report download named for its period.
    public static func disposition(_ name: String, from: Date, to: Date) -> String {
        let day = { (d: Date) in String(JSONCoding.format(d).prefix(10)) }
        return "attachment; filename=\"\(name)-\(day(from))-\(day(to)).csv\""
    }

    /// The rates of a scorecard by their API names; without `economics`, KPI and ROI figures are empty.
    public static func rates(_ s: AgencyScorecard, economics: Bool) -> [(name: String, rate: Rate)] {
        ReportRoutes.rates(s, economics: economics).map { (name: $0.0, rate: $0.1) }
    }

    /// A report period from `from` and `to` (RFC 3339 or YYYY-MM-DD; the last 90 days by default), checked as
    /// the API checks it.
    public static func period(from: String?, to: String?) throws -> (from: Date, to: Date, length: TimeInterval) {
        try ReportRoutes.period(from: from, to: to)
    }
}
