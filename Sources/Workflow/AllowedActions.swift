import Foundation

/// What a caller may do now: each action offered is one the machine would apply with a valid input,
/// guards included; each one withheld it would refuse. Computed by running `Machine.decide` on the
/// project value (a copy: nothing is written), so the list can never disagree with the machine.
extension Machine {
    /// What `actor` may do now on the project (project actions, and the task actions it may take on at least one
    /// task) and on each task it sees.
    public static func allowed(
        _ project: ProjectRecord, for actor: Actor, context: DecisionContext = DecisionContext(now: Date())
    ) -> AllowedActions {
        guard actor.role.mayAct, isVisible(project, to: actor) else { return AllowedActions(project: [], tasks: [:]) }
        var tasks: [UUID: [Action]] = [:]
        for task in visibleTasks(project, to: actor) {
            tasks[task.id] = allowedActions(project, task: task.id, for: actor, context: context)
        }
        let onSomeTask = Set(tasks.values.joined())
        let actions = WorkflowDefinition.actions.filter { spec in
            // The table rules most actions out before any decision is tried.
            guard spec.requestable, !spec.isConversation, spec.isPerformed(by: actor.side),
                spec.from.contains(project.state)
            else {
                return false
            }
            switch spec.scope {
            case .task: return onSomeTask.contains(spec.action)
            case .project: return succeeds(spec.action, on: project, task: nil, by: actor, context: context)
            }
        }.map(\.action)
        return AllowedActions(project: actions, tasks: tasks)
    }

    /// The project actions `actor` may request now, and the task actions it may request on at least one task.
    public static func allowedActions(
        _ project: ProjectRecord, for actor: Actor, context: DecisionContext = DecisionContext(now: Date())
    ) -> [Action] {
        allowed(project, for: actor, context: context).project
    }

    /// The project actions among `actions` that `actor` may request now, decided alone (``allowed`` decides every
    /// task's actions as well).
    static func allowedSteps(
        _ project: ProjectRecord, among actions: Set<Action>, for actor: Actor, context: DecisionContext
    ) -> [Action] {
        guard actor.role.mayAct, isVisible(project, to: actor) else { return [] }
        return WorkflowDefinition.actions.filter { spec in
            actions.contains(spec.action) && spec.scope == .project && spec.requestable && !spec.isConversation
                && spec.isPerformed(by: actor.side) && spec.from.contains(project.state)
                && succeeds(spec.action, on: project, task: nil, by: actor, context: context)
        }.map(\.action)
    }

    /// The task actions `actor` may request on task `taskID` now.
    public static func allowedActions(
        _ project: ProjectRecord, task taskID: UUID, for actor: Actor,
        context: DecisionContext = DecisionContext(now: Date())
    ) -> [Action] {
        guard actor.role.mayAct, let task = project.tasks.first(where: { $0.id == taskID }) else { return [] }
        return WorkflowDefinition.actions.filter { spec in
            spec.requestable && !spec.isConversation && spec.scope == .task && spec.isPerformed(by: actor.side)
                && spec.from.contains(project.state) && spec.taskFrom.contains(task.state)
                && succeeds(spec.action, on: project, task: taskID, by: actor, context: context)
        }.map(\.action)
    }

    /// Whether `actor` may comment on task `taskID` now (a comment is never in `allowed_actions`: see
    /// `ActionSpec.isConversation`), decided by the machine on a copy like every allowed action.
    public static func mayComment(
        _ project: ProjectRecord, task taskID: UUID, for actor: Actor,
        context: DecisionContext = DecisionContext(now: Date())
    ) -> Bool {
        succeeds(.comment, on: project, task: taskID, by: actor, context: context)
    }

    /// Whether `decide` applies `action` with a valid input of its kind.
    private static func succeeds(
        _ action: Action, on project: ProjectRecord, task: UUID?, by actor: Actor, context: DecisionContext
    ) -> Bool {
        guard let (input, kinds) = sampleInput(action, project) else { return false }
        var context = context
        context.organizationKinds.merge(kinds) { $1 }
        context.roster.formUnion(kinds.keys)
        do {
            _ = try decide(
                project, action: action, taskID: task, input: input, actor: actor, context: context, explain: false)
            return true
        } catch {
            return false
        }
    }

    /// A valid input for `action` on `project`: the guards that depend only on the input (a reason, an existing
    /// agency) then hold, and the decision depends on the project's state alone. Nil when no input can succeed.
    static func sampleInput(_ action: Action, _ project: ProjectRecord) -> (ActionInput, [UUID: OrganizationKind])? {
        let agency = UUID(uuid: (0, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 1))
        switch action {
        case .create, .startDelivery, .responseOverdue, .dueSoon, .overdue, .escalate, .reviewOverdue, .recordDecision:
            return nil
        // Resolving names one thread: offered per comment (its `resolved_at`), not per task.
        case .resolveComment: return nil
        case .comment: return (.comment(NewComment(body: "c", round: nil, parentID: nil, isInternal: false)), [:])
        case .setApproval: return (.approval(.standard), [:])
        case .setDueDate: return (.deadline(at: .distantFuture, date: nil), [:])
        case .remind: return (.none, [:])
        case .updateStrategy: return (.strategy(project.strategy), [:])
        case .addTask:
            let task = NewTask(agencyID: agency, title: "t", description: "", dueDate: nil, dueAt: nil)
            return (.addTask(task), [agency: .agency])
        case .removeTask:
            guard let draft = project.tasks.first(where: { $0.state == .draft }) else { return nil }
            return (.removeTask(draft.id), [:])
        case .decline, .cancel: return (.reason("r"), [:])
        case .reassign: return (.agency(agency), [agency: .agency])
        case .submitDelivery: return (.delivery(summary: "s", links: ["https://example.com"]), [:])
        case .requestChanges: return (.note("n"), [:])
        case .recordKPIResults:
            let actuals = Dictionary(uniqueKeysWithValues: project.strategy.kpis.map { ($0.key, $0.target) })
            return (.kpiResults(KPIResults(actuals: actuals)), [:])
        case .issueBrief, .withdrawBrief, .accept, .approve, .startKPIReview, .close: return (.none, [:])
        }
    }
}

/// What a caller may do now, on a project and on each task it sees (`Machine.allowed`).
public struct AllowedActions: Sendable, Hashable {
    public var project: [Action]
    /// By task id; a task the caller does not see is absent.
    public var tasks: [UUID: [Action]]
}
