import Foundation

/// The project state machine: pure functions from (project, action, actor, input) to a decision or a refusal.
///
/// Checks run in a fixed order, so every refusal is predictable: visibility (404), role and side (403),
/// project and task state (409), then the action's guard (422). Every state a decision moves the project
/// or a task to comes from `WorkflowDefinition`'s table; the code below adds only each action's effects.
public enum Machine {
    /// Whether `actor` may see `project` at all. A brand sees its own projects; an agency sees a project
    /// once a brief naming it has been issued (it has a task that is no longer a draft).
    public static func isVisible(_ project: ProjectRecord, to actor: Actor) -> Bool {
        switch actor.kind {
        case .brand: project.brandID == actor.organizationID
        case .agency: project.visibleAgencies.contains(actor.organizationID)
        }
    }

    /// The tasks `actor` may see: all for the brand, its own issued tasks for an agency.
    public static func visibleTasks(_ project: ProjectRecord, to actor: Actor) -> [TaskRecord] {
        switch actor.kind {
        case .brand: project.brandID == actor.organizationID ? project.tasks : []
        case .agency: project.tasks.filter { $0.agencyID == actor.organizationID && $0.state.isVisibleToAgency }
        }
    }

    /// Checks that `actor` may create projects: a brand key that is not a viewer.
    public static func authorizeCreate(_ actor: Actor) throws(Refusal) {
        guard actor.role.mayAct else { throw Refusal(.forbidden, "viewer keys are read-only") }
        guard actor.kind == .brand else {
            throw Refusal(.forbidden, "only a brand creates projects: brand leads, agency executes")
        }
    }

    /// Creates a project in `strategy`.
    public static func create(id: UUID, title: String, strategy: Strategy, actor: Actor, now: Date) throws(Refusal)
        -> Decision
    {
        try authorizeCreate(actor)
        let spec = WorkflowDefinition.spec(.create)
        let project = ProjectRecord(
            id: id, brandID: actor.organizationID, title: title, state: spec.to ?? .strategy, version: 1,
            lastSequence: 1,
            strategy: strategy, tasks: [], kpiResults: KPIResults(), outcome: nil, cancelReason: nil,
            createdAt: now, updatedAt: now)
        let t = Transition(
            action: .create, from: nil, to: project.state, taskID: nil, side: spec.side, eventType: spec.eventType,
            data: Detail.strings([.title: .string(title)]), audience: [actor.organizationID])
        return Decision(project: project, transitions: [t])
    }

    /// Decides `action` on `project` (on task `taskID` for task actions) by `actor` with validated `input`.
    public static func decide(
        _ project: ProjectRecord, action: Action, taskID: UUID?, input: ActionInput, actor: Actor,
        context: DecisionContext
    ) throws(Refusal) -> Decision {
        try decide(project, action: action, taskID: taskID, input: input, actor: actor, context: context, explain: true)
    }

