import Foundation

@testable import Workflow

/// Projects in every state, built so that every action the table allows there passes its guard.
enum Fixtures {
    static let brand = UUID()
    static let otherBrand = UUID()
    static let agencyA = UUID()
    static let agencyB = UUID()
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static let strategy = Strategy(
        objectives: ["Grow sign-ups"], audience: "Urban cyclists", channels: ["social"],
        budget: Budget(amountMinor: 5_000_000, currency: "EUR"),
        kpis: [
            KPI(key: "signups", name: "Sign-ups", target: 1000, unit: "count", comparator: .gte),
            KPI(key: "cpa", name: "Cost per acquisition", target: 20, unit: "EUR", comparator: .lte),
        ])

    static func task(_ id: Int, _ agency: UUID, _ state: TaskState, deliveries: Int = 0) -> TaskRecord {
        TaskRecord(
            id: UUID(uuidString: "00000000-0000-0000-0000-00000000000\(id)")!, agencyID: agency, position: id,
            title: "Task \(id)",
            description: "", dueDate: nil, state: state,
            deliveries: (0..<deliveries).map {
                DeliveryRound(round: $0 + 1, summary: "s", links: ["https://x.test"], submittedAt: now)
            },
            createdAt: now, updatedAt: now)
    }

    /// Tasks per project state: agency A always holds a task in each state a task action needs.
    static func tasks(for state: ProjectState) -> [TaskRecord] {
        switch state {
        case .strategy: [task(1, agencyA, .draft), task(2, agencyB, .draft)]
        case .brief: [task(1, agencyA, .issued), task(2, agencyB, .issued), task(3, agencyA, .declined)]
        case .delivery:
            [
                task(1, agencyA, .delivered, deliveries: 1), task(2, agencyB, .accepted),
                task(3, agencyA, .changesRequested, deliveries: 1),
            ]
        case .kpiReview, .closed:
            [task(1, agencyA, .approved, deliveries: 1), task(2, agencyB, .approved, deliveries: 1)]
        case .cancelled: [task(1, agencyA, .issued), task(2, agencyB, .accepted)]
        }
    }

    static func project(_ state: ProjectState) -> ProjectRecord {
        ProjectRecord(
            id: UUID(), brandID: brand, title: "Spring launch", state: state, version: 3, lastSequence: 3,
            strategy: strategy,
            tasks: tasks(for: state),
            kpiResults: state == .kpiReview || state == .closed
                ? KPIResults(actuals: ["signups": 1200, "cpa": 18], spendMinor: 100, revenueMinor: 250) : KPIResults(),
            outcome: nil, cancelReason: nil, createdAt: now, updatedAt: now)
    }

    /// A valid input for each action.
    static func input(_ action: Action) -> ActionInput {
        switch action {
        case .updateStrategy: .strategy(strategy)
        case .addTask: .addTask(NewTask(agencyID: agencyB, title: "Banner", description: "", dueDate: nil))
        case .removeTask: .removeTask(UUID(uuidString: "00000000-0000-0000-0000-000000000001")!)
        case .decline, .cancel: .reason("not our field")
        case .reassign: .agency(agencyB)
        case .submitDelivery: .delivery(summary: "Cut one", links: ["https://cdn.example.com/v1.mp4"])
        case .requestChanges: .note("Shorter, please")
        case .recordKPIResults: .kpiResults(KPIResults(actuals: ["signups": 1500]))
        case .setDueDate: .deadline(at: now.addingTimeInterval(3 * 86_400), date: nil)
        case .comment: .comment(NewComment(body: "The logo is too small", round: nil, parentID: nil, isInternal: false))
        case .resolveComment: .resolveComment(commentID)
        case .setApproval: .approval(ApprovalPolicy(mode: .any, approvers: []))
        default: .none
        }
    }

    /// The task each task action is tried on: the one in the state the action needs, if the project has one.
    static func taskID(for action: Action, in project: ProjectRecord, agency: UUID) -> UUID? {
        let wanted: [TaskState] =
            switch action {
            case .accept, .decline: [.issued]
            case .reassign: [.declined]
            case .submitDelivery: [.changesRequested, .accepted]
            case .approve, .requestChanges: [.delivered]
            case .setApproval: [.draft, .issued, .accepted, .declined, .changesRequested]
            default: []
            }
        let own = project.tasks.filter { $0.agencyID == agency }
        return (own.first { wanted.contains($0.state) } ?? own.first)?.id
    }

    /// The thread `resolve_comment` resolves (`openThread` puts it on a task).
    static let commentID = UUID()

    /// An open thread by the brand on `task`, as the store would read it for `resolve_comment`.
    static func openThread(on task: TaskRecord, of project: ProjectRecord) -> TaskComment {
        TaskComment(
            id: commentID, projectID: project.id, taskID: task.id, agencyID: task.agencyID, round: nil, parentID: nil,
            authorOrganizationID: brand, authorAPIKeyID: nil, authorSide: .brand, body: "Which cut is final?",
            isInternal: false, createdAt: now)
    }

    static let context = DecisionContext(
        now: now, newTaskID: UUID(), organizationKinds: [agencyA: .agency, agencyB: .agency, brand: .brand],
        roster: [agencyA, agencyB])
}
