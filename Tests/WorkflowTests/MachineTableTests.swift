import Foundation
import Testing

@testable import Workflow

/// The machine table of docs/contract.md section 2, written out independently of `WorkflowDefinition`:
/// who acts, from which project states, and where the project and the task go; and each action's event (section 4).
struct Expected {
    var side: Side
    var otherSide: Side? = nil
    var from: Set<ProjectState>
    var to: ProjectState?
    var taskTo: TaskState?
}

/// Each requestable action's event type, as the contract names it.
let designEvents: [Action: String] = [
    .updateStrategy: "project.strategy_updated",
    .addTask: "project.task_added",
    .removeTask: "project.task_removed",
    .issueBrief: "project.brief_issued",
    .withdrawBrief: "project.brief_withdrawn",
    .accept: "task.accepted",
    .decline: "task.declined",
    .reassign: "task.reassigned",
    .submitDelivery: "task.delivered",
    .approve: "task.approved",
    .requestChanges: "task.changes_requested",
    .startKPIReview: "project.kpi_review_started",
    .recordKPIResults: "project.kpi_results_recorded",
    .close: "project.closed",
    .cancel: "project.cancelled",
    .setDueDate: "task.due_date_changed",
    .remind: "task.reminder_sent",
    .comment: "task.commented",
    .resolveComment: "task.comment_resolved",
    .setApproval: "task.approval_set",
]

let designTable: [Action: Expected] = [
    .updateStrategy: Expected(side: .brand, from: [.strategy], to: nil, taskTo: nil),
    .addTask: Expected(side: .brand, from: [.strategy], to: nil, taskTo: nil),
    .removeTask: Expected(side: .brand, from: [.strategy], to: nil, taskTo: nil),
    .issueBrief: Expected(side: .brand, from: [.strategy], to: .brief, taskTo: nil),
    .withdrawBrief: Expected(side: .brand, from: [.brief], to: .strategy, taskTo: nil),
    .accept: Expected(side: .agency, from: [.brief], to: nil, taskTo: .accepted),
    .decline: Expected(side: .agency, from: [.brief], to: nil, taskTo: .declined),
    .reassign: Expected(side: .brand, from: [.brief], to: nil, taskTo: .issued),
    .submitDelivery: Expected(side: .agency, from: [.delivery], to: nil, taskTo: .delivered),
    .approve: Expected(side: .brand, from: [.delivery], to: nil, taskTo: .approved),
    .requestChanges: Expected(side: .brand, from: [.delivery], to: nil, taskTo: .changesRequested),
    .startKPIReview: Expected(side: .brand, from: [.delivery], to: .kpiReview, taskTo: nil),
    .recordKPIResults: Expected(side: .brand, from: [.kpiReview], to: nil, taskTo: nil),
    .close: Expected(side: .brand, from: [.kpiReview], to: .closed, taskTo: nil),
    .cancel: Expected(side: .brand, from: [.strategy, .brief, .delivery, .kpiReview], to: .cancelled, taskTo: nil),
    .setDueDate: Expected(side: .brand, from: [.strategy, .brief, .delivery], to: nil, taskTo: nil),
    .remind: Expected(side: .brand, otherSide: .agency, from: [.brief, .delivery], to: nil, taskTo: nil),
    .comment: Expected(side: .brand, otherSide: .agency, from: [.strategy, .brief, .delivery, .kpiReview]),
    .resolveComment: Expected(side: .brand, otherSide: .agency, from: [.strategy, .brief, .delivery, .kpiReview]),
    .setApproval: Expected(side: .brand, from: [.strategy, .brief, .delivery], to: nil, taskTo: nil),
]

enum Outcome: Equatable, CustomStringConvertible {
    case applied
    case refused(Refusal.Code)
    var description: String {
        switch self {
        case .applied: "applied"
        case .refused(let c): c.rawValue
        }
    }
}

struct Combination: CustomTestStringConvertible, Sendable {
    var state: ProjectState
    var action: Action
    var kind: OrganizationKind
    var role: Role
    var testDescription: String { "\(action.rawValue) by \(kind.rawValue) \(role.rawValue) in \(state.rawValue)" }
}

let requestable = WorkflowDefinition.actions.filter(\.requestable).map(\.action)
let everyCombination: [Combination] = ProjectState.allCases.flatMap { s in
    requestable.flatMap { a in
        OrganizationKind.allCases.flatMap { k in
            Role.allCases.map { Combination(state: s, action: a, kind: k, role: $0) }
        }
    }
}

@Suite("The machine table, every (state, action, side, role)")
struct MachineTableTests {
    @Test("the table covers every requestable action")
    func tableCoversEveryAction() {
        #expect(Set(designTable.keys) == Set(requestable))
        #expect(Set(designEvents.keys) == Set(requestable))
        #expect(everyCombination.count == 6 * 20 * 2 * 3)
    }

    @Test("every event type is one action's, but the dispatcher's own")
    func eventTypesOnce() {
        let byActions = WorkflowDefinition.actions.map(\.eventType)
        #expect(byActions.count == Set(byActions).count, "no two actions announce the same event")
        #expect(Set(byActions).union([.webhookEndpointDisabled]) == Set(EventType.allCases))
    }

