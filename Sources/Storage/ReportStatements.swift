import Foundation
import PostgresNIO
import Workflow

// The statements of the reports (`ReportStore`), typed and prepared like the hot path's. Each runs in a read-only
// transaction that PostgreSQL ends after 5 s (`ReportStore.reportRows`).
extension ReportStore {
    /// A statement over a period's offers: `$1` the brand (or NULL), `$2` the agency (or NULL), `$3` and `$4` the
    /// period (`offersSQL`).
    protocol PeriodStatement: PostgresPreparedStatement {
        var brand: UUID? { get }
        var agency: UUID? { get }
        var from: Date { get }
        var to: Date { get }
    }

    /// The agencies' scorecards: one row per agency that answered an offer in the period.
    struct AgencyScorecards: PeriodStatement {
        static let name = "briefd_report_agency_scorecards"
        static let sql = """
            WITH \(offersSQL),
            accepted AS (
                SELECT a.*, t.due_at, t.fee_minor, t.currency
                FROM answered a JOIN tasks t ON t.id = a.task_id
                WHERE a.answer = 'accept' AND a.agency_id = t.agency_id
            ), reviews AS (
                SELECT a.agency_id, EXTRACT(EPOCH FROM r.reviewed_at - r.delivered_at) / 3600 AS hours
                FROM accepted a JOIN task_reviews r ON r.task_id = a.task_id
            ), closed AS (
                SELECT DISTINCT t.agency_id, p.id, p.outcome
                FROM project_closures c JOIN proj p ON p.id = c.project_id JOIN tasks t ON t.project_id = p.id
                WHERE c.closed_at >= $3 AND c.closed_at < $4 AND p.outcome IS NOT NULL
            ), kpis AS (
                SELECT c.agency_id, (k->>'met')::bool AS met, (k->>'attainment')::float8 AS attainment
                FROM closed c, jsonb_array_elements(c.outcome->'kpis') k
            ), agencies AS (SELECT DISTINCT agency_id FROM answered),
            -- Each figure is one aggregate per agency over its CTE, read once (not a subquery per agency).
            offer_figures AS (
                SELECT agency_id, count(*)::int AS issued, count(*) FILTER (WHERE answer = 'accept')::int AS
                    accepted,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM answered_at - offered_at) /
                           3600)
                           FILTER (WHERE answer = 'accept') AS median_accept
                FROM answered GROUP BY agency_id
            ), accepted_figures AS (
                SELECT agency_id,
                       count(*) FILTER (WHERE due_at IS NOT NULL AND first_delivered_at <= due_at)::int AS on_time,
                       count(*) FILTER (WHERE due_at IS NOT NULL AND first_delivered_at IS NOT NULL)::int AS
                           on_time_n,
                       count(*) FILTER (WHERE approved_round = 1)::int AS first_pass,
                       count(*) FILTER (WHERE approved_round IS NOT NULL)::int AS approved,
                       (avg(approved_round) FILTER (WHERE approved_round IS NOT NULL))::float8 AS mean_rounds
                FROM accepted GROUP BY agency_id
            ), fee_figures AS (
                SELECT agency_id, jsonb_object_agg(currency, total)::text AS fees FROM (
                    SELECT agency_id, currency, sum(fee_minor) AS total FROM accepted
                    WHERE currency IS NOT NULL GROUP BY agency_id, currency) f
                GROUP BY agency_id
            ), review_figures AS (
                SELECT agency_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) FILTER (WHERE hours IS NOT
                    NULL)
                           AS median_hours,
                       count(*) FILTER (WHERE hours IS NOT NULL)::int AS n
                FROM reviews GROUP BY agency_id
            ), kpi_figures AS (
                SELECT agency_id, count(*) FILTER (WHERE met)::int AS met, count(*)::int AS n,
                       (avg(attainment) FILTER (WHERE attainment IS NOT NULL))::float8 AS attainment,
                       count(*) FILTER (WHERE attainment IS NOT NULL)::int AS attainment_n
                FROM kpis GROUP BY agency_id
            ), roi_figures AS (
                SELECT agency_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY (outcome->>'roi')::float8)
                           FILTER (WHERE outcome->>'roi' IS NOT NULL) AS median_roi,
                       count(*) FILTER (WHERE outcome->>'roi' IS NOT NULL)::int AS n
                FROM closed GROUP BY agency_id
            )
            SELECT g.agency_id, o.name,
                COALESCE(ofs.issued, 0), COALESCE(ofs.accepted, 0), ofs.median_accept, COALESCE(ofs.accepted, 0),
                COALESCE(af.on_time, 0), COALESCE(af.on_time_n, 0), COALESCE(af.first_pass, 0),
                COALESCE(af.approved, 0), af.mean_rounds,
                rf.median_hours, COALESCE(rf.n, 0),
                COALESCE(kf.met, 0), COALESCE(kf.n, 0), kf.attainment, COALESCE(kf.attainment_n, 0),
                roi.median_roi, COALESCE(roi.n, 0),
                COALESCE(ff.fees, '{}')
            FROM agencies g JOIN organizations o ON o.id = g.agency_id
            LEFT JOIN offer_figures ofs ON ofs.agency_id = g.agency_id
            LEFT JOIN accepted_figures af ON af.agency_id = g.agency_id
            LEFT JOIN fee_figures ff ON ff.agency_id = g.agency_id
            LEFT JOIN review_figures rf ON rf.agency_id = g.agency_id
            LEFT JOIN kpi_figures kf ON kf.agency_id = g.agency_id
            LEFT JOIN roi_figures roi ON roi.agency_id = g.agency_id
            ORDER BY o.name, g.agency_id
            """
        typealias Row = AgencyScorecard
        var brand: UUID?
        var agency: UUID?
        var from: Date
        var to: Date

