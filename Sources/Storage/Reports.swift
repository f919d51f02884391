import Foundation
import Logging
import PostgresNIO
import Workflow

/// A rate with the number of cases it is computed over; `value` is nil when `n` is 0.
public struct Rate: Sendable, Hashable {
    public var value: Double?
    public var n: Int
    public init(value: Double?, n: Int) {
        self.value = n == 0 ? nil : value
        self.n = n
    }
}

/// One agency's scorecard over a period.
public struct AgencyScorecard: Sendable, Hashable {
    public var agencyID: UUID
    public var agencyName: String
    /// Offers of a task to the agency (an issued brief, a reassignment).
    public var tasksIssued: Int
    /// Offers the agency accepted, over offers.
    public var acceptanceRate: Rate
    public var medianHoursToAccept: Rate
    /// Accepted tasks whose first delivery came by `due_at`, over accepted tasks with a deadline and a delivery.
    public var onTimeRate: Rate
    /// Approved tasks approved at their first delivery, over approved tasks.
    public var firstPassRate: Rate
    /// Mean delivery rounds of approved tasks.
    public var meanRounds: Rate
    /// The brand's own median time from a delivery to its review.
    public var medianReviewHours: Rate
    /// On projects closed in the period that the agency worked on: KPIs met over KPIs.
    public var kpiHitRate: Rate
    public var meanAttainment: Rate
    public var medianROI: Rate
    /// Fees of the tasks the agency accepted, per currency, never summed across currencies.
    public var fees: [String: Int64]
}

/// One offer of a task to an agency, with every timestamp that feeds the scorecard.
public struct AgencyTaskRow: Sendable, Hashable {
    public var taskID: UUID
    public var taskTitle: String
    public var projectID: UUID
    public var projectTitle: String
    public var offeredAt: Date
    /// `accept`, `decline`, or nil while unanswered.
    public var answer: String?
    public var answeredAt: Date?
    public var dueAt: Date?
    public var firstDeliveredAt: Date?
    public var approvedAt: Date?
    /// Delivery rounds up to the approval.
    public var approvedRound: Int?
    public var fee: Money?
}

/// One project of the portfolio.
public struct ProjectReportRow: Sendable, Hashable {
    public var projectID: UUID
    public var title: String
    public var state: String
    public var createdAt: Date
    public var currency: String
    public var budgetMinor: Int64
    public var spendMinor: Int64?
    public var revenueMinor: Int64?
    public var roi: Double?
    public var kpisMet: Int?
    public var kpisTotal: Int
    /// Hours spent in each project state (the current one counted until now).
    public var hoursInState: [String: Double]
    public var rounds: Int
    public var onTime: Rate
}

/// The portfolio's totals in one currency.
public struct PortfolioTotal: Sendable, Hashable {
    public var currency: String
    public var budgetMinor: Int64
    public var spendMinor: Int64
    public var revenueMinor: Int64
    public var projects: Int
}

/// Reports built from the recorded history by SQL aggregates: agency scorecards, an agency's tasks, the portfolio.
public struct ReportStore: Sendable {
    let db: Database

    public init(db: Database) { self.db = db }

