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
                    SELECT a.*, t.due_at, t.fee_minor, t.currency,
                           (SELECT min(d.occurred_at) FROM transitions d WHERE d.task_id = a.task_id AND d.action = 'submit_delivery'
                              AND d.actor_org_id = a.agency_id) AS first_delivered_at,
                           (SELECT (r.data->>'round')::int FROM transitions r WHERE r.task_id = a.task_id AND r.action = 'approve'
                              AND r.sequence > a.answer_sequence ORDER BY r.sequence LIMIT 1) AS approved_round
                    FROM answered a JOIN tasks t ON t.id = a.task_id
                    WHERE a.answer = 'accept' AND a.agency_id = t.agency_id
                ), reviews AS (
                    SELECT a.agency_id, EXTRACT(EPOCH FROM (
                               SELECT min(r.occurred_at) FROM transitions r WHERE r.task_id = d.task_id
                                 AND r.action IN ('approve', 'request_changes') AND r.sequence > d.sequence)
                           - d.occurred_at) / 3600 AS hours
                    FROM accepted a JOIN transitions d ON d.task_id = a.task_id AND d.action = 'submit_delivery'
                ), closed AS (
                    SELECT DISTINCT t.agency_id, p.id, p.outcome
                    FROM proj p JOIN tasks t ON t.project_id = p.id
                    JOIN transitions c ON c.project_id = p.id AND c.action = 'close' AND c.occurred_at >= $3
                  AND c.occurred_at < $4
                    WHERE p.outcome IS NOT NULL
                ), kpis AS (
                    SELECT c.agency_id, (k->>'met')::bool AS met, (k->>'attainment')::float8 AS attainment
                    FROM closed c, jsonb_array_elements(c.outcome->'kpis') k
                ), agencies AS (SELECT DISTINCT agency_id FROM answered)
                SELECT g.agency_id, o.name,
                    (SELECT count(*)::int FROM answered a WHERE a.agency_id = g.agency_id),
                    (SELECT count(*) FILTER (WHERE answer = 'accept')::int FROM answered a WHERE a.agency_id = g.agency_id),
                    (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM answered_at - offered_at) / 3600)
                       FROM answered a WHERE a.agency_id = g.agency_id AND answer = 'accept'),
                    (SELECT count(*)::int FROM answered a WHERE a.agency_id = g.agency_id AND answer = 'accept'),
                    (SELECT count(*) FILTER (WHERE first_delivered_at <= due_at)::int FROM accepted a
                       WHERE a.agency_id = g.agency_id AND due_at IS NOT NULL AND first_delivered_at IS NOT NULL),
                    (SELECT count(*)::int FROM accepted a
                       WHERE a.agency_id = g.agency_id AND due_at IS NOT NULL AND first_delivered_at IS NOT NULL),
                    (SELECT count(*) FILTER (WHERE approved_round = 1)::int FROM accepted a
                       WHERE a.agency_id = g.agency_id AND approved_round IS NOT NULL),
                    (SELECT count(*)::int FROM accepted a WHERE a.agency_id = g.agency_id AND approved_round IS NOT NULL),
                    (SELECT avg(approved_round)::float8 FROM accepted a
                       WHERE a.agency_id = g.agency_id AND approved_round IS NOT NULL),
                    (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) FROM reviews r
                       WHERE r.agency_id = g.agency_id AND hours IS NOT NULL),
                    (SELECT count(*)::int FROM reviews r WHERE r.agency_id = g.agency_id AND hours IS NOT NULL),
                    (SELECT count(*) FILTER (WHERE met)::int FROM kpis k WHERE k.agency_id = g.agency_id),
                    (SELECT count(*)::int FROM kpis k WHERE k.agency_id = g.agency_id),
                    (SELECT avg(attainment)::float8 FROM kpis k WHERE k.agency_id = g.agency_id AND attainment IS NOT NULL),
                    (SELECT count(*)::int FROM kpis k WHERE k.agency_id = g.agency_id AND attainment IS NOT NULL),
                    (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (outcome->>'roi')::float8) FROM closed c
                       WHERE c.agency_id = g.agency_id AND outcome->>'roi' IS NOT NULL),
                    (SELECT count(*)::int FROM closed c WHERE c.agency_id = g.agency_id AND outcome->>'roi' IS NOT NULL),
                    (SELECT COALESCE(jsonb_object_agg(currency, total), '{}')::text FROM (
                       SELECT currency, sum(fee_minor) AS total FROM accepted a
                       WHERE a.agency_id = g.agency_id AND currency IS NOT NULL GROUP BY currency) f)
                FROM agencies g JOIN organizations o ON o.id = g.agency_id
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
                       (SELECT min(d.occurred_at) FROM transitions d WHERE d.task_id = a.task_id AND d.action = 'submit_delivery'
                          AND d.actor_org_id = a.agency_id),
                       ap.occurred_at, (ap.data->>'round')::int, t.fee_minor, t.currency
                FROM answered a JOIN tasks t ON t.id = a.task_id JOIN projects p ON p.id = a.project_id
                LEFT JOIN LATERAL (
                    SELECT r.occurred_at, r.data FROM transitions r WHERE r.task_id = a.task_id AND r.action = 'approve'
                      AND a.answer = 'accept' AND a.agency_id = t.agency_id AND r.sequence > a.answer_sequence
                    ORDER BY r.sequence LIMIT 1) ap ON true
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
            WHERE p.brand_id = \(brand) AND t.agency_id = \(agency) AND t.state <> 'draft'
            UNION ALL
            SELECT 1 FROM transitions h JOIN projects p ON p.id = h.project_id
            WHERE p.brand_id = \(brand) AND h.action = 'reassign' AND (h.data->>'previous_agency_id')::uuid = \(agency)
            LIMIT 1
            """)
        return !rows.isEmpty
    }

    /// The brand's projects created in [from, to), optionally in one state.
    public func projects(brand: UUID, from: Date, to: Date, state: String?) async throws -> [ProjectReportRow] {
        let rows = try await reportRows(
            """
            WITH proj AS (
                SELECT * FROM projects WHERE brand_id = \(brand) AND created_at >= \(from) AND created_at < \(to)
                  AND (\(state)::text IS NULL OR state = \(state))
            ), changes AS (
                SELECT h.project_id, h.to_state, h.occurred_at,
                       lead(h.occurred_at) OVER (PARTITION BY h.project_id ORDER BY h.sequence) AS until
                FROM transitions h JOIN proj p ON p.id = h.project_id
                WHERE h.from_state IS NULL OR h.from_state <> h.to_state
            ), state_hours AS (
                SELECT project_id, jsonb_object_agg(to_state, hours)::text AS hours FROM (
                    SELECT project_id, to_state, sum(EXTRACT(EPOCH FROM COALESCE(until, now()) - occurred_at) / 3600) AS hours
                    FROM changes WHERE to_state NOT IN ('closed', 'cancelled') GROUP BY project_id, to_state) x
                GROUP BY project_id
            ), deliveries AS (
                SELECT d.project_id, d.task_id, min(d.occurred_at) AS first, count(*) AS n
                FROM transitions d JOIN proj p ON p.id = d.project_id
                WHERE d.action = 'submit_delivery' GROUP BY d.project_id, d.task_id
            ), delivery_figures AS (
                SELECT d.project_id, sum(d.n)::int AS rounds,
                       count(*) FILTER (WHERE t.due_at IS NOT NULL AND d.first <= t.due_at)::int AS on_time,
                       count(*) FILTER (WHERE t.due_at IS NOT NULL)::int AS with_due
                FROM deliveries d LEFT JOIN tasks t ON t.id = d.task_id GROUP BY d.project_id
            )
            SELECT p.id, p.title, p.state, p.created_at, p.strategy->'budget'->>'currency',
                   (p.strategy->'budget'->>'amount_minor')::int8,
                   (p.kpi_results->>'spend_minor')::int8, (p.kpi_results->>'revenue_minor')::int8,
                   (p.outcome->>'roi')::float8,
                   CASE WHEN p.outcome IS NOT NULL THEN (
                       SELECT count(*) FILTER (WHERE (k->>'met')::bool)::int
                       FROM jsonb_array_elements(p.outcome->'kpis') k) END,
                   jsonb_array_length(p.strategy->'kpis'), COALESCE(sh.hours, '{}'),
                   COALESCE(df.rounds, 0), COALESCE(df.on_time, 0), COALESCE(df.with_due, 0)
            FROM proj p LEFT JOIN state_hours sh ON sh.project_id = p.id
            LEFT JOIN delivery_figures df ON df.project_id = p.id
            ORDER BY p.created_at, p.id
            """)
        return try rows.map { row in
            let r = try row.decode(
                (
                    UUID, String, String, Date, String, Int64, Int64?, Int64?, Double?, Int?, Int, String, Int, Int,
                    Int
                ).self)
            return ProjectReportRow(
                projectID: r.0, title: r.1, state: r.2, createdAt: r.3, currency: r.4, budgetMinor: r.5,
                spendMinor: r.6, revenueMinor: r.7, roi: r.8, kpisMet: r.9,
                kpisTotal: r.10, hoursInState: try JSONDecoder().decode([String: Double].self, from: Data(r.11.utf8)),
                rounds: r.12, onTime: Rate(value: r.14 == 0 ? nil : Double(r.13) / Double(r.14), n: r.14))
        }
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

    /// The offers of tasks in [$3, $4), with their answers, as CTEs `proj`, `offers` and `answered`. Lookups per
    /// task read `transitions` through its task index (a CTE of the history would be materialized and scanned). An offer
    /// is a brief issued with the task in it (to the agency that held it then) or a reassignment (to the new agency);
    /// its answer is that agency's first accept or decline after it.
    static let offersSQL: String = {
        let (brand, agency, from, to) = ("$1", "$2", "$3", "$4")
        return """
            proj AS (
                SELECT id, title, outcome FROM projects
                WHERE (\(brand)::uuid IS NULL OR brand_id = \(brand)::uuid)
                  AND (\(agency)::uuid IS NULL OR id IN (SELECT project_id FROM tasks WHERE agency_id = \(agency)::uuid)
                       OR id IN (SELECT project_id FROM transitions WHERE action = 'reassign'
                                 AND (data->>'previous_agency_id')::uuid = \(agency)::uuid))
            ), offers AS (
                SELECT t.id AS task_id, t.project_id, i.occurred_at AS offered_at, i.sequence,
                       COALESCE((SELECT (r.data->>'previous_agency_id')::uuid FROM transitions r
                                 WHERE r.task_id = t.id AND r.action = 'reassign' AND r.sequence > i.sequence
                                 ORDER BY r.sequence LIMIT 1), t.agency_id) AS agency_id
                FROM proj JOIN transitions i ON i.project_id = proj.id AND i.action = 'issue_brief'
                    AND i.occurred_at >= \(from)::timestamptz AND i.occurred_at < \(to)::timestamptz
                JOIN tasks t ON t.project_id = i.project_id AND t.created_at <= i.occurred_at
                UNION ALL
                SELECT r.task_id, r.project_id, r.occurred_at, r.sequence, (r.data->>'agency_id')::uuid
                FROM proj JOIN transitions r ON r.project_id = proj.id AND r.action = 'reassign'
                    AND r.occurred_at >= \(from)::timestamptz AND r.occurred_at < \(to)::timestamptz
            ), answered AS (
                SELECT o.*, a.action AS answer, a.occurred_at AS answered_at, a.sequence AS answer_sequence
                FROM offers o LEFT JOIN LATERAL (
                    SELECT action, occurred_at, sequence FROM transitions a
                    WHERE a.task_id = o.task_id AND a.action IN ('accept', 'decline') AND a.sequence > o.sequence
                      AND a.actor_org_id = o.agency_id
                    ORDER BY a.sequence LIMIT 1) a ON true
                WHERE o.offered_at >= \(from)::timestamptz AND o.offered_at < \(to)::timestamptz
                  AND (\(agency)::uuid IS NULL OR o.agency_id = \(agency)::uuid)
            )
            """
    }()
}