    /// `decide`; with `explain`, an invalid transition lists what the caller may do instead (`allowedActions`,
    /// which itself decides without `explain`).
    static func decide(
        _ project: ProjectRecord, action: Action, taskID: UUID?, input: ActionInput, actor: Actor,
        context: DecisionContext,
        explain: Bool
    ) throws(Refusal) -> Decision {
        let spec = WorkflowDefinition.spec(action)
        guard isVisible(project, to: actor) else { throw Refusal(.notFound, "no such project") }
        guard spec.requestable else { throw Refusal(.notFound, "no such action") }

        // Task actions need a task the caller can see; project actions must not name one.
        var taskIndex: Int?
        switch spec.scope {
        case .task:
            guard let taskID, let i = project.taskIndex(taskID),
                visibleTasks(project, to: actor).contains(where: { $0.id == taskID })
            else { throw Refusal(.notFound, "no such task") }
            taskIndex = i
        case .project:
            guard taskID == nil else { throw Refusal(.notFound, "\(action.rawValue) is a project action") }
        }

        guard actor.role.mayAct else { throw Refusal(.forbidden, "viewer keys are read-only") }
        guard spec.isPerformed(by: actor.side) else {
            throw Refusal(
                .forbidden, "\(action.rawValue) is done by the \(spec.side.rawValue): brand leads, agency executes")
        }
        guard spec.from.contains(project.state) else {
            throw Refusal(
                .invalidTransition,
                "\(action.rawValue) is not allowed while the project is in \(project.state.rawValue)",
                state: project.state,
                allowedActions: explain ? allowedActions(project, for: actor, context: context) : [])
        }
        if let i = taskIndex, !spec.taskFrom.contains(project.tasks[i].state) {
            let task = project.tasks[i]
            throw Refusal(
                .invalidTransition, "\(action.rawValue) is not allowed while the task is \(task.state.rawValue)",
                state: project.state, taskState: task.state,
                allowedActions: explain ? allowedActions(project, task: task.id, for: actor, context: context) : [])
        }

        // A decision on a round: the listed approvers decide; with mode `all`, an approval that leaves others
        // pending is recorded (`record_decision`) and the task stays delivered.
        var writes = ReviewWrites()
        if let i = taskIndex, let verdict = Verdict(action) {
            let outcome = try Review.decide(
                verdict, task: project.tasks[i], in: project.state, actor: actor, now: context.now)
            writes.decisions = outcome.decision.map { [$0] } ?? []
            if !outcome.settles, let decision = outcome.decision {
                return recordDecision(decision, pending: outcome.pending, task: i, of: project, context: context)
            }
        }

        var next = project
        if !spec.keepsVersion {
            next.version += 1
            next.updatedAt = context.now
        }
        let data: Details
        if let i = taskIndex {
            next.tasks[i].decisions += writes.decisions
            data = try applyTaskAction(
                spec, task: i, input: input, actor: actor, to: &next, writes: &writes, context: context)
        } else {
            data = try applyProjectAction(spec, input: input, to: &next, context: context)
        }
        if let to = spec.to { next.state = to }

        // An internal comment (and its resolution) goes to the brand alone: no agency gets it by any path.
        let brandOnly = writes.comment?.isInternal == true
        var first = transition(spec, before: project, after: next, taskID: taskID, data: data, brandOnly: brandOnly)
        first.side = actor.side  // an action either side may take (remind, comment) is recorded as its taker's
        var transitions = [first]
        next.lastSequence += 1

        // Brand leads, agency executes: an automatic follow-up (delivery starts once every task is
        // accepted) happens in the same decision when its guard holds.
        if let then = spec.then, let auto = automatic(then, on: next) {
            let before = next
            if let to = auto.to { next.state = to }
            transitions.append(transition(auto, before: before, after: next, taskID: nil, data: [:]))
            next.lastSequence += 1
        }
        let timers = Deadlines.plan(before: project, after: next, levels: context.serviceLevels)
        return Decision(project: next, transitions: transitions, timers: timers, writes: writes)
    }

    /// An approval recorded without settling the round: the task stays delivered, the event names who is pending.
    static func recordDecision(
        _ decision: ApprovalDecision, pending: [UUID], task i: Int, of project: ProjectRecord, context: DecisionContext
    ) -> Decision {
        let spec = WorkflowDefinition.spec(.recordDecision)
        var next = project
        next.version += 1
        next.updatedAt = context.now
        next.tasks[i].decisions.append(decision)
        let data: Details = [
            .round: .number(Double(decision.round)), .decision: .string(decision.verdict.rawValue),
            .apiKeyID: .id(decision.apiKeyID), .pending: .array(pending.map { .id($0) }),
            .decisions: Review.json(next.tasks[i].currentRoundDecisions),
        ]
        let t = transition(spec, before: project, after: next, taskID: project.tasks[i].id, data: data)
        next.lastSequence += 1
        return Decision(project: next, transitions: [t], writes: ReviewWrites(decisions: [decision]))
    }

    /// A task's deadline from `due_at`, or from `due_date` (the end of that day in the brand's time zone); it
    /// must lie ahead.
    static func deadline(at: Date?, date: String?, context: DecisionContext) throws(Refusal) -> Date {
        let zone = context.serviceLevels.timezone
        guard let due = at ?? date.flatMap({ Deadlines.endOfDay($0, timezone: zone) }) else {
            throw Refusal(.guardFailed, "a deadline needs due_at (RFC 3339) or due_date (YYYY-MM-DD)")
        }
        guard due > context.now else {
            throw Refusal(.guardFailed, "the deadline \(JSONCoding.format(due)) has already passed")
        }
        return due
    }

