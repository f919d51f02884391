import Foundation

/// How an actual value is compared with its target.
public enum Comparator: String, Sendable, Codable, Hashable, CaseIterable {
    /// Met when actual ≥ target (e.g. conversions).
    case gte
    /// Met when actual ≤ target (e.g. cost per acquisition).
    case lte
}

/// A measurable key performance indicator with its target.
public struct KPI: Sendable, Codable, Hashable {
    public var key: String
    public var name: String
    public var target: Double
    public var unit: String
    public var comparator: Comparator

    public init(key: String, name: String, target: Double, unit: String, comparator: Comparator) {
        self.key = key
        self.name = name
        self.target = target
        self.unit = unit
        self.comparator = comparator
    }
}

/// A budget in minor units of an ISO 4217 currency.
public struct Budget: Sendable, Codable, Hashable {
    public var amountMinor: Int64
    public var currency: String

    public init(amountMinor: Int64, currency: String) {
        self.amountMinor = amountMinor
        self.currency = currency
    }

    enum CodingKeys: String, CodingKey {
        case amountMinor = "amount_minor"
        case currency
    }
}

/// The brand's strategy: what the project is for and how success is measured.
public struct Strategy: Sendable, Codable, Hashable {
    public var objectives: [String]
    public var audience: String
    public var channels: [String]
    public var budget: Budget
    public var kpis: [KPI]
    public var dueDate: String?

    public init(
        objectives: [String], audience: String, channels: [String], budget: Budget, kpis: [KPI], dueDate: String? = nil
    ) {
        self.objectives = objectives
        self.audience = audience
        self.channels = channels
        self.budget = budget
        self.kpis = kpis
        self.dueDate = dueDate
    }

    enum CodingKeys: String, CodingKey {
        case objectives, audience, channels, budget, kpis
        case dueDate = "due_date"
    }
}

/// A delivery round submitted by an agency.
public struct DeliveryRound: Sendable, Codable, Hashable {
    public var round: Int
    public var summary: String
    public var links: [String]
    public var submittedAt: Date

    public init(round: Int, summary: String, links: [String], submittedAt: Date) {
        self.round = round
        self.summary = summary
        self.links = links
        self.submittedAt = submittedAt
    }

    enum CodingKeys: String, CodingKey {
        case round, summary, links
        case submittedAt = "submitted_at"
    }
}

/// Measured results recorded during KPI review.
public struct KPIResults: Sendable, Codable, Hashable {
    public var actuals: [String: Double]
    public var spendMinor: Int64?
    public var revenueMinor: Int64?

    public init(actuals: [String: Double] = [:], spendMinor: Int64? = nil, revenueMinor: Int64? = nil) {
        self.actuals = actuals
        self.spendMinor = spendMinor
        self.revenueMinor = revenueMinor
    }

    enum CodingKeys: String, CodingKey {
        case actuals
        case spendMinor = "spend_minor"
        case revenueMinor = "revenue_minor"
    }
}

/// The result of one KPI at close.
public struct KPIOutcome: Sendable, Codable, Hashable {
    public var key: String
    public var target: Double
    public var actual: Double
    public var met: Bool
    /// actual / target for `gte`, target / actual for `lte`; nil when the division is undefined.
    public var attainment: Double?
}

/// The project's outcome, computed at close.
public struct Outcome: Sendable, Codable, Hashable {
    public var kpis: [KPIOutcome]
    public var allMet: Bool
    /// (revenue − spend) / spend, when both were recorded and spend is positive.
    public var roi: Double?

    enum CodingKeys: String, CodingKey {
        case kpis
        case allMet = "all_met"
        case roi
    }

    /// Computes the outcome of `strategy` against `results`. Every KPI must have an actual.
    public static func compute(strategy: Strategy, results: KPIResults) -> Outcome {
        let rows = strategy.kpis.map { kpi -> KPIOutcome in
            let actual = results.actuals[kpi.key] ?? .nan
            let met = kpi.comparator == .gte ? actual >= kpi.target : actual <= kpi.target
            let ratio: Double? =
                switch kpi.comparator {
                case .gte: kpi.target == 0 ? nil : actual / kpi.target
                case .lte: actual == 0 ? nil : kpi.target / actual
                }
            // A ratio past what JSON carries (a target of 1e-310 divides to infinity) has no meaningful attainment.
            let attainment = ratio.map { ($0 * 10_000).rounded() / 10_000 }.flatMap { $0.isFinite ? $0 : nil }
            return KPIOutcome(key: kpi.key, target: kpi.target, actual: actual, met: met, attainment: attainment)
        }
        var roi: Double?
        if let spend = results.spendMinor, let revenue = results.revenueMinor, spend > 0 {
            roi = ((Double(revenue) - Double(spend)) / Double(spend) * 10_000).rounded() / 10_000
        }
        return Outcome(kpis: rows, allMet: rows.allSatisfy(\.met), roi: roi)
    }
}