    @Test("each combination is applied or refused exactly as the contract says", arguments: everyCombination)
    func combination(_ c: Combination) throws {
        let expected = designTable[c.action]!
        var project = Fixtures.project(c.state)
        if c.action == .startKPIReview && c.state == .delivery {
            // Its guard needs every task approved; the guard itself is tested on its own.
            for i in project.tasks.indices { project.tasks[i].state = .approved }
        }
        let org = c.kind == .brand ? Fixtures.brand : Fixtures.agencyA
        let actor = Actor(organizationID: org, kind: c.kind, role: c.role)
        let scope = WorkflowDefinition.spec(c.action).scope
        var taskID = scope == .task ? Fixtures.taskID(for: c.action, in: project, agency: Fixtures.agencyA) : nil
        if c.action == .remind {
            // A reminder goes to the side the task waits on: the brand nudges a task owed by the agency, the
            // agency nudges a delivery waiting for review.
            let wanted: [TaskState] = c.kind == .brand ? [.issued, .accepted, .changesRequested] : [.delivered]
            let own = project.tasks.filter { $0.agencyID == Fixtures.agencyA }
            taskID = (own.first { wanted.contains($0.state) } ?? own.first)?.id
        }

        // Independent oracle: visibility, then role, then side, then project state.
        let want: Outcome
        if c.kind == .agency && c.state == .strategy {
            want = .refused(.notFound)  // no brief issued yet: the agency cannot see the project
        } else if c.role == .viewer {
            want = .refused(.forbidden)
        } else if c.kind.side != expected.side && c.kind.side != expected.otherSide {
            want = .refused(.forbidden)
        } else if !expected.from.contains(c.state) {
            want = .refused(.invalidTransition)
        } else if c.action == .remind && c.kind == .agency && c.state == .brief {
            want = .refused(.guardFailed)  // nothing waits on the brand yet: no delivery to review
        } else {
            want = .applied
        }

        var context = Fixtures.context
        if c.action == .resolveComment, let task = project.tasks.first(where: { $0.id == taskID }) {
            context.comment = Fixtures.openThread(on: task, of: project)
        }
        let got: Outcome
        do {
            let decision = try Machine.decide(
                project, action: c.action, taskID: taskID, input: Fixtures.input(c.action), actor: actor,
                context: context)
            got = .applied
            // Where the project and the task go.
            let first = decision.transitions[0]
            #expect(first.action == c.action)
            #expect(first.from == c.state)
            #expect(first.eventType.rawValue == designEvents[c.action])
            #expect(first.audience.contains(Fixtures.brand))
            // A comment changes no state: the version (the ETag) stays, so no If-Match goes stale.
            let keeps = WorkflowDefinition.spec(c.action).keepsVersion
            #expect(decision.project.version == project.version + (keeps ? 0 : 1))
            #expect(first.side == actor.side, "recorded as its taker's")
            #expect(decision.project.lastSequence == project.lastSequence + decision.transitions.count)
            if let to = expected.to {
                #expect(decision.project.state == to)
            } else if c.action != .accept {
                #expect(decision.project.state == c.state)
            }
            if let taskTo = expected.taskTo, let taskID {
                #expect(decision.project.tasks.first { $0.id == taskID }?.state == taskTo)
            }
        } catch {
            got = .refused(error.code)
            if error.code == .invalidTransition {
                #expect(error.state == c.state)
                #expect(error.allowedActions == Machine.allowedActions(project, for: actor, context: context))
                #expect(!error.allowedActions.contains(c.action))
            }
        }
        #expect(got == want)
    }

    @Test("another brand sees nothing, whatever it tries", arguments: ProjectState.allCases)
    func otherBrand(_ state: ProjectState) {
        let actor = Actor(organizationID: Fixtures.otherBrand, kind: .brand, role: .admin)
        for action in requestable {
            let project = Fixtures.project(state)
            let taskID = WorkflowDefinition.spec(action).scope == .task ? project.tasks[0].id : nil
            #expect(throws: Refusal(.notFound, "no such project")) {
                try Machine.decide(
                    project, action: action, taskID: taskID, input: Fixtures.input(action), actor: actor,
                    context: Fixtures.context)
            }
        }
    }

    @Test("an agency cannot touch another agency's task: it does not exist for it")
    func otherAgencysTask() throws {
        let project = Fixtures.project(.brief)
        let actor = Actor(organizationID: Fixtures.agencyA, kind: .agency, role: .manager)
        let theirs = project.tasks.first { $0.agencyID == Fixtures.agencyB }!.id
        let refusal = #expect(throws: Refusal.self) {
            try Machine.decide(
                project, action: .accept, taskID: theirs, input: .none, actor: actor, context: Fixtures.context)
        }
        #expect(refusal?.code == .notFound)
        #expect(Machine.visibleTasks(project, to: actor).allSatisfy { $0.agencyID == Fixtures.agencyA })
    }

    @Test("a task action on a task in the wrong state is an invalid transition with the task's state")
    func wrongTaskState() {
        let project = Fixtures.project(.brief)
        let actor = Actor(organizationID: Fixtures.brand, kind: .brand, role: .manager)
        let issued = project.tasks.first { $0.state == .issued }!.id
        let refusal = #expect(throws: Refusal.self) {
            try Machine.decide(
                project, action: .reassign, taskID: issued, input: .agency(Fixtures.agencyB), actor: actor,
                context: Fixtures.context)
        }
        #expect(refusal?.code == .invalidTransition)
        #expect(refusal?.taskState == .issued)
    }
}