    /// A timer firing as a system transition: the task's state is unchanged, the event announces the late wait.
    /// Nil when the wait it counted has ended meanwhile (the task moved on, the deadline moved, the project
    /// ended): such a timer fires nothing. The project's version does not change, so no `If-Match` goes stale.
    public static func fire(
        _ project: ProjectRecord, kind: TimerKind, taskID: UUID, basis: Date, dueAt: Date
    ) -> Decision? {
        guard let i = project.taskIndex(taskID),
            Deadlines.stillStands(kind, basis: basis, task: project.tasks[i], in: project)
        else { return nil }
        let spec = WorkflowDefinition.spec(kind.action)
        guard spec.from.contains(project.state), spec.taskFrom.contains(project.tasks[i].state) else { return nil }
        var next = project
        next.lastSequence += 1
        let task = project.tasks[i]
        var data: Details = [
            .dueAt: .string(JSONCoding.format(dueAt)), .waitingSince: .string(JSONCoding.format(task.stateSince)),
            .waitingOn: .string(Deadlines.waitingOn(task, in: project).rawValue),
        ]
        if let deadline = task.dueAt { data[.deadline] = .string(JSONCoding.format(deadline)) }
        let t = transition(spec, before: project, after: next, taskID: taskID, data: data)
        return Decision(project: next, transitions: [t])
    }

    /// The automatic action `action` when it applies to `project` now.
    static func automatic(_ action: Action, on project: ProjectRecord) -> ActionSpec? {
        let spec = WorkflowDefinition.spec(action)
        guard spec.from.contains(project.state) else { return nil }
        switch action {
        case .startDelivery: return project.tasks.allSatisfy({ $0.state == .accepted }) ? spec : nil
        default: return nil
        }
    }

    /// Moves task `i` to the table's target and applies the action's effects; returns the event's details.
    private static func applyTaskAction(
        _ spec: ActionSpec, task i: Int, input: ActionInput, actor: Actor, to next: inout ProjectRecord,
        writes: inout ReviewWrites, context: DecisionContext
    ) throws(Refusal) -> Details {
        let before = next.tasks[i]
        if let to = spec.taskTo {
            next.tasks[i].state = to
            next.tasks[i].updatedAt = context.now
            next.tasks[i].stateSince = context.now
        }
        let round = JSONValue.number(Double(before.deliveries.count))
        switch (spec.action, input) {
        case (.accept, _):
            return [:]
        case (.approve, _):
            return [.round: round, .decisions: Review.json(next.tasks[i].currentRoundDecisions)]
        case (.decline, .reason(let reason)):
            next.tasks[i].declineReason = reason
            return [.reason: .string(reason)]
        case (.reassign, .agency(let agency)):
            guard context.organizationKinds[agency] == .agency else {
                throw Refusal(.guardFailed, "agency_id must name an existing agency organization")
            }
            try requireOnRoster(agency, context)
            next.tasks[i].agencyID = agency
            next.tasks[i].declineReason = nil
            // The brand's history keeps who declined (its reports read it); no agency is told (`brandOnlyDetails`),
            // and the declining agency does not receive the event (`audience`).
            return [.previousAgencyID: .id(before.agencyID), .agencyID: .id(agency)]
        case (.submitDelivery, .delivery(let summary, let links)):
            let number = before.deliveries.count + 1
            next.tasks[i].deliveries.append(
                DeliveryRound(round: number, summary: summary, links: links, submittedAt: context.now))
            return [
                .round: .number(Double(number)), .summary: .string(summary),
                .links: .array(links.map(JSONValue.string)),
            ]
        case (.requestChanges, .note(let note)):
            next.tasks[i].changeNote = note
            return [
                .round: round, .note: .string(note),
                .decisions: Review.json(next.tasks[i].currentRoundDecisions),
            ]
        case (.comment, .comment(let new)):
            let comment = try Review.comment(
                new, task: before, project: next, actor: actor, parent: context.comment, context: context)
            writes.comment = comment
            return [.comment: Review.json(comment)]
        case (.resolveComment, .resolveComment(let id)):
            let comment = try Review.resolve(id, task: before, actor: actor, comment: context.comment, now: context.now)
            writes.comment = comment
            return [.comment: Review.json(comment)]
        case (.setApproval, .approval(let policy)):
            try Review.check(policy, brand: next.brandID, keys: context.approverKeys)
            next.tasks[i].approval = policy
            next.tasks[i].updatedAt = context.now
            return [.approval: Review.json(policy), .previousApproval: Review.json(before.approval)]
        case (.setDueDate, .deadline(let at, let date)):
            let due = try deadline(at: at, date: date, context: context)
            next.tasks[i].dueAt = due
            next.tasks[i].dueDate = date
            next.tasks[i].updatedAt = context.now
            return [
                .dueAt: .string(JSONCoding.format(due)),
                .previousDueAt: .optional(before.dueAt.map(JSONCoding.format)),
            ]
        case (.remind, _):
            let waiting = Deadlines.waitingOn(before, in: next)
            let other: Side = actor.side == .brand ? .agency : .brand
            guard waiting.rawValue == other.rawValue else {
                throw Refusal(.guardFailed, "this task waits on the \(waiting.rawValue), not on the \(other.rawValue)")
            }
            if let last = before.lastReminderAt, context.now < last.addingTimeInterval(24 * 3600) {
                throw Refusal(
                    .guardFailed,
                    "a reminder was sent \(JSONCoding.format(last)); the next one is possible 24 hours after it")
            }
            next.tasks[i].lastReminderAt = context.now
            return [.to: .string(other.rawValue), .waitingSince: .string(JSONCoding.format(before.stateSince))]
        default:
            throw mismatch(spec.action)
        }
    }

