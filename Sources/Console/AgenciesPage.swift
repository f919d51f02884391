import API
import Foundation
import HTTPTypes
import Hummingbird
import Storage
import Workflow

extension Console {
    struct ScoreRow {
        var name: String
        var tasksIssued: Int
        var cells: [String]
        var fees: String
    }

    /// `GET /console/agencies`: the brand's scorecard of its agencies over a period (the last 90 days unless
    /// `from`/`to` say otherwise), with its CSV download and a chart of on-time rates. An agency sees its own
    /// operational row across the brands it works for, never a brand's economics.
    func agenciesPage(_ request: Request, _ session: ConsoleSession) async throws -> Response {
        struct View {
            var chrome: Chrome
            var isBrand: Bool
            var from: String
            var to: String
            var period: String
            var headers: [String]
            var rows: [ScoreRow]
            var empty: Bool
            var csv: String
            var chart: BarChart?
        }
        let (period, scorecards, economics) = try await scorecards(request, session)
        let t = session.t
        let shown = ReportExport.rateNames.filter { economics || !ReportExport.economicRates.contains($0) }
        let rows = scorecards.current.map { s in
            let rates = Dictionary(
                uniqueKeysWithValues: ReportExport.rates(s, economics: economics).map { ($0.name, $0.rate) })
            return ScoreRow(
                name: s.agencyName, tasksIssued: s.tasksIssued,
                cells: shown.map { name in
                    guard let r = rates[name], let v = r.value else { return "–" }
                    let text =
                        name.hasSuffix("_rate") || name == "mean_attainment" || name == "median_roi"
                        ? t.percent(v) : t.number(v, digits: 1)
                    return "\(text) (n=\(r.n))"
                },
                fees: s.fees.keys.sorted().map { t.money(s.fees[$0], $0) }.joined(separator: ", "))
        }
        let day = { (d: Date) in String(JSONCoding.format(d).prefix(10)) }
        let query = "from=\(day(period.from))&to=\(day(period.to))"
        return templates.page(
            .agencies,
            View(
                chrome: Chrome(
                    session,
                    title: t.say(session.principal.organization.kind == .brand ? "nav.agencies" : "nav.scorecard"),
                    section: "agencies"),
                isBrand: session.principal.organization.kind == .brand, from: day(period.from), to: day(period.to),
                period: t.say(
                    "agencies.period",
                    [
                        "from": t.dayText(Calendar.utc.dateComponents([.year, .month, .day], from: period.from)),
                        "to": t.dayText(Calendar.utc.dateComponents([.year, .month, .day], from: period.to)),
                    ]),
                headers: shown.map { t.say("agencies.rate.\($0)") }, rows: rows, empty: rows.isEmpty,
                csv: "/console/agencies.csv?\(query)",
                chart: rows.isEmpty
                    ? nil
                    : BarChart.rates(
                        title: t.say("agencies.chart"), scorecards.current.map { ($0.agencyName, $0.onTimeRate) }, t: t)
            ))
    }

    /// `GET /console/agencies.csv`: the same table as the API's `Accept: text/csv`, as a download.
    func agenciesCSV(_ request: Request, _ session: ConsoleSession) async throws -> Response {
        let (period, scorecards, economics) = try await scorecards(request, session)
        let table = ReportExport.agencies(
            current: scorecards.current, previous: scorecards.previous, economics: economics)
        var headers = HTML.securityHeaders
        headers[.contentType] = "text/csv; charset=utf-8; header=present"
        headers[.contentDisposition] = ReportExport.disposition("agency-scorecards", from: period.from, to: period.to)
        return Response(
            status: .ok, headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: ReportExport.csv(header: table.header, rows: table.rows))))
    }

    private func scorecards(_ request: Request, _ session: ConsoleSession) async throws -> (
        period: (from: Date, to: Date, length: TimeInterval),
        scorecards: (current: [AgencyScorecard], previous: [AgencyScorecard]), economics: Bool
    ) {
        let p = session.principal
        let q = request.uri.queryParameters
        let period = try ReportExport.period(
            from: q.get("from").map { String($0) }.flatMap(\.nilIfEmpty),
            to: q.get("to").map { String($0) }.flatMap(\.nilIfEmpty))
        let brand = p.organization.kind == .brand ? p.organization.id : nil
        let agency = p.organization.kind == .agency ? p.organization.id : nil
        let current = try await reports.agencies(brand: brand, agency: agency, from: period.from, to: period.to)
        let previous = try await reports.agencies(
            brand: brand, agency: agency, from: period.from.addingTimeInterval(-period.length), to: period.from)
        return (period, (current, previous), p.organization.kind == .brand)
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC: a report's period is days in UTC.
    static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = .gmt
        return c
    }()
}
