import Foundation

/// The phase of an agency's proposal (issue 34). `submitted` is the only live state: the brand adopts or declines it,
/// or the agency withdraws it, and then it never moves again.
public enum ProposalState: String, Sendable, CaseIterable, Codable, Hashable {
    case submitted
    case adopted
    case declined
    case withdrawn

    public var isTerminal: Bool { self != .submitted }
}

/// What may happen to a proposal. The agency submits and withdraws; only the brand adopts (turns the idea into a
/// project it owns) or declines: agencies bring ideas, the brand alone makes a strategy of one.
public enum ProposalAction: String, Sendable, CaseIterable, Codable, Hashable {
    case submit
    case adopt
    case decline
    case withdraw

    /// Who performs it, from which state, to which state, announced as which event: the proposals' whole table.
    public var move: (side: Side, from: ProposalState?, to: ProposalState, event: String) {
        switch self {
        case .submit: (.agency, nil, .submitted, "proposal.submitted")
        case .adopt: (.brand, .submitted, .adopted, "proposal.adopted")
        case .decline: (.brand, .submitted, .declined, "proposal.declined")
        case .withdraw: (.agency, .submitted, .withdrawn, "proposal.withdrawn")
        }
    }
}

/// An operation an agency proposes to a brand, as `POST /v1/proposals` describes it.
public struct NewProposal: Sendable, Hashable {
    public var brandID: UUID
    public var title: String
    public var idea: String
    public var rationale: String
    public var expectedKPIs: [KPI]
    public var estimatedFee: Money?

    public init(
        brandID: UUID, title: String, idea: String, rationale: String, expectedKPIs: [KPI], estimatedFee: Money?
    ) {
        self.brandID = brandID
        self.title = title
        self.idea = idea
        self.rationale = rationale
        self.expectedKPIs = expectedKPIs
        self.estimatedFee = estimatedFee
    }

    /// Reads a proposal's body: every invalid field at once (400 for a wrong type, 422 for a wrong value), with the
    /// same KPI and money rules as a strategy's, so an adopted proposal always makes a valid strategy.
    public static func read(_ body: [UInt8]) throws(InputError) -> NewProposal {
        var r = try FieldReader(body: body)
        let brand = r.uuid("brand_id")
        let title = r.string("title", max: Limits.title)
        let idea = r.string("idea", max: Limits.longText)
        let rationale = r.string("rationale", max: Limits.longText, allowEmpty: true, required: false)
        let kpis = KPI.readList(&r, "expected_kpis", required: false)
        let fee = r.nested("estimated_fee") { f -> Money in
            let (amount, currency) = f.amountAndCurrency()
            return Money(amountMinor: amount, currency: currency)
        }
        let (b, t, i) = try r.finish(brand, title, idea)
        return NewProposal(
            brandID: b, title: t, idea: i, rationale: rationale ?? "", expectedKPIs: kpis, estimatedFee: fee)
    }
}

/// A proposal as it is stored and shown to its two parties.
public struct ProposalRecord: Sendable, Hashable {
    public var id: UUID
    public var brandID: UUID
    /// The proposing agency.
    public var agencyID: UUID
    public var title: String
    public var idea: String
    public var rationale: String
    public var expectedKPIs: [KPI]
    public var estimatedFee: Money?
    public var state: ProposalState
    /// The project the brand made of it, once adopted.
    public var projectID: UUID?
    /// Why the brand declined it, when it did.
    public var declineReason: String?
    /// Increases with every move; the `ETag`.
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, brandID: UUID, agencyID: UUID, title: String, idea: String, rationale: String,
        expectedKPIs: [KPI], estimatedFee: Money?, state: ProposalState, projectID: UUID?, declineReason: String?,
        version: Int, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.brandID = brandID
        self.agencyID = agencyID
        self.title = title
        self.idea = idea
        self.rationale = rationale
        self.expectedKPIs = expectedKPIs
        self.estimatedFee = estimatedFee
        self.state = state
        self.projectID = projectID
        self.declineReason = declineReason
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One move of a proposal: what the transaction writes (the record after it, its history row, its event).
public struct ProposalDecision: Sendable, Hashable {
    public var proposal: ProposalRecord
    public var action: ProposalAction
    public var from: ProposalState?
    /// `proposal.submitted` and the others; sent to the brand and the proposing agency, never to anyone else.
    public var eventType: String
    public var audience: Set<UUID>
}

/// The proposals' machine: pure, like the project's `Machine`; the store locks the proposal row, asks it, and writes
/// what it decided in the same transaction.
public enum ProposalMachine {
    /// Whether `actor` may know the proposal exists: its brand and the agency that proposed it, no one else (another
    /// agency of the same brand included). Anything else answers 404, as for a project.
    public static func isVisible(_ p: ProposalRecord, to actor: Actor) -> Bool {
        actor.organizationID == (actor.kind == .brand ? p.brandID : p.agencyID)
    }

