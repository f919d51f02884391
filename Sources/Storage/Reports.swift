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
        try await reportRows(AgencyScorecards(brand: brand, agency: agency, from: from, to: to))
    }

    /// Every offer of a task to `agency` by `brand` in [from, to), with its timestamps.
    public func agencyTasks(brand: UUID, agency: UUID, from: Date, to: Date) async throws -> [AgencyTaskRow] {
        try await reportRows(AgencyTasks(brand: brand, agency: agency, from: from, to: to))
    }

    /// Whether `brand` ever offered a task to `agency`.
    public func workedWith(brand: UUID, agency: UUID) async throws -> Bool {
        try await !reportRows(WorkedWith(brand: brand, agency: agency)).isEmpty
    }

    /// The brand's projects created in [from, to), optionally in one state, in order of creation: after the project
    /// `after` (a row of an earlier page) and at most `limit` of them, or all of them when `limit` is nil.
    public func projects(
        brand: UUID, from: Date, to: Date, state: String?, after: UUID? = nil, limit: Int? = nil
    ) async throws -> [ProjectReportRow] {
        try await reportRows(
            PortfolioRows(brand: brand, from: from, to: to, state: state, after: after, limit: limit))
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
        try await reportRows(PortfolioTotals(brand: brand, from: from, to: to, state: state))
    }

    /// Whether `project` is one of the brand's projects created in [from, to) (in `state` when given): a page's
    /// `starting_after` must be.
    public func portfolioHas(_ project: UUID, brand: UUID, from: Date, to: Date, state: String?) async throws -> Bool {
        try await !reportRows(PortfolioHas(project: project, brand: brand, from: from, to: to, state: state))
            .isEmpty
    }

    /// Runs a report statement in a read-only transaction that PostgreSQL itself ends after 5 s (the daemon's own
    /// deadline stops waiting then; without this the statement would go on in the server), without JIT.
    func reportRows<S: PostgresPreparedStatement>(_ statement: S) async throws -> [S.Row] where S.Row: Sendable {
        try await db.transaction { [logger = db.logger] conn in
            try await conn.rows(ReportSettings(), logger: logger)
            return try await conn.rows(statement, logger: logger)
        }
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
                                 AND (data->>'\(Detail.previousAgencyID.rawValue)')::uuid = \(agency)::uuid))
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
