import Foundation
import Testing

@testable import Workflow

/// Which timers each decision arms and cancels, decided by the pure machine (no database, no clock).
@Suite("Deadlines: timers as values of the decision")
struct DeadlineTests {
    static let levels = ServiceLevels(
        timezone: "Europe/Paris", responseSLA: 2, reviewSLA: 3, dueSoon: 10, escalateAfter: 5)
    static let brand = Actor(organizationID: Fixtures.brand, kind: .brand, role: .manager)
    static let agency = Actor(organizationID: Fixtures.agencyA, kind: .agency, role: .manager)

    static func context(_ seconds: TimeInterval) -> DecisionContext {
        DecisionContext(
            now: Fixtures.now.addingTimeInterval(seconds), newTaskID: UUID(),
            organizationKinds: [Fixtures.agencyA: .agency], serviceLevels: levels,
            roster: [Fixtures.agencyA])
    }

    @Test(
        "issue arms the response timer, accept cancels it; a deadline arms three; delivery cancels them, arms review's"
    )
    func lifecycle() throws {
        var p = try Machine.create(
            id: UUID(), title: "T", strategy: Fixtures.strategy, actor: Self.brand, now: Fixtures.now
        )
        .project
        let due = Fixtures.now.addingTimeInterval(100)
        var d = try Machine.decide(
            p, action: .addTask, taskID: nil,
            input: .addTask(NewTask(agencyID: Fixtures.agencyA, title: "Film", description: "", dueAt: due)),
            actor: Self.brand, context: Self.context(1))
        #expect(d.timers.arm.isEmpty, "a draft waits on nobody")
        p = d.project
        let task = p.tasks[0].id
        d = try Machine.decide(
            p, action: .issueBrief, taskID: nil, input: .none, actor: Self.brand, context: Self.context(2))
        let issuedAt = Fixtures.now.addingTimeInterval(2)
        #expect(
            Set(d.timers.arm) == [
                TimerSpec(taskID: task, kind: .responseOverdue, basis: issuedAt, dueAt: issuedAt + 2),
                TimerSpec(taskID: task, kind: .dueSoon, basis: due, dueAt: due - 10),
                TimerSpec(taskID: task, kind: .overdue, basis: due, dueAt: due),
                TimerSpec(taskID: task, kind: .escalate, basis: due, dueAt: due + 5),
            ])
        p = d.project
        d = try Machine.decide(
            p, action: .accept, taskID: task, input: .none, actor: Self.agency, context: Self.context(3))
        #expect(d.timers.cancel.map(\.kind) == [.responseOverdue])
        #expect(d.timers.arm.isEmpty)
        p = d.project
        // The deadline moves: the three deadline timers are replaced.
        let later = due.addingTimeInterval(50)
        d = try Machine.decide(
            p, action: .setDueDate, taskID: task, input: .deadline(at: later, date: nil), actor: Self.brand,
            context: Self.context(4))
        #expect(Set(d.timers.cancel.map(\.basis)) == [due])
        #expect(Set(d.timers.arm.map(\.basis)) == [later])
        #expect(d.project.version == p.version + 1)
        p = d.project
        d = try Machine.decide(
            p, action: .submitDelivery, taskID: task, input: .delivery(summary: "s", links: ["https://x.test"]),
            actor: Self.agency, context: Self.context(5))
        #expect(Set(d.timers.cancel.map(\.kind)) == [.dueSoon, .overdue, .escalate])
        #expect(d.timers.arm.map(\.kind) == [.reviewOverdue])
        #expect(Deadlines.timeliness(d.project.tasks[0], levels: Self.levels, now: Fixtures.now) == .deliveredOnTime)
        #expect(Deadlines.waitingOn(d.project.tasks[0], in: d.project) == .brand)
    }

    @Test("a timer fires as a system transition while its wait stands, and not once it has ended")
    func firing() throws {
        var p = Fixtures.project(.brief)
        let task = p.tasks[0]
        let fired = try #require(
            Machine.fire(p, kind: .responseOverdue, taskID: task.id, basis: task.stateSince, dueAt: Fixtures.now))
        #expect(fired.transitions.map(\.eventType.rawValue) == ["task.response_overdue"])
        #expect(fired.transitions[0].side == .system)
        #expect(fired.transitions[0].audience == [Fixtures.brand, Fixtures.agencyA])
        #expect(fired.project.version == p.version)
        #expect(fired.project.tasks == p.tasks)
        // Accepted meanwhile: the wait ended, nothing fires.
        p.tasks[0].state = .accepted
        #expect(
            Machine.fire(p, kind: .responseOverdue, taskID: task.id, basis: task.stateSince, dueAt: Fixtures.now) == nil
        )
        // Cancelled project: nothing fires.
        var cancelled = Fixtures.project(.cancelled)
        cancelled.tasks[0].dueAt = Fixtures.now
        #expect(
            Machine.fire(
                cancelled, kind: .overdue, taskID: cancelled.tasks[0].id, basis: Fixtures.now, dueAt: Fixtures.now)
                == nil)
    }

    @Test("remind: the side waited on is nudged, once a day")
    func remind() throws {
        let p = Fixtures.project(.brief)
        let task = p.tasks[0].id
        let d = try Machine.decide(
            p, action: .remind, taskID: task, input: .none, actor: Self.brand, context: Self.context(0))
        #expect(d.transitions[0].eventType.rawValue == "task.reminder_sent")
        #expect(throws: Refusal.self) {
            try Machine.decide(
                d.project, action: .remind, taskID: task, input: .none, actor: Self.brand, context: Self.context(3600))
        }
        #expect(throws: Refusal.self) {
            try Machine.decide(
                p, action: .remind, taskID: task, input: .none, actor: Self.agency, context: Self.context(0))
        }
        _ = try Machine.decide(
            d.project, action: .remind, taskID: task, input: .none, actor: Self.brand, context: Self.context(86_401))
    }

    @Test("ISO 8601 durations and due dates in the brand's time zone")
    func parsing() {
        #expect(ISODuration.parse("PT2S") == 2)
        #expect(ISODuration.parse("P2D") == 172_800)
        #expect(ISODuration.parse("P1DT12H30M") == 131_400)
        #expect(ISODuration.parse("P1W") == 604_800)
        #expect(ISODuration.parse("PT0.5S") == 0.5)
        for bad in ["", "P", "2D", "PT", "P1Y", "P1M", "PT1D", "P1H", "PTS", "P-1D"] {
            #expect(ISODuration.parse(bad) == nil, "\(bad)")
        }
        #expect(ISODuration.format(172_800) == "P2D")
        #expect(ISODuration.format(2) == "PT2S")
        #expect(ISODuration.format(131_400) == "P1DT12H30M")
        // 2026-12-01 in Paris ends at 2026-12-01T23:00:00Z (UTC+1 in winter).
        #expect(Deadlines.endOfDay("2026-12-01", timezone: "Europe/Paris") == JSONCoding.parse("2026-12-01T23:00:00Z"))
        #expect(Deadlines.endOfDay("2026-12-01", timezone: "Not/AZone") == nil)
    }
}