    /// The agency proposes. Only to a brand whose roster holds it (`onRoster`: the relationship is active); a
    /// viewer reads only.
    public static func submit(
        _ draft: NewProposal, id: UUID, actor: Actor, onRoster: Bool, now: Date
    ) throws(Refusal) -> ProposalDecision {
        guard actor.role.mayAct else { throw Refusal(.forbidden, "viewer keys are read-only") }
        guard actor.kind == .agency else {
            throw Refusal(.forbidden, "agencies propose operations; a brand writes its own strategy")
        }
        guard onRoster else {
            throw Refusal(.agencyNotOnRoster, "this agency is not on the brand's roster: it may not propose to it")
        }
        let p = ProposalRecord(
            id: id, brandID: draft.brandID, agencyID: actor.organizationID, title: draft.title, idea: draft.idea,
            rationale: draft.rationale, expectedKPIs: draft.expectedKPIs, estimatedFee: draft.estimatedFee,
            state: .submitted, projectID: nil, declineReason: nil, version: 1, createdAt: now, updatedAt: now)
        return ProposalDecision(
            proposal: p, action: .submit, from: nil, eventType: ProposalAction.submit.move.event,
            audience: [p.brandID, p.agencyID])
    }

    /// Adopts, declines or withdraws. `projectID` is the project an adoption creates; `reason` a decline's.
    public static func decide(
        _ p: ProposalRecord, action: ProposalAction, actor: Actor, projectID: UUID? = nil, reason: String? = nil,
        now: Date
    ) throws(Refusal) -> ProposalDecision {
        guard isVisible(p, to: actor) else { throw Refusal(.notFound, "no such proposal") }
        let move = action.move
        guard action != .submit else { throw Refusal(.invalidTransition, "a proposal is submitted once") }
        guard actor.side == move.side else {
            throw Refusal(
                .forbidden,
                move.side == .brand
                    ? "only the brand may \(action.rawValue) a proposal: the brand turns ideas into strategy"
                    : "only the proposing agency may withdraw its proposal")
        }
        guard actor.role.mayAct else { throw Refusal(.forbidden, "viewer keys are read-only") }
        guard p.state == move.from else {
            throw Refusal(.invalidTransition, "this proposal is \(p.state.rawValue), not \(ProposalState.submitted)")
        }
        var after = p
        after.state = move.to
        after.version += 1
        after.updatedAt = now
        if action == .adopt {
            guard let projectID else { throw Refusal(.guardFailed, "an adoption names the project it creates") }
            after.projectID = projectID
        }
        if action == .decline { after.declineReason = reason }
        return ProposalDecision(
            proposal: after, action: action, from: p.state, eventType: move.event, audience: [p.brandID, p.agencyID])
    }

    /// The strategy an adopted proposal pre-fills: the idea as the objective, the expected KPIs, the estimated fee as
    /// the budget (0 in the fee's currency, or EUR, without one). The brand edits it with `update_strategy` before
    /// the brief: it owns the strategy from the adoption on.
    public static func strategy(adopting p: ProposalRecord) -> Strategy {
        let fee = p.estimatedFee
        return Strategy(
            objectives: [Limits.fits(p.idea, Limits.shortText) ? p.idea : p.title], audience: "", channels: [],
            budget: Budget(amountMinor: fee?.amountMinor ?? 0, currency: fee?.currency ?? "EUR"),
            kpis: p.expectedKPIs)
    }
}