        func decodeRow(_ row: PostgresRow) throws -> Row {
            let r = try row.decode(
                (
                    UUID, String, Int, Int, Double?, Int, Int, Int, Int, Int, Double?, Double?, Int, Int, Int, Double?,
                    Int, Double?, Int, String
                ).self)
            let fees = try JSONDecoder().decode([String: Int64].self, from: Data(r.19.utf8))
            func ratio(_ a: Int, _ b: Int) -> Rate { Rate(value: b == 0 ? nil : Double(a) / Double(b), n: b) }
            return AgencyScorecard(
                agencyID: r.0, agencyName: r.1, tasksIssued: r.2, acceptanceRate: ratio(r.3, r.2),
                medianHoursToAccept: Rate(value: r.4, n: r.5), onTimeRate: ratio(r.6, r.7),
                firstPassRate: ratio(r.8, r.9), meanRounds: Rate(value: r.10, n: r.9),
                medianReviewHours: Rate(value: r.11, n: r.12), kpiHitRate: ratio(r.13, r.14),
                meanAttainment: Rate(value: r.15, n: r.16), medianROI: Rate(value: r.17, n: r.18), fees: fees)
        }
    }

    /// Every offer of a task to the agency by the brand in the period, with its timestamps.
    struct AgencyTasks: PeriodStatement {
        static let name = "briefd_report_agency_tasks"
        static let sql = """
            WITH \(offersSQL)
            SELECT a.task_id, t.title, p.id, p.title, a.offered_at, a.answer, a.answered_at, t.due_at,
                   a.first_delivered_at,
                   CASE WHEN a.answer = 'accept' AND a.agency_id = t.agency_id THEN a.approved_at END,
                   CASE WHEN a.answer = 'accept' AND a.agency_id = t.agency_id THEN a.approved_round END,
                   t.fee_minor, t.currency
            FROM answered a JOIN tasks t ON t.id = a.task_id JOIN projects p ON p.id = a.project_id
            ORDER BY a.offered_at, a.task_id
            """
        typealias Row = AgencyTaskRow
        var brand: UUID?
        var agency: UUID?
        var from: Date
        var to: Date

