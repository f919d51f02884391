import Foundation
import Testing

@testable import Workflow

@Suite("Guards, automatic transitions, audiences and outcomes")
struct GuardTests {
    let brand = Actor(organizationID: Fixtures.brand, kind: .brand, role: .manager)
    let agencyA = Actor(organizationID: Fixtures.agencyA, kind: .agency, role: .manager)
    let agencyB = Actor(organizationID: Fixtures.agencyB, kind: .agency, role: .admin)

    func refusal(_ body: () throws -> Decision) -> Refusal? {
        do {
            _ = try body()
            return nil
        } catch { return error as? Refusal }
    }

    @Test("issue_brief needs an objective, a KPI and a task")
    func issueBriefGuard() {
        var p = Fixtures.project(.strategy)
        p.strategy.objectives = []
        p.strategy.kpis = []
        p.tasks = []
        let r = refusal {
            try Machine.decide(
                p, action: .issueBrief, taskID: nil, input: .none, actor: brand, context: Fixtures.context)
        }
        #expect(r?.code == .guardFailed)
        #expect(
            r?.message.contains("objective") == true && r?.message.contains("KPI") == true
                && r?.message.contains("task") == true)
    }

    @Test("add_task and reassign need an existing agency")
    func agencyGuard() {
        let p = Fixtures.project(.strategy)
        let toBrand = refusal {
            try Machine.decide(
                p, action: .addTask, taskID: nil,
                input: .addTask(NewTask(agencyID: Fixtures.brand, title: "t", description: "")),
                actor: brand, context: Fixtures.context)
        }
        #expect(toBrand?.code == .guardFailed)
        let unknown = refusal {
            try Machine.decide(
                p, action: .addTask, taskID: nil,
                input: .addTask(NewTask(agencyID: UUID(), title: "t", description: "")),
                actor: brand, context: Fixtures.context)
        }
        #expect(unknown?.code == .guardFailed)
        let b = Fixtures.project(.brief)
        let declined = b.tasks.first { $0.state == .declined }!.id
        let r = refusal {
            try Machine.decide(
                b, action: .reassign, taskID: declined, input: .agency(UUID()), actor: brand, context: Fixtures.context)
        }
        #expect(r?.code == .guardFailed)
    }

    @Test("remove_task needs a task of the project")
    func removeTaskGuard() {
        let r = refusal {
            try Machine.decide(
                Fixtures.project(.strategy), action: .removeTask, taskID: nil, input: .removeTask(UUID()), actor: brand,
                context: Fixtures.context)
        }
        #expect(r?.code == .guardFailed)
    }

    @Test("start_kpi_review needs every task approved")
    func kpiReviewGuard() {
        let r = refusal {
            try Machine.decide(
                Fixtures.project(.delivery), action: .startKPIReview, taskID: nil, input: .none, actor: brand,
                context: Fixtures.context)
        }
        #expect(r?.code == .guardFailed)
    }

    @Test("record_kpi_results takes only the strategy's KPI keys; close needs every actual")
    func resultsGuards() throws {
        var p = Fixtures.project(.kpiReview)
        p.kpiResults = KPIResults()
        let unknown = refusal {
            try Machine.decide(
                p, action: .recordKPIResults, taskID: nil, input: .kpiResults(KPIResults(actuals: ["clicks": 3])),
                actor: brand, context: Fixtures.context)
        }
        #expect(unknown?.code == .guardFailed)
        let d = try Machine.decide(
            p, action: .recordKPIResults, taskID: nil, input: .kpiResults(KPIResults(actuals: ["signups": 900])),
            actor: brand, context: Fixtures.context)
        let early = refusal {
            try Machine.decide(
                d.project, action: .close, taskID: nil, input: .none, actor: brand, context: Fixtures.context)
        }
        #expect(early?.code == .guardFailed)
        #expect(early?.message.contains("cpa") == true)
    }

    @Test("accepting the last task starts delivery by itself, as the system")
    func autoDelivery() throws {
        var p = Fixtures.project(.brief)
        p.tasks = [Fixtures.task(1, Fixtures.agencyA, .issued), Fixtures.task(2, Fixtures.agencyB, .accepted)]
        let d = try Machine.decide(
            p, action: .accept, taskID: p.tasks[0].id, input: .none, actor: agencyA, context: Fixtures.context)
        #expect(d.project.state == .delivery)
        #expect(d.transitions.map(\.action) == [.accept, .startDelivery])
        #expect(d.transitions[1].side == .system)
        #expect(d.transitions[1].eventType.rawValue == "project.delivery_started")
        #expect(d.transitions[1].audience == [Fixtures.brand, Fixtures.agencyA, Fixtures.agencyB])
        #expect(d.project.lastSequence == p.lastSequence + 2)
        // Not the last one: the project stays in brief.
        p.tasks[1].state = .issued
        let one = try Machine.decide(
            p, action: .accept, taskID: p.tasks[0].id, input: .none, actor: agencyA, context: Fixtures.context)
        #expect(one.project.state == .brief)
        #expect(one.transitions.count == 1)
    }

    @Test("task events go to the brand and the task's agency only")
    func taskAudience() throws {
        let p = Fixtures.project(.brief)
        let d = try Machine.decide(
            p, action: .decline, taskID: p.tasks[0].id, input: .reason("busy"), actor: agencyA,
            context: Fixtures.context)
        #expect(d.transitions[0].audience == [Fixtures.brand, Fixtures.agencyA])
        let declined = p.tasks.first { $0.state == .declined }!.id
        let r = try Machine.decide(
            p, action: .reassign, taskID: declined, input: .agency(Fixtures.agencyB), actor: brand,
            context: Fixtures.context)
        // The agency that declined is done with the task: the reassignment reaches the brand and the new agency.
        #expect(r.transitions[0].audience == [Fixtures.brand, Fixtures.agencyB])
        // Who declined stays in the brand's history, never in what an agency reads.
        #expect(r.transitions[0].data["previous_agency_id"] == .id(Fixtures.agencyA))
        #expect(WorkflowDefinition.agencyVisible(r.transitions[0].data)["previous_agency_id"] == nil)
        let brief = try Machine.decide(
            Fixtures.project(.strategy), action: .issueBrief, taskID: nil, input: .none, actor: brand,
            context: Fixtures.context)
        #expect(brief.transitions[0].data["task_count"] == nil, "an agency would count others' tasks")
    }

    @Test("a task goes only to an agency on the brand's roster: add_task and reassign are refused otherwise")
    func roster() throws {
        var offRoster = Fixtures.context
        offRoster.roster = [Fixtures.agencyA]
        #expect(throws: Refusal.self) {
            try Machine.decide(
                Fixtures.project(.strategy), action: .addTask, taskID: nil, input: Fixtures.input(.addTask),
                actor: brand, context: offRoster)
        }
        do {
            _ = try Machine.decide(
                Fixtures.project(.strategy), action: .addTask, taskID: nil, input: Fixtures.input(.addTask),
                actor: brand, context: offRoster)
        } catch {
            #expect(error.code == .agencyNotOnRoster)
            #expect(error.problem.code == .agencyNotOnRoster && error.problem.status == 422)
        }
        let p = Fixtures.project(.brief)
        let declined = try Machine.decide(
            p, action: .decline, taskID: p.tasks[0].id, input: .reason("busy"), actor: agencyA,
            context: Fixtures.context)
        #expect(throws: Refusal.self) {
            try Machine.decide(
                declined.project, action: .reassign, taskID: p.tasks[0].id, input: .agency(Fixtures.agencyB),
                actor: brand, context: offRoster)
        }
        // On the roster, the same requests pass.
        _ = try Machine.decide(
            Fixtures.project(.strategy), action: .addTask, taskID: nil, input: Fixtures.input(.addTask), actor: brand,
            context: Fixtures.context)
    }

    @Test("strategy-phase events reach the brand only; issuing the brief reaches the agencies")
    func projectAudience() throws {
        let p = Fixtures.project(.strategy)
        let add = try Machine.decide(
            p, action: .addTask, taskID: nil, input: Fixtures.input(.addTask), actor: brand, context: Fixtures.context)
        #expect(add.transitions[0].audience == [Fixtures.brand])
        let issue = try Machine.decide(
            p, action: .issueBrief, taskID: nil, input: .none, actor: brand, context: Fixtures.context)
        #expect(issue.transitions[0].audience == [Fixtures.brand, Fixtures.agencyA, Fixtures.agencyB])
        #expect(issue.project.tasks.allSatisfy { $0.state == .issued })
        let withdraw = try Machine.decide(
            issue.project, action: .withdrawBrief, taskID: nil, input: .none, actor: brand, context: Fixtures.context)
        #expect(withdraw.transitions[0].audience == [Fixtures.brand, Fixtures.agencyA, Fixtures.agencyB])
        #expect(withdraw.project.tasks.allSatisfy { $0.state == .draft })
        #expect(!Machine.isVisible(withdraw.project, to: agencyA))
    }

    @Test("delivery rounds count up and review notes are kept")
    func rounds() throws {
        var p = Fixtures.project(.delivery)
        let accepted = p.tasks.first { $0.state == .accepted }!.id
        var d = try Machine.decide(
            p, action: .submitDelivery, taskID: accepted, input: Fixtures.input(.submitDelivery), actor: agencyB,
            context: Fixtures.context)
        p = d.project
        d = try Machine.decide(
            p, action: .requestChanges, taskID: accepted, input: .note("louder"), actor: brand,
            context: Fixtures.context)
        d = try Machine.decide(
            d.project, action: .submitDelivery, taskID: accepted, input: Fixtures.input(.submitDelivery),
            actor: agencyB, context: Fixtures.context)
        let t = d.project.tasks.first { $0.id == accepted }!
        #expect(t.deliveries.map(\.round) == [1, 2])
        #expect(t.changeNote == "louder")
        #expect(d.transitions[0].data["round"] == .number(2))
    }

    @Test("outcome: met, attainment and ROI")
    func outcome() {
        let o = Workflow.Outcome.compute(
            strategy: Fixtures.strategy,
            results: KPIResults(actuals: ["signups": 1500, "cpa": 25], spendMinor: 100_000, revenueMinor: 250_000))
        #expect(o.kpis.map(\.met) == [true, false])
        #expect(o.kpis[0].attainment == 1.5)
        #expect(o.kpis[1].attainment == 0.8)
        #expect(o.allMet == false)
        #expect(o.roi == 1.5)
        let noSpend = Workflow.Outcome.compute(
            strategy: Fixtures.strategy, results: KPIResults(actuals: ["signups": 1000, "cpa": 20]))
        #expect(noSpend.roi == nil)
        #expect(noSpend.allMet)
    }

    @Test("close computes and stores the outcome")
    func close() throws {
        let d = try Machine.decide(
            Fixtures.project(.kpiReview), action: .close, taskID: nil, input: .none, actor: brand,
            context: Fixtures.context)
        #expect(d.project.state == .closed)
        #expect(d.project.outcome?.allMet == true)
        #expect(d.project.outcome?.roi == 1.5)
    }
}
