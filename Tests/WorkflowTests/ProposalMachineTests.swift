import Foundation
import Testing

@testable import Workflow

/// The proposals' machine without I/O: who may make each move, from which state, and what it writes.
@Suite struct ProposalMachineTests {
    static let brand = Actor(organizationID: Fixtures.brand, kind: .brand, role: .manager)
    static let agency = Actor(organizationID: Fixtures.agencyA, kind: .agency, role: .manager)
    static let otherAgency = Actor(organizationID: Fixtures.agencyB, kind: .agency, role: .admin)
    static let otherBrand = Actor(organizationID: Fixtures.otherBrand, kind: .brand, role: .admin)

    static let draft = NewProposal(
        brandID: Fixtures.brand, title: "Night rides", idea: "A series of guided night rides", rationale: "Sign-ups",
        expectedKPIs: [KPI(key: "signups", name: "Sign-ups", target: 500, unit: "count", comparator: .gte)],
        estimatedFee: Money(amountMinor: 1_200_000, currency: "EUR"))

    static func submitted() throws -> ProposalRecord {
        try ProposalMachine.submit(draft, id: UUID(), actor: agency, onRoster: true, now: Fixtures.now).proposal
    }

    func code(_ body: () throws(Refusal) -> ProposalDecision) -> Refusal.Code? {
        do {
            _ = try body()
            return nil
        } catch { return error.code }
    }

    @Test func submitNeedsAnAgencyOnTheRoster() throws {
        let d = try ProposalMachine.submit(
            Self.draft, id: UUID(), actor: Self.agency, onRoster: true, now: Fixtures.now)
        #expect(d.proposal.state == .submitted && d.proposal.agencyID == Fixtures.agencyA && d.proposal.version == 1)
        #expect(d.eventType == "proposal.submitted" && d.audience == [Fixtures.brand, Fixtures.agencyA])
        let off = code { () throws(Refusal) in
            try ProposalMachine.submit(Self.draft, id: UUID(), actor: Self.agency, onRoster: false, now: Fixtures.now)
        }
        #expect(off == .agencyNotOnRoster)
        let byBrand = code { () throws(Refusal) in
            try ProposalMachine.submit(Self.draft, id: UUID(), actor: Self.brand, onRoster: true, now: Fixtures.now)
        }
        #expect(byBrand == .forbidden)
        var viewer = Self.agency
        viewer.role = .viewer
        let byViewer = code { () throws(Refusal) in
            try ProposalMachine.submit(Self.draft, id: UUID(), actor: viewer, onRoster: true, now: Fixtures.now)
        }
        #expect(byViewer == .forbidden)
    }

    /// Every (action, actor) pair on a submitted proposal: only the brand adopts and declines, only the proposing
    /// agency withdraws, and another agency or brand learns nothing (404).
    @Test func whoMayMove() throws {
        let p = try Self.submitted()
        let expected: [(ProposalAction, Actor, Refusal.Code?)] = [
            (.adopt, Self.brand, nil), (.decline, Self.brand, nil), (.withdraw, Self.brand, .forbidden),
            (.adopt, Self.agency, .forbidden), (.decline, Self.agency, .forbidden), (.withdraw, Self.agency, nil),
            (.adopt, Self.otherAgency, .notFound), (.withdraw, Self.otherAgency, .notFound),
            (.adopt, Self.otherBrand, .notFound), (.decline, Self.otherBrand, .notFound),
            (.submit, Self.agency, .invalidTransition),
        ]
        for (action, actor, want) in expected {
            let got = code { () throws(Refusal) in
                try ProposalMachine.decide(p, action: action, actor: actor, projectID: UUID(), now: Fixtures.now)
            }
            #expect(got == want, "\(action) by \(actor.kind) \(actor.organizationID)")
        }
        #expect(!ProposalMachine.isVisible(p, to: Self.otherAgency))
        #expect(ProposalMachine.isVisible(p, to: Self.agency) && ProposalMachine.isVisible(p, to: Self.brand))
    }

    /// Every terminal state refuses every move: an adopted proposal cannot be adopted again (one project).
    @Test func terminalStatesAreFinal() throws {
        for end in ProposalState.allCases where end.isTerminal {
            var p = try Self.submitted()
            p.state = end
            for action in [ProposalAction.adopt, .decline] {
                let got = code { () throws(Refusal) in
                    try ProposalMachine.decide(p, action: action, actor: Self.brand, projectID: UUID(), now: .now)
                }
                #expect(got == .invalidTransition)
            }
            let withdraw = code { () throws(Refusal) in
                try ProposalMachine.decide(p, action: .withdraw, actor: Self.agency, now: .now)
            }
            #expect(withdraw == .invalidTransition)
        }
    }

    @Test func adoptionWritesTheProjectAndPrefillsTheStrategy() throws {
        let p = try Self.submitted()
        let project = UUID()
        let d = try ProposalMachine.decide(p, action: .adopt, actor: Self.brand, projectID: project, now: .now)
        #expect(d.proposal.state == .adopted && d.proposal.projectID == project && d.proposal.version == 2)
        #expect(d.from == .submitted && d.eventType == "proposal.adopted")
        let s = ProposalMachine.strategy(adopting: d.proposal)
        #expect(s.objectives == [p.idea] && s.kpis == p.expectedKPIs)
        #expect(s.budget == Budget(amountMinor: 1_200_000, currency: "EUR"))
        let declined = try ProposalMachine.decide(
            p, action: .decline, actor: Self.brand, reason: "Not this season", now: .now)
        #expect(declined.proposal.declineReason == "Not this season" && declined.proposal.projectID == nil)
    }

    @Test func readsTheBodyWithTheStrategysRules() throws {
        let ok = try NewProposal.read(
            Array(
                """
                {"brand_id":"\(Fixtures.brand)","title":"T","idea":"I","expected_kpis":[{"key":"signups",
                "name":"Sign-ups","target":5,"unit":"count","comparator":"gte"}],
                "estimated_fee":{"amount_minor":100,"currency":"EUR"}}
                """.utf8))
        #expect(ok.expectedKPIs.count == 1 && ok.estimatedFee == Money(amountMinor: 100, currency: "EUR"))
        do {
            _ = try NewProposal.read(
                Array(
                    """
                    {"brand_id":"nope","title":"","idea":"I","expected_kpis":[{"key":"Bad","name":"x","target":1,
                    "unit":"","comparator":"gte"}],"estimated_fee":{"amount_minor":1,"currency":"XYZ"}}
                    """.utf8))
            Issue.record("an invalid proposal was read")
        } catch {
            guard case .invalid(let errors) = error else {
                Issue.record("expected 422, got \(error)")
                return
            }
            let fields = Set(errors.map(\.field))
            #expect(
                fields.isSuperset(of: ["brand_id", "title", "expected_kpis[0].key", "estimated_fee.currency"]),
                "\(fields)")
        }
    }
}