    /// Moves the project's tasks the table names and applies the action's effects; returns the event's details.
    private static func applyProjectAction(
        _ spec: ActionSpec, input: ActionInput, to next: inout ProjectRecord, context: DecisionContext
    ) throws(Refusal) -> Details {
        let project = next
        func moveTasks() {
            guard let to = spec.taskTo else { return }
            for i in next.tasks.indices where spec.taskFrom.contains(next.tasks[i].state) {
                next.tasks[i].state = to
                next.tasks[i].updatedAt = context.now
                next.tasks[i].stateSince = context.now
                if to == .draft { next.tasks[i].declineReason = nil }
            }
        }
        switch (spec.action, input) {
        case (.updateStrategy, .strategy(let strategy)):
            next.strategy = strategy
            return [:]
        case (.addTask, .addTask(let new)):
            guard context.organizationKinds[new.agencyID] == .agency else {
                throw Refusal(.guardFailed, "agency_id must name an existing agency organization")
            }
            try requireOnRoster(new.agencyID, context)
            guard project.tasks.count < Limits.listItems else {
                throw Refusal(.guardFailed, "a project has at most \(Limits.listItems) tasks")
            }
            if let policy = new.approval {
                try Review.check(policy, brand: project.brandID, keys: context.approverKeys)
            }
            let position = (project.tasks.map(\.position).max() ?? 0) + 1
            let due: Date? =
                new.dueAt == nil && new.dueDate == nil
                ? nil : try deadline(at: new.dueAt, date: new.dueDate, context: context)
            next.tasks.append(
                TaskRecord(
                    id: context.newTaskID, agencyID: new.agencyID, position: position, title: new.title,
                    description: new.description, dueDate: new.dueDate, state: spec.taskTo ?? .draft,
                    createdAt: context.now, updatedAt: context.now, dueAt: due, fee: new.fee,
                    approval: new.approval ?? .standard))
            return [
                .taskID: .id(context.newTaskID), .agencyID: .id(new.agencyID), .title: .string(new.title),
                .dueAt: .optional(due.map(JSONCoding.format)),
            ]
        case (.removeTask, .removeTask(let id)):
            guard let i = project.taskIndex(id), spec.taskFrom.contains(project.tasks[i].state) else {
                throw Refusal(.guardFailed, "task_id must name a draft task of this project")
            }
            next.tasks.remove(at: i)
            return [.taskID: .id(id)]
        case (.issueBrief, _):
            var missing: [String] = []
            if project.strategy.objectives.isEmpty { missing.append("at least one objective") }
            if project.strategy.kpis.isEmpty { missing.append("at least one KPI with a target") }
            if project.tasks.isEmpty { missing.append("at least one task") }
            guard missing.isEmpty else {
                throw Refusal(.guardFailed, "a brief needs " + missing.joined(separator: ", "))
            }
            moveTasks()
            // No count of the tasks: each agency receives this event, and others' tasks are not its business.
            return [:]
        case (.withdrawBrief, _):
            moveTasks()
            return [:]
        case (.startKPIReview, _):
            let pending = project.tasks.filter { $0.state != .approved }.count
            guard pending == 0 else {
                throw Refusal(.guardFailed, "every task must be approved first (\(pending) not approved)")
            }
            return [:]
        case (.recordKPIResults, .kpiResults(let results)):
            let keys = Set(project.strategy.kpis.map(\.key))
            let unknown = results.actuals.keys.filter { !keys.contains($0) }.sorted()
            guard unknown.isEmpty else {
                throw Refusal(
                    .guardFailed, "results name KPIs the strategy does not have: \(unknown.joined(separator: ", "))")
            }
            next.kpiResults.actuals.merge(results.actuals) { $1 }
            var data: Details = [.results: .object(results.actuals.mapValues(JSONValue.number))]
            if let s = results.spendMinor {
                next.kpiResults.spendMinor = s
                data[.spendMinor] = .number(Double(s))
            }
            if let r = results.revenueMinor {
                next.kpiResults.revenueMinor = r
                data[.revenueMinor] = .number(Double(r))
            }
            return data
        case (.close, _):
            let missing = project.strategy.kpis.map(\.key).filter { project.kpiResults.actuals[$0] == nil }
            guard missing.isEmpty else {
                throw Refusal(.guardFailed, "every KPI needs an actual; missing: \(missing.joined(separator: ", "))")
            }
            let outcome = Outcome.compute(strategy: project.strategy, results: project.kpiResults)
            next.outcome = outcome
            return [.allMet: .bool(outcome.allMet), .roi: outcome.roi.map(JSONValue.number) ?? .null]
        case (.cancel, .reason(let reason)):
            next.cancelReason = reason
            return [.reason: .string(reason)]
        default:
            throw mismatch(spec.action)
        }
    }

