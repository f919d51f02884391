import Foundation
import Testing

@testable import Workflow

/// `allowed_actions` is truthful: along a whole walked lifecycle, for every caller, each action offered is
/// applied by the machine (on a copy: the values are not kept) and each action withheld is refused — with the
/// test's own inputs, not the ones `allowedActions` samples.
@Suite("allowed_actions: exactly what the caller can do now")
struct AllowedActionsTests {
    static let callers: [(String, Actor)] = [
        ("brand admin", Actor(organizationID: Fixtures.brand, kind: .brand, role: .admin)),
        ("brand manager", Actor(organizationID: Fixtures.brand, kind: .brand, role: .manager)),
        ("brand viewer", Actor(organizationID: Fixtures.brand, kind: .brand, role: .viewer)),
        ("agency A manager", Actor(organizationID: Fixtures.agencyA, kind: .agency, role: .manager)),
        ("agency A viewer", Actor(organizationID: Fixtures.agencyA, kind: .agency, role: .viewer)),
        ("agency B admin", Actor(organizationID: Fixtures.agencyB, kind: .agency, role: .admin)),
        ("another brand", Actor(organizationID: Fixtures.otherBrand, kind: .brand, role: .admin)),
    ]

    static var context: DecisionContext {
        DecisionContext(
            now: Fixtures.now, newTaskID: UUID(),
            organizationKinds: [Fixtures.agencyA: .agency, Fixtures.agencyB: .agency],
            roster: [Fixtures.agencyA, Fixtures.agencyB])
    }

    /// The test's own valid input for `action` on `project`.
    static func input(_ action: Action, _ project: ProjectRecord) -> ActionInput {
        switch action {
        case .removeTask: .removeTask(project.tasks.first { $0.state == .draft }?.id ?? UUID())
        case .recordKPIResults:
            .kpiResults(KPIResults(actuals: ["signups": 900, "cpa": 25], spendMinor: 10, revenueMinor: 30))
        case .reassign: .agency(Fixtures.agencyA)
        default: Fixtures.input(action)
        }
    }

    /// Checks every caller, action and target in `project`'s state; returns how many pairs were checked.
    @discardableResult
    static func check(_ project: ProjectRecord, step: String) -> Int {
        var checked = 0
        for (name, actor) in callers {
            let offered = Set(Machine.allowedActions(project, for: actor, context: context))
            for spec in WorkflowDefinition.actions where spec.requestable && !spec.isConversation {
                let targets: [UUID?] = spec.scope == .task ? project.tasks.map(\.id) : [nil]
                var succeededSomewhere = false
                for target in targets {
                    let perTask = target.map {
                        Set(Machine.allowedActions(project, task: $0, for: actor, context: context))
                    }
                    let applied =
                        (try? Machine.decide(
                            project, action: spec.action, taskID: target, input: input(spec.action, project),
                            actor: actor,
                            context: context)) != nil
                    succeededSomewhere = succeededSomewhere || applied
                    if let perTask {
                        #expect(
                            applied == perTask.contains(spec.action),
                            "\(step): \(name) \(spec.action.rawValue) on a task: applied \(applied)"
                        )
                    }
                    checked += 1
                }
                let isOffered = offered.contains(spec.action)
                #expect(
                    succeededSomewhere == isOffered,
                    "\(step): \(name) \(spec.action.rawValue): applied \(succeededSomewhere), offered \(isOffered)")
            }
            // Comments are never offered as steps; `mayComment` says, truthfully, where one would be applied.
            #expect(!offered.contains(.comment) && !offered.contains(.resolveComment))
            for task in project.tasks {
                let applied =
                    (try? Machine.decide(
                        project, action: .comment, taskID: task.id, input: Fixtures.input(.comment), actor: actor,
                        context: context)) != nil
                #expect(
                    applied == Machine.mayComment(project, task: task.id, for: actor, context: context),
                    "\(step): \(name) comment on \(task.title)")
                checked += 1
            }
        }
        return checked
    }

    @Test("every state of a walked lifecycle, every caller, every action")
    func walk() throws {
        let brand = Actor(organizationID: Fixtures.brand, kind: .brand, role: .manager)
        let a = Actor(organizationID: Fixtures.agencyA, kind: .agency, role: .manager)
        let b = Actor(organizationID: Fixtures.agencyB, kind: .agency, role: .manager)
        var p = try Machine.create(id: UUID(), title: "T", strategy: Fixtures.strategy, actor: brand, now: Fixtures.now)
            .project
        var checked = Self.check(p, step: "created")
        func act(_ actor: Actor, _ action: Action, task: Int? = nil, _ input: ActionInput? = nil) throws {
            let taskID = task.map { p.tasks[$0].id }
            let offered =
                taskID.map { Machine.allowedActions(p, task: $0, for: actor, context: Self.context) }
                ?? Machine.allowedActions(p, for: actor, context: Self.context)
            #expect(offered.contains(action), "\(action.rawValue) is done next, so it must be offered")
            p = try Machine.decide(
                p, action: action, taskID: taskID, input: input ?? Self.input(action, p), actor: actor,
                context: Self.context
            ).project
            checked += Self.check(p, step: "after \(action.rawValue)")
        }
        try act(
            brand, .addTask, .addTask(NewTask(agencyID: Fixtures.agencyA, title: "Film", description: "", dueDate: nil))
        )
        try act(
            brand, .addTask,
            .addTask(NewTask(agencyID: Fixtures.agencyB, title: "Posters", description: "", dueDate: nil)))
        try act(brand, .issueBrief)
        try act(b, .decline, task: 1)
        // The agency that declined its only task is offered nothing; the brand may reassign.
        #expect(Machine.allowedActions(p, for: b, context: Self.context) == [])
        try act(brand, .reassign, task: 1, .agency(Fixtures.agencyA))
        try act(a, .accept, task: 0)
        try act(a, .accept, task: 1)
        #expect(p.state == .delivery)
        try act(a, .submitDelivery, task: 0)
        // Tasks not all approved: no KPI review yet.
        #expect(!Machine.allowedActions(p, for: brand, context: Self.context).contains(.startKPIReview))
        try act(brand, .requestChanges, task: 0)
        try act(a, .submitDelivery, task: 0)
        try act(brand, .approve, task: 0)
        try act(a, .submitDelivery, task: 1)
        try act(brand, .approve, task: 1)
        try act(brand, .startKPIReview)
        // No results yet: no close.
        #expect(!Machine.allowedActions(p, for: brand, context: Self.context).contains(.close))
        try act(brand, .recordKPIResults)
        try act(brand, .close)
        #expect(p.state == .closed)
        #expect(Machine.allowedActions(p, for: brand, context: Self.context) == [])
        #expect(checked > 1_000)
    }

    @Test("cancelled and strategy-phase projects, for every caller", arguments: [ProjectState.strategy, .cancelled])
    func fixtures(_ state: ProjectState) {
        Self.check(Fixtures.project(state), step: state.rawValue)
    }
}