        func decodeRow(_ row: PostgresRow) throws -> Row {
            let r = try row.decode(
                (UUID, String, UUID, String, Date, String?, Date?, Date?, Date?, Date?, Int?, Int64?, String?).self)
            return AgencyTaskRow(
                taskID: r.0, taskTitle: r.1, projectID: r.2, projectTitle: r.3, offeredAt: r.4, answer: r.5,
                answeredAt: r.6, dueAt: r.7, firstDeliveredAt: r.8, approvedAt: r.9, approvedRound: r.10,
                fee: r.11.flatMap { amount in r.12.map { Money(amountMinor: amount, currency: $0) } })
        }
    }
}

extension ReportStore.PeriodStatement {
    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 4)
        try b.append(optional: brand)
        try b.append(optional: agency)
        b.append(from)
        b.append(to)
        return b
    }
}

extension ReportStore {
    /// Locals of the report's transaction, in one statement: read only, ended by PostgreSQL after 5 s, no JIT
    /// (reports are costed high enough for JIT compilation, which took ~150 ms of a ~600 ms report and is never
    /// repaid on queries this size), and sorts and hashes of 10,000 projects in memory.
    struct ReportSettings: PostgresPreparedStatement {
        static let name = "briefd_report_settings"
        static let sql = """
            SELECT set_config('transaction_read_only', 'on', true), set_config('statement_timeout', '5000', true),
                   set_config('jit', 'off', true), set_config('work_mem', '32MB', true)
            """
        typealias Row = Void

        func makeBindings() throws -> PostgresBindings { PostgresBindings() }
    }