    /// The API parses input for the action it routes; a mismatch is a programming error, refused safely.
    /// A brand gives tasks only to the agencies it chose (its roster, docs/people.md): 422 `agency_not_on_roster`.
    static func requireOnRoster(_ agency: UUID, _ context: DecisionContext) throws(Refusal) {
        guard context.roster.contains(agency) else {
            throw Refusal(
                .agencyNotOnRoster,
                "agency \(agency.lowercased) is not on this brand's roster; "
                    + "invite it first (POST /v1/agency-relationships)"
            )
        }
    }

    private static func mismatch(_ action: Action) -> Refusal {
        Refusal(.guardFailed, "the input does not fit \(action.rawValue)")
    }

    /// Who receives the event: the brand always; agencies that could see the project before or after for
    /// project events; the task's agency (before and after a reassignment) for task events.
    static func audience(
        _ spec: ActionSpec, before: ProjectRecord, after: ProjectRecord, taskID: UUID?, brandOnly: Bool = false
    ) -> Set<UUID> {
        var audience: Set<UUID> = [before.brandID]
        if brandOnly { return audience }
        // The brand's economics (KPI actuals, spend, revenue, ROI) stay the brand's: these events go to it alone,
        // so no agency gets them by the feed, the history or a webhook (the project view shows agencies the state).
        if economicsOnly.contains(spec.action) { return audience }
        switch spec.scope {
        case .project:
            audience.formUnion(before.visibleAgencies)
            audience.formUnion(after.visibleAgencies)
        case .task:
            // A reassigned task's event goes to its new agency; the one that declined it is done with it.
            for p in spec.action == .reassign ? [after] : [before, after] {
                if let id = taskID, let i = p.taskIndex(id), p.tasks[i].state.isVisibleToAgency {
                    audience.insert(p.tasks[i].agencyID)
                }
            }
        }
        return audience
    }

    /// Actions whose events carry the brand's economics.
    static let economicsOnly: Set<Action> = [.recordKPIResults, .close]

    static func transition(
        _ spec: ActionSpec, before: ProjectRecord, after: ProjectRecord, taskID: UUID?, data: Details,
        brandOnly: Bool = false
    ) -> Transition {
        Transition(
            action: spec.action, from: before.state, to: after.state, taskID: taskID, side: spec.side,
            eventType: spec.eventType, data: Detail.strings(data),
            audience: audience(spec, before: before, after: after, taskID: taskID, brandOnly: brandOnly))
    }
}
