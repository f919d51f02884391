import Foundation
import Testing

@testable import Workflow

/// `Notices.of` decides only the tasks a transition changed (it runs inside the transition's lock); here it is
/// compared with the whole inbox read before and after, for every caller's every allowed action in every state, and
/// along a walked lifecycle.
@Suite("Notices: who must act next, from the inbox, decided incrementally")
struct NoticesTests {
    struct Key: Hashable {
        var organization: UUID
        var kind: NoticeKind
        var task: UUID?
        var approvers: [UUID]?
    }

    /// The reference: every item of each party's whole inbox after the decision that was not there before.
    static func reference(before: ProjectRecord, after: ProjectRecord) -> Set<Key> {
        var out: Set<Key> = []
        for (organization, kind) in Notices.parties(before: before, after: after) {
            let was = Set(
                Inbox.items(organization: organization, kind: kind, projects: [before], now: Fixtures.now)
                    .map(Notices.ItemKey.init))
            for item in Inbox.items(organization: organization, kind: kind, projects: [after], now: Fixtures.now)
            where !was.contains(Notices.ItemKey(item)) {
                let n = Notices.notice(for: item, organization: organization, kind: kind, project: after, event: nil)
                out.insert(Key(organization: n.organizationID, kind: n.kind, task: n.taskID, approvers: n.approvers))
            }
        }
        for task in after.tasks where !task.pendingApprovers.isEmpty {
            let old = before.tasks.first { $0.id == task.id }
            guard old?.state != .delivered || old?.deliveries.count != task.deliveries.count else { continue }
            out.insert(
                Key(
                    organization: after.brandID, kind: .deliverySubmitted, task: task.id,
                    approvers: task.pendingApprovers))
        }
        return out
    }

    static func incremental(before: ProjectRecord, after: ProjectRecord) -> Set<Key> {
        Set(
            Notices.of(before: before, after: after, events: [], now: Fixtures.now).map {
                Key(organization: $0.organizationID, kind: $0.kind, task: $0.taskID, approvers: $0.approvers)
            })
    }

    /// Every allowed action of every caller on `project`, applied, compared; returns how many were.
    static func compareAll(_ project: ProjectRecord) -> Int {
        var compared = 0
        for (_, actor) in AllowedActionsTests.callers {
            for spec in WorkflowDefinition.actions where spec.requestable && !spec.isConversation {
                let targets: [UUID?] = spec.scope == .task ? project.tasks.map(\.id) : [nil]
                for target in targets {
                    guard
                        let after = try? Machine.decide(
                            project, action: spec.action, taskID: target,
                            input: AllowedActionsTests.input(spec.action, project), actor: actor,
                            context: AllowedActionsTests.context
                        ).project
                    else { continue }
                    #expect(
                        incremental(before: project, after: after) == reference(before: project, after: after),
                        "\(spec.action.rawValue) in \(project.state.rawValue) on \(target.map { "\($0)" } ?? "-")")
                    compared += 1
                }
            }
        }
        return compared
    }

    @Test("every caller's every allowed action, from a project in every state")
    func everyState() {
        var compared = 0
        for state in ProjectState.allCases { compared += Self.compareAll(Fixtures.project(state)) }
        #expect(compared > 50, "\(compared)")
    }

    @Test("along a walked lifecycle: each step tells who must act next, and no one else")
    func lifecycle() throws {
        let brand = Actor(organizationID: Fixtures.brand, kind: .brand, role: .manager)
        let a = Actor(organizationID: Fixtures.agencyA, kind: .agency, role: .manager)
        var p = try Machine.create(id: UUID(), title: "T", strategy: Fixtures.strategy, actor: brand, now: Fixtures.now)
            .project
        var told: [[Key]] = []
        func act(_ actor: Actor, _ action: Action, task: Int? = nil, _ input: ActionInput? = nil) throws {
            let before = p
            p = try Machine.decide(
                p, action: action, taskID: task.map { p.tasks[$0].id },
                input: input ?? AllowedActionsTests.input(action, p), actor: actor, context: AllowedActionsTests.context
            ).project
            let got = Self.incremental(before: before, after: p)
            #expect(got == Self.reference(before: before, after: p), "after \(action.rawValue)")
            told.append(Array(got))
            _ = Self.compareAll(p)
        }
        try act(
            brand, .addTask, .addTask(NewTask(agencyID: Fixtures.agencyA, title: "Film", description: "", dueDate: nil))
        )
        try act(brand, .issueBrief)
        #expect(told.last?.map(\.kind) == [.taskOffered] && told.last?.first?.organization == Fixtures.agencyA)
        try act(a, .accept, task: 0)
        try act(a, .submitDelivery, task: 0)
        #expect(told.last?.map(\.kind) == [.deliverySubmitted] && told.last?.first?.organization == Fixtures.brand)
        try act(brand, .requestChanges, task: 0)
        #expect(told.last?.map(\.kind) == [.changesRequested])
        try act(a, .submitDelivery, task: 0)
        try act(brand, .approve, task: 0)
        #expect(told.last?.map(\.kind) == [.projectStep] && told.last?.first?.organization == Fixtures.brand)
    }
}