    /// The scorecards of the agencies a brand worked with in [from, to) — or, with `agency`, that agency's own row
    /// across the brands it works for (`brand` nil).
    public func agencies(brand: UUID?, agency: UUID?, from: Date, to: Date) async throws -> [AgencyScorecard] {
        let rows = try await reportRows(
            Self.query(
                brand: brand, agency: agency, from: from, to: to,
                """
                WITH \(Self.offersSQL),
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
                """))
        return try rows.map { row in
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

    /// Every offer of a task to `agency` by `brand` in [from, to), with its timestamps.
    public func agencyTasks(brand: UUID, agency: UUID, from: Date, to: Date) async throws -> [AgencyTaskRow] {
        let rows = try await reportRows(
            Self.query(
                brand: brand, agency: agency, from: from, to: to,
                """
                WITH \(Self.offersSQL)
                SELECT a.task_id, t.title, p.id, p.title, a.offered_at, a.answer, a.answered_at, t.due_at,
                       a.first_delivered_at,
                       CASE WHEN a.answer = 'accept' AND a.agency_id = t.agency_id THEN a.approved_at END,
                       CASE WHEN a.answer = 'accept' AND a.agency_id = t.agency_id THEN a.approved_round END,
                       t.fee_minor, t.currency
                FROM answered a JOIN tasks t ON t.id = a.task_id JOIN projects p ON p.id = a.project_id
                ORDER BY a.offered_at, a.task_id
                """))
        return try rows.map { row in
            let r = try row.decode(
                (UUID, String, UUID, String, Date, String?, Date?, Date?, Date?, Date?, Int?, Int64?, String?).self)
            return AgencyTaskRow(
                taskID: r.0, taskTitle: r.1, projectID: r.2, projectTitle: r.3, offeredAt: r.4, answer: r.5,
                answeredAt: r.6, dueAt: r.7, firstDeliveredAt: r.8, approvedAt: r.9, approvedRound: r.10,
                fee: r.11.flatMap { amount in r.12.map { Money(amountMinor: amount, currency: $0) } })
        }
    }

    /// Whether `brand` ever offered a task to `agency`.
    public func workedWith(brand: UUID, agency: UUID) async throws -> Bool {
        let rows = try await reportRows(
            """
            SELECT 1 FROM tasks t JOIN projects p ON p.id = t.project_id
            WHERE p.brand_id = \(brand) AND t.agency_id = \(agency) AND \(unescaped: DomainSQL.agencySeesTask("t"))
            UNION ALL
            SELECT 1 FROM transitions h JOIN projects p ON p.id = h.project_id
            WHERE p.brand_id = \(brand) AND h.action = 'reassign' AND (h.data->>'previous_agency_id')::uuid = \(agency)
            LIMIT 1
            """)
        return !rows.isEmpty
    }

    /// The brand's projects created in [from, to), optionally in one state, in order of creation: after the project
    /// `after` (a row of an earlier page) and at most `limit` of them, or all of them when `limit` is nil.
    public func projects(
        brand: UUID, from: Date, to: Date, state: String?, after: UUID? = nil, limit: Int? = nil
    ) async throws -> [ProjectReportRow] {
        let rows = try await reportRows(
            """
            WITH proj AS (
                SELECT * FROM projects WHERE brand_id = \(brand) AND created_at >= \(from) AND created_at < \(to)
                  AND (\(state)::text IS NULL OR state = \(state))
                  AND (\(after)::uuid IS NULL
                       OR (created_at, id) > (SELECT created_at, id FROM projects WHERE id = \(after)::uuid))
                ORDER BY created_at, id LIMIT \(limit)::int
            ), state_hours AS (
                -- Kept by the transition transaction (migration 0011): ended stays, and the current one until now;
                -- one column per state the report shows.
                SELECT s.project_id, \(unescaped: Self.hoursColumns)
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
                   jsonb_array_length(p.strategy->'kpis'), ARRAY[\(unescaped: Self.hoursSelected)],
                   COALESCE(df.rounds, 0), COALESCE(df.on_time, 0), COALESCE(df.with_due, 0)
            FROM proj p LEFT JOIN state_hours sh ON sh.project_id = p.id
            LEFT JOIN delivery_figures df ON df.project_id = p.id
            ORDER BY p.created_at, p.id
            """)
        return try rows.map { row in
            let r = try row.decode(
                (
                    UUID, String, String, Date, String, Int64, Int64?, Int64?, Double?, Int?, Int, [Double], Int, Int,
                    Int
                ).self)
            return ProjectReportRow(
                projectID: r.0, title: r.1, state: r.2, createdAt: r.3, currency: r.4, budgetMinor: r.5,
                spendMinor: r.6, revenueMinor: r.7, roi: r.8, kpisMet: r.9,
                kpisTotal: r.10, hoursInState: Dictionary(uniqueKeysWithValues: zip(Self.reportedStates, r.11)),
                rounds: r.12, onTime: Rate(value: r.14 == 0 ? nil : Double(r.13) / Double(r.14), n: r.14))
        }
    }

    /// The states whose hours the portfolio reports: every state but the terminal ones.
    static let reportedStates = ProjectState.allCases.filter { !$0.isTerminal }.map(\.rawValue)

    /// `hours_<state>` per reported state: the ended stays' seconds plus the current stay until now, in hours.
    static let hoursColumns = reportedStates.map {
        "sum(s.seconds + COALESCE(EXTRACT(EPOCH FROM now() - s.since)::float8, 0)) FILTER (WHERE s.state = '\($0)')"
            + " / 3600 AS hours_\($0)"
    }.joined(separator: ",\n       ")

    /// The reported states' hours as one array, in `reportedStates` order (0 for a state never entered).
    static let hoursSelected = reportedStates.map { "COALESCE(sh.hours_\($0), 0)" }.joined(separator: ", ")

    /// The portfolio's totals per currency over every project of the report (every page): budget, spend, revenue
    /// and the number of projects. Amounts are never summed across currencies.
    public func projectTotals(brand: UUID, from: Date, to: Date, state: String?) async throws -> [PortfolioTotal] {
        let rows = try await reportRows(
            """
            SELECT strategy->'budget'->>'currency' AS currency,
                   sum((strategy->'budget'->>'amount_minor')::int8)::int8,
                   COALESCE(sum((kpi_results->>'spend_minor')::int8), 0)::int8,
                   COALESCE(sum((kpi_results->>'revenue_minor')::int8), 0)::int8, count(*)::int
            FROM projects WHERE brand_id = \(brand) AND created_at >= \(from) AND created_at < \(to)
              AND (\(state)::text IS NULL OR state = \(state))
            GROUP BY 1 ORDER BY 1
            """)
        return try rows.map { row in
            let r = try row.decode((String, Int64, Int64, Int64, Int).self)
            return PortfolioTotal(currency: r.0, budgetMinor: r.1, spendMinor: r.2, revenueMinor: r.3, projects: r.4)
        }
    }

    /// Whether `project` is one of the brand's projects created in [from, to) (in `state` when given): a page's
    /// `starting_after` must be.
    public func portfolioHas(_ project: UUID, brand: UUID, from: Date, to: Date, state: String?) async throws -> Bool {
        try await !reportRows(
            """
            SELECT 1 FROM projects WHERE id = \(project) AND brand_id = \(brand)
              AND created_at >= \(from) AND created_at < \(to) AND (\(state)::text IS NULL OR state = \(state))
            """
        ).isEmpty
    }

    /// Runs a report statement in a read-only transaction that PostgreSQL itself ends after 5 s (the daemon's own
    /// deadline stops waiting then; without this the statement would go on in the server), without JIT.
    func reportRows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await db.transaction { [logger = db.logger] conn in
            try await conn.query("SET TRANSACTION READ ONLY", logger: logger).run()
            try await conn.query("SET LOCAL statement_timeout = 5000", logger: logger).run()
            // Reports are costed high enough for JIT compilation, which took ~150 ms of a ~600 ms report and is
            // never repaid on queries this size; sorts and hashes of 10,000 projects fit in memory.
            try await conn.query("SET LOCAL jit = off", logger: logger).run()
            try await conn.query("SET LOCAL work_mem = '32MB'", logger: logger).run()
            var rows: [PostgresRow] = []
            for try await row in try await conn.query(query, logger: logger) { rows.append(row) }
            return rows
        }
    }

    /// A report statement with its four values: `$1` the brand (or NULL), `$2` the agency (or NULL), `$3` and `$4`
    /// the period.
    static func query(brand: UUID?, agency: UUID?, from: Date, to: Date, _ sql: String) -> PostgresQuery {
        var binds = PostgresBindings(capacity: 4)
        binds.append(brand)
        binds.append(agency)
        binds.append(from)
        binds.append(to)
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// The offers of tasks in [$3, $4) with their answers and what followed, as CTEs `proj` (the projects in scope,
    /// for the closed-project figures) and `answered` (one row per offer, from `task_offers`, which the transition
    /// transaction keeps: migration 0011). An offer is a brief issued with the task in it (to the agency that held it
    /// then) or a reassignment (to the new agency); its answer is that agency's first accept or decline after it.
    static let offersSQL: String = {
        let (brand, agency, from, to) = ("$1", "$2", "$3", "$4")
        return """
            proj AS (
                SELECT id, title, outcome FROM projects
                WHERE (\(brand)::uuid IS NULL OR brand_id = \(brand)::uuid)
                  AND (\(agency)::uuid IS NULL OR id IN (SELECT project_id FROM tasks WHERE agency_id = \(agency)::uuid)
                       OR id IN (SELECT project_id FROM transitions WHERE action = 'reassign'
                                 AND (data->>'previous_agency_id')::uuid = \(agency)::uuid))
            ), answered AS (
                SELECT o.task_id, o.project_id, o.offered_at, o.offer_sequence AS sequence, o.agency_id, o.answer,
                       o.answered_at, o.answer_sequence, o.first_delivered_at, o.approved_at, o.approved_round
                FROM task_offers o
                WHERE (\(brand)::uuid IS NULL OR o.brand_id = \(brand)::uuid)
                  AND (\(agency)::uuid IS NULL OR o.agency_id = \(agency)::uuid)
                  AND o.offered_at >= \(from)::timestamptz AND o.offered_at < \(to)::timestamptz
            )
            """
    }()
}
