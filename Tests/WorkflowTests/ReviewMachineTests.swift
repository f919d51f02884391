import Foundation
import Testing

@testable import Workflow

/// The review rules as pure decisions, without I/O: who may decide a round, what settles it, what a comment may
/// refer to and who receives it.
@Suite("The machine: approvals and comments")
struct ReviewMachineTests {
    static let ana = UUID()
    static let ben = UUID()
    static let cy = UUID()

    static func brandKey(_ key: UUID?, role: Role = .manager) -> Actor {
        Actor(organizationID: Fixtures.brand, kind: .brand, role: role, apiKeyID: key)
    }

    /// A project in delivery whose task 1 (agency A) waits for review of round 1 under `policy`.
    static func project(_ policy: ApprovalPolicy) -> ProjectRecord {
        var p = Fixtures.project(.delivery)
        p.tasks[0].approval = policy
        return p
    }

    static func decide(_ p: ProjectRecord, _ action: Action, by key: UUID?, _ input: ActionInput = .none) throws
        -> Decision
    {
        try Machine.decide(
            p, action: action, taskID: p.tasks[0].id, input: input, actor: brandKey(key), context: Fixtures.context)
    }

    @Test("all: approvals before the last are recorded, the last approves; a request for changes settles at once")
    func allMode() throws {
        var p = Self.project(ApprovalPolicy(mode: .all, approvers: [Self.ana, Self.ben, Self.cy]))
        let first = try Self.decide(p, .approve, by: Self.ana)
        #expect(first.transitions.map(\.action) == [.recordDecision])
        #expect(first.transitions[0].eventType.rawValue == "task.decision_recorded")
        #expect(first.project.tasks[0].state == .delivered)
        #expect(first.project.version == p.version + 1)
        #expect(first.project.tasks[0].pendingApprovers == [Self.ben, Self.cy])
        #expect(first.writes.decisions.map(\.apiKeyID) == [Self.ana])
        #expect(first.transitions[0].audience.contains(Fixtures.agencyA), "the agency sees progress")
        p = first.project

        #expect(throws: Refusal.self) { try Self.decide(p, .approve, by: Self.ana) }
        let again = #expect(throws: Refusal.self) { try Self.decide(p, .approve, by: Self.ana) }
        #expect(again?.code == .invalidTransition)
        let stranger = #expect(throws: Refusal.self) { try Self.decide(p, .approve, by: UUID()) }
        #expect(stranger?.code == .forbidden)

        let second = try Self.decide(p, .approve, by: Self.cy)
        #expect(second.transitions.map(\.action) == [.recordDecision])
        let last = try Self.decide(second.project, .approve, by: Self.ben)
        #expect(last.transitions.map(\.action) == [.approve])
        #expect(last.project.tasks[0].state == .approved)
        #expect(last.project.tasks[0].currentRoundDecisions.count == 3)

        let changes = try Self.decide(p, .requestChanges, by: Self.cy, .note("Shorter"))
        #expect(changes.transitions.map(\.action) == [.requestChanges])
        #expect(changes.project.tasks[0].state == .changesRequested)
        #expect(changes.project.tasks[0].pendingApprovers.isEmpty)
    }

    @Test("any: the first listed approver settles; nobody listed means any brand key that may act, as before")
    func anyMode() throws {
        let listed = Self.project(ApprovalPolicy(mode: .any, approvers: [Self.ana]))
        #expect(try Self.decide(listed, .approve, by: Self.ana).project.tasks[0].state == .approved)
        #expect(throws: Refusal.self) { try Self.decide(listed, .approve, by: Self.ben) }
        let standard = Self.project(.standard)
        #expect(try Self.decide(standard, .approve, by: Self.ben).project.tasks[0].state == .approved)
        #expect(try Self.decide(standard, .approve, by: nil).project.tasks[0].state == .approved)
    }