    /// Whether the brand ever offered a task to the agency (an issued task of its, or one reassigned away from it).
    struct WorkedWith: PostgresPreparedStatement {
        static let name = "briefd_report_worked_with"
        static let sql = """
            SELECT 1 FROM tasks t JOIN projects p ON p.id = t.project_id
            WHERE p.brand_id = $1::uuid AND t.agency_id = $2::uuid AND \(DomainSQL.agencySeesTask("t"))
            UNION ALL
            SELECT 1 FROM transitions h JOIN projects p ON p.id = h.project_id
            WHERE p.brand_id = $1::uuid AND h.action = '\(Action.reassign.rawValue)'
              AND (h.data->>'\(Detail.previousAgencyID.rawValue)')::uuid = $2::uuid
            LIMIT 1
            """
        typealias Row = Int
        var brand: UUID
        var agency: UUID

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 2)
            b.append(brand)
            b.append(agency)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int.self) }
    }

    /// A page of the portfolio: the brand's projects created in the period, optionally in one state, after a row.
    struct PortfolioRows: PostgresPreparedStatement {
        static let name = "briefd_report_portfolio_rows"
        static let sql = """
            WITH proj AS (
                SELECT * FROM projects
                WHERE brand_id = $1::uuid AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
                  AND ($4::text IS NULL OR state = $4::text)
                  AND ($5::uuid IS NULL
                       OR (created_at, id) > (SELECT created_at, id FROM projects WHERE id = $5::uuid))
                ORDER BY created_at, id LIMIT $6::int
            ), state_hours AS (
                -- Kept by the transition transaction (migration 0011): ended stays, and the current one until now;
                -- one column per state the report shows.
                SELECT s.project_id, \(hoursColumns)
                FROM project_state_time s JOIN proj p ON p.id = s.project_id
                GROUP BY s.project_id
            ), task_deliveries AS (
                -- Each task of the projects with its first delivery and its rounds.
                SELECT t.project_id, t.due_at, min(r.delivered_at) AS first, count(*) AS n
                FROM proj p JOIN tasks t ON t.project_id = p.id JOIN task_reviews r ON r.task_id = t.id
                GROUP BY t.id
            ), delivery_figures AS (
                SELECT project_id, sum(n)::int AS rounds,
                       count(*) FILTER (WHERE due_at IS NOT NULL AND first <= due_at)::int AS on_time,
                       count(*) FILTER (WHERE due_at IS NOT NULL)::int AS with_due
                FROM task_deliveries GROUP BY project_id
            )
            SELECT p.id, p.title, p.state, p.created_at, p.strategy->'budget'->>'currency',
                   (p.strategy->'budget'->>'amount_minor')::int8,
                   (p.kpi_results->>'spend_minor')::int8, (p.kpi_results->>'revenue_minor')::int8,
                   (p.outcome->>'roi')::float8,
                   CASE WHEN p.outcome IS NOT NULL THEN (
                       SELECT count(*) FILTER (WHERE (k->>'met')::bool)::int
                       FROM jsonb_array_elements(p.outcome->'kpis') k) END,
                   jsonb_array_length(p.strategy->'kpis'), ARRAY[\(hoursSelected)],
                   COALESCE(df.rounds, 0), COALESCE(df.on_time, 0), COALESCE(df.with_due, 0)
            FROM proj p LEFT JOIN state_hours sh ON sh.project_id = p.id
            LEFT JOIN delivery_figures df ON df.project_id = p.id
            ORDER BY p.created_at, p.id
            """
        typealias Row = ProjectReportRow
        var brand: UUID
        var from: Date
        var to: Date
        var state: String?
        var after: UUID?
        var limit: Int?

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 6)
            b.append(brand)
            b.append(from)
            b.append(to)
            try b.append(optional: state)
            try b.append(optional: after)
            try b.append(optional: limit)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row {
            let r = try row.decode(
                (
                    UUID, String, String, Date, String, Int64, Int64?, Int64?, Double?, Int?, Int, [Double], Int, Int,
                    Int
                ).self)
            return ProjectReportRow(
                projectID: r.0, title: r.1, state: r.2, createdAt: r.3, currency: r.4, budgetMinor: r.5,
                spendMinor: r.6, revenueMinor: r.7, roi: r.8, kpisMet: r.9,
                kpisTotal: r.10, hoursInState: Dictionary(uniqueKeysWithValues: zip(ReportStore.reportedStates, r.11)),
                rounds: r.12, onTime: Rate(value: r.14 == 0 ? nil : Double(r.13) / Double(r.14), n: r.14))
        }
    }

    /// The portfolio's totals per currency (never summed across currencies).
    struct PortfolioTotals: PostgresPreparedStatement {
        static let name = "briefd_report_portfolio_totals"
        static let sql = """
            SELECT strategy->'budget'->>'currency' AS currency,
                   sum((strategy->'budget'->>'amount_minor')::int8)::int8,
                   COALESCE(sum((kpi_results->>'spend_minor')::int8), 0)::int8,
                   COALESCE(sum((kpi_results->>'revenue_minor')::int8), 0)::int8, count(*)::int
            FROM projects WHERE brand_id = $1::uuid AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
              AND ($4::text IS NULL OR state = $4::text)
            GROUP BY 1 ORDER BY 1
            """
        typealias Row = PortfolioTotal
        var brand: UUID
        var from: Date
        var to: Date
        var state: String?

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 4)
            b.append(brand)
            b.append(from)
            b.append(to)
            try b.append(optional: state)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (currency, budget, spend, revenue, projects) = try row.decode((String, Int64, Int64, Int64, Int).self)
            return PortfolioTotal(
                currency: currency, budgetMinor: budget, spendMinor: spend, revenueMinor: revenue, projects: projects)
        }
    }

    /// Whether a project is in the portfolio's scope (a page's `starting_after` must be).
    struct PortfolioHas: PostgresPreparedStatement {
        static let name = "briefd_report_portfolio_has"
        static let sql = """
            SELECT 1 FROM projects WHERE id = $1::uuid AND brand_id = $2::uuid
              AND created_at >= $3::timestamptz AND created_at < $4::timestamptz
              AND ($5::text IS NULL OR state = $5::text)
            """
        typealias Row = Int
        var project: UUID
        var brand: UUID
        var from: Date
        var to: Date
        var state: String?

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 5)
            b.append(project)
            b.append(brand)
            b.append(from)
            b.append(to)
            try b.append(optional: state)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int.self) }
    }
}