    @Test("set_approval: brand keys that may act, not revoked; all needs approvers; not while a round is reviewed")
    func setApproval() throws {
        var p = Fixtures.project(.brief)
        let task = p.tasks[0].id
        var context = Fixtures.context
        context.approverKeys = [
            Self.ana: ApproverKey(organizationID: Fixtures.brand, role: .manager, revoked: false),
            Self.ben: ApproverKey(organizationID: Fixtures.brand, role: .viewer, revoked: false),
            Self.cy: ApproverKey(organizationID: Fixtures.brand, role: .admin, revoked: true),
        ]
        func set(_ approvers: [UUID], _ mode: ApprovalMode = .all) throws -> Decision {
            try Machine.decide(
                p, action: .setApproval, taskID: task,
                input: .approval(ApprovalPolicy(mode: mode, approvers: approvers)),
                actor: Self.brandKey(nil), context: context)
        }
        p = try set([Self.ana]).project
        #expect(p.tasks[0].approval == ApprovalPolicy(mode: .all, approvers: [Self.ana]))
        for bad in [[Self.ben], [Self.cy], [UUID()], []] {
            let refusal = #expect(throws: Refusal.self) { try set(bad) }
            #expect(refusal?.code == .guardFailed)
        }
        let delivering = Self.project(.standard)
        let late = #expect(throws: Refusal.self) {
            try Machine.decide(
                delivering, action: .setApproval, taskID: delivering.tasks[0].id, input: .approval(.standard),
                actor: Self.brandKey(nil), context: context)
        }
        #expect(late?.code == .invalidTransition)
    }

    @Test("comments: no version change, internal ones to the brand only, one level of replies, rounds that exist")
    func comments() throws {
        let p = Fixtures.project(.delivery)
        let task = p.tasks[0]
        let agency = Actor(organizationID: Fixtures.agencyA, kind: .agency, role: .manager)
        func comment(_ c: NewComment, by actor: Actor, parent: TaskComment? = nil) throws -> Decision {
            var context = Fixtures.context
            context.comment = parent
            return try Machine.decide(
                p, action: .comment, taskID: task.id, input: .comment(c), actor: actor, context: context)
        }
        let open = try comment(
            NewComment(body: "Hook?", round: 1, parentID: nil, isInternal: false), by: Self.brandKey(nil))
        #expect(open.project.version == p.version)
        #expect(open.project.lastSequence == p.lastSequence + 1)
        #expect(open.transitions[0].audience == [Fixtures.brand, Fixtures.agencyA])
        let note = try comment(
            NewComment(body: "CFO", round: nil, parentID: nil, isInternal: true), by: Self.brandKey(nil))
        #expect(note.transitions[0].audience == [Fixtures.brand])
        let thread = try #require(note.writes.comment)
        let reply = try comment(
            NewComment(body: "ok", round: nil, parentID: thread.id, isInternal: false), by: Self.brandKey(nil),
            parent: thread)
        #expect(reply.writes.comment?.isInternal == true, "a reply to an internal thread is internal")
        #expect(reply.transitions[0].audience == [Fixtures.brand])
        #expect(throws: Refusal.self) {
            try comment(
                NewComment(body: "x", round: nil, parentID: thread.id, isInternal: false), by: agency, parent: thread)
        }
        #expect(throws: Refusal.self) {
            try comment(NewComment(body: "x", round: nil, parentID: nil, isInternal: true), by: agency)
        }
        #expect(throws: Refusal.self) {
            try comment(NewComment(body: "x", round: 2, parentID: nil, isInternal: false), by: agency)
        }
        let answer = try #require(reply.writes.comment)
        #expect(throws: Refusal.self) {
            try comment(
                NewComment(body: "x", round: nil, parentID: answer.id, isInternal: true), by: Self.brandKey(nil),
                parent: answer)
        }
        let byAgency = try comment(NewComment(body: "Fixed", round: 1, parentID: nil, isInternal: false), by: agency)
        #expect(byAgency.transitions[0].side == .agency)
    }
}
