import API
import Foundation
import HTTPTypes
import Hummingbird
import Storage
import Workflow

extension Console {
    /// One action's form on the project page.
    struct ActionForm {
        var action: String
        var label: String
        var url: String
        var formKey: String
        var version: Int
        var fields: [FormInput]
        /// Stored: templates read properties through `Mirror`, which sees only stored ones.
        var hasFields: Bool
        var secondary: Bool
        var id: String
        /// `remove_task` names its task in the body.
        var taskID: String? = nil
    }

    /// One input of an action's form, with its own id for its label.
    struct FormInput {
        var id: String
        var name: String
        var label: String
        var required: Bool
        var hint: String
        var isText: Bool
        var isTextarea: Bool
        var isDate: Bool
        var isAgency: Bool
        var inputMode: String
    }

    struct DeliveryView {
        /// "Round 2 · 29 Nov 2026, 07:56".
        var heading: String
        var decisionsLabel: String
        var summary: String
        var links: [String]
        var decisions: [DecisionView]
        var hasDecisions: Bool
    }

    struct TaskView {
        var id: String
        var title: String
        var description: String
        var agency: String
        var state: String
        var stateClass: String
        var due: String?
        var overdue: Bool
        var waitingOn: String
        var fee: String?
        var declineReason: String?
        var changeNote: String?
        var deliveries: [DeliveryView]
        var forms: [ActionForm]
        var removeForm: ActionForm?
        /// Who signs off, who has not decided yet, the threads and the comment form.
        var approval: String?
        var pending: String?
        var threads: [CommentView]
        var hasThreads: Bool
        var commentForm: CommentForm?
        var commentsLabel: String
    }

    struct KPIView {
        var name: String
        var target: String
        var comparator: String
        var unit: String
        var actual: String?
        var met: Bool?
        var metClass: String?
        var metText: String?
    }

    struct HistoryView {
        var when: String
        var what: String
        var change: String
        var who: String
    }

    struct ProjectView {
        var chrome: Chrome
        var id: String
        var title: String
        var state: String
        var stateLabel: String
        var version: Int
        var notice: String?
        var isBrand: Bool
        var objectives: [String]
        var audience: String
        var channels: String
        var budget: String
        var dueDate: String?
        var kpis: [KPIView]
        var tasks: [TaskView]
        var hasTasks: Bool
        var forms: [ActionForm]
        var hasForms: Bool
        /// Where the brand edits the strategy, when `update_strategy` is allowed now.
        var strategyHref: String?
        var agencies: [Option]
        var history: [HistoryView]
        var closed: Bool
        var roi: String?
        var spend: String?
        var revenue: String?
        var allMet: Bool
        var chart: BarChart?
        var cancelReason: String?
    }

    /// `GET /console/projects/{id}`: the strategy and KPIs, the tasks, the forms of what the caller may do now
    /// (from the machine's `allowed_actions`), the outcome once measured, and the timeline.
    func projectPage(
        _ session: ConsoleSession, id: UUID, notice: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let p = session.principal
        guard let project = try await projects.find(id: id, for: p.actor) else {
            throw ConsoleError.notFound("error.no_project")
        }
        let t = session.t
        let now = Date()
        let zone = p.organization.serviceLevels.timezone
        let isBrand = p.organization.kind == .brand
        let allowed = Machine.allowed(
            project, for: p.actor, context: DecisionContext(now: now, serviceLevels: project.serviceLevels))
        let visible = Machine.visibleTasks(project, to: p.actor)
        let names = try await organizations.names(ids: visible.map(\.agencyID) + [project.brandID])
        let base = "/console/projects/\(project.id.lowercased)"
        func form(_ action: Action, url: String, scope: String, taskID: UUID? = nil) -> ActionForm {
            let formID = "\(scope)-\(action.rawValue)"
            return ActionForm(
                action: action.rawValue, label: t.action(action), url: url, formKey: newFormKey(),
                version: project.version,
                fields: ActionForms.fields(action, project: project, t: t).map { f in
                    FormInput(
                        id: "\(formID)-\(f.name)", name: f.name, label: f.label, required: f.required, hint: f.hint,
                        isText: f.isText, isTextarea: f.isTextarea, isDate: f.isDate, isAgency: f.isAgency,
                        inputMode: f.kind == .money || f.kind == .number ? "decimal" : "text")
                }, hasFields: !ActionForms.fields(action, project: project, t: t).isEmpty,
                secondary: ActionForms.isSecondary(action), id: formID, taskID: taskID?.lowercased)
        }
        let reads = try await reviewReads(visible, of: project, for: p)
        var reviews: [UUID: ReviewView] = [:]
        for task in visible {
            reviews[task.id] = review(
                task, of: project, for: p, names: names, reads: reads, zone: zone, now: now, t: t)
        }
        let tasks = visible.map { task in
            let review = reviews[task.id]
            let actions = (allowed.tasks[task.id] ?? []).filter(ActionForms.isOffered)
            let taskBase = "\(base)/tasks/\(task.id.lowercased)/actions"
            let scope = "task-\(task.id.lowercased)"
            return TaskView(
                id: task.id.lowercased, title: task.title, description: task.description,
                agency: names[task.agencyID] ?? "", state: t.state(task.state.rawValue),
                stateClass: task.state.rawValue,
                due: task.dueAt.map { t.due($0, in: zone) },
                overdue: Deadlines.isOverdue(task, in: project, levels: project.serviceLevels, now: now),
                waitingOn: t.say("party.\(Deadlines.waitingOn(task, in: project).rawValue)"),
                fee: task.fee.map { t.money($0.amountMinor, $0.currency) },
                declineReason: task.declineReason, changeNote: task.changeNote,
                deliveries: task.deliveries.map {
                    DeliveryView(
                        heading: t.say(
                            "project.round", ["n": String($0.round), "when": t.date($0.submittedAt, in: zone)]),
                        decisionsLabel: t.say("project.decisions_on", ["n": String($0.round)]),
                        summary: $0.summary, links: $0.links, decisions: review?.decisions[$0.round] ?? [],
                        hasDecisions: !(review?.decisions[$0.round] ?? []).isEmpty)
                },
                forms: actions.map { form($0, url: "\(taskBase)/\($0.rawValue)", scope: scope) },
                removeForm: allowed.project.contains(.removeTask) && task.state == .draft
                    ? form(.removeTask, url: "\(base)/actions/remove_task", scope: scope, taskID: task.id) : nil,
                approval: review?.approval, pending: review?.pending, threads: review?.threads ?? [],
                hasThreads: review?.hasThreads ?? false, commentForm: review?.commentForm,
                commentsLabel: t.say("project.comments_on", ["title": task.title]))
        }
        // The project's own actions; `allowed.project` also names task actions open on some task (the API's
        // summary), whose forms are on their tasks.
        let projectForms = allowed.project.filter {
            ActionForms.isOffered($0) && WorkflowDefinition.spec($0).scope == .project
        }.map {
            form($0, url: "\(base)/actions/\($0.rawValue)", scope: "project")
        }
        let currency = project.strategy.budget.currency
        let outcome = isBrand ? project.outcome : nil
        let kpis = project.strategy.kpis.map { k in
            let result = outcome?.kpis.first { $0.key == k.key }
            let recorded = isBrand ? project.kpiResults.actuals[k.key] : nil
            return KPIView(
                name: k.name, target: t.number(k.target), comparator: t.say("comparator.\(k.comparator.rawValue)"),
                unit: k.unit, actual: (result?.actual ?? recorded).map { t.number($0) }, met: result?.met,
                metClass: result.map { $0.met ? "met" : "missed" },
                metText: result.map { t.say($0.met ? "project.met" : "project.missed") })
        }
        // The brand's picks for add_task and reassign: agencies it has worked with.
        let agencies =
            isBrand && !projectForms.isEmpty || isBrand && tasks.contains(where: { !$0.forms.isEmpty })
            ? try await roster.activeAgencies(brandID: p.organization.id).map {
                Option(value: $0.id.lowercased, label: $0.name, selected: false)
            } : []
        // Bounded like every read; a project past a thousand transitions shows its first thousand (the API pages on).
        let history = try await projects.history(
            projectID: project.id, recipient: isBrand ? nil : p.organization.id, limit: 1_000)
        let actorNames = try await organizations.names(ids: history.compactMap(\.actorOrganizationID))
        let timeline = history.reversed().map { h in
            HistoryView(
                when: t.date(h.occurredAt, in: zone), what: t.say("event.\(h.action)"),
                change: h.fromState.map { "\(t.state($0)) → \(t.state(h.toState))" } ?? t.state(h.toState),
                who: t.say(
                    "project.by",
                    [
                        "who": [h.actorName, h.actorOrganizationID.flatMap { actorNames[$0] }].compactMap { $0 }
                            .joined(separator: " · ").nonEmpty ?? t.say("party.\(h.actorSide)")
                    ]))
        }
        let view = ProjectView(
            chrome: Chrome(session, title: project.title, section: "projects"), id: project.id.lowercased,
            title: project.title, state: project.state.rawValue, stateLabel: t.state(project.state.rawValue),
            version: project.version, notice: notice, isBrand: isBrand, objectives: project.strategy.objectives,
            audience: project.strategy.audience, channels: project.strategy.channels.joined(separator: ", "),
            budget: t.money(project.strategy.budget.amountMinor, currency),
            dueDate: project.strategy.dueDate.flatMap { Self.day($0) }.map { t.dayText($0) }
                ?? project.strategy.dueDate,
            kpis: kpis, tasks: tasks, hasTasks: !tasks.isEmpty, forms: projectForms,
            hasForms: !projectForms.isEmpty || allowed.project.contains(.updateStrategy),
            strategyHref: allowed.project.contains(.updateStrategy) ? "\(base)/strategy" : nil,
            agencies: agencies, history: Array(timeline), closed: project.state == .closed,
            roi: outcome?.roi.map { t.percent($0) },
            spend: isBrand ? t.money(project.kpiResults.spendMinor, currency).nilIfEmpty : nil,
            revenue: isBrand ? t.money(project.kpiResults.revenueMinor, currency).nilIfEmpty : nil,
            allMet: outcome?.allMet ?? false,
            chart: outcome.map { BarChart.kpis($0, strategy: project.strategy, t: t) },
            cancelReason: project.cancelReason)
        return templates.page(.project, view, status: status)
    }

    /// A strategy's `due_date` (`2031-06-30`) as a day.
    static func day(_ text: String) -> DateComponents? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return DateComponents(year: parts[0], month: parts[1], day: parts[2])
    }

    /// Why a form was refused, in the page's language: English shows the API's sentence; French names the fields
    /// to check (their labels), as the API's sentences are English.
    func refusal(_ action: Action, _ e: InputError, fields: [String: String], _ t: Catalogue) -> String {
        let detail: String
        if t.language == .en {
            detail = e.problem.detail
        } else {
            let named = e.problem.fieldErrors.map { f in
                let base = String(f.field.prefix { $0 != "[" && $0 != "." }).replacingOccurrences(
                    of: "_minor", with: "")
                return fields[f.field] ?? fields[base] ?? f.field
            }
            detail =
                named.isEmpty
                ? t.say("error.message.validation_failed")
                : t.say("project.check_fields", ["fields": Array(Set(named)).sorted().joined(separator: ", ")])
        }
        return t.say("project.refused", ["action": t.action(action), "detail": detail])
    }

    /// `POST …/actions/{action}`: the form becomes the action's JSON body, and the action runs through
    /// `ProjectStore.perform` (lock, guard, state, history, event, outbox) under the page's version (`If-Match`)
    /// and the form's key (idempotency). Then 303 to the project; a refusal renders the project with it.
    func act(
        _ request: Request, _ context: BriefdContext, _ session: ConsoleSession, _ form: Form, task: Bool
    ) async throws -> Response {
        let p = session.principal
        let projectID = try pathID(context, "id")
        let taskID = task ? try pathID(context, "task_id") : nil
        let name = context.parameters.get("action") ?? ""
        guard let action = Action(rawValue: name), WorkflowDefinition.spec(action).requestable,
            WorkflowDefinition.spec(action).scope == (task ? .task : .project)
        else { throw ConsoleError.notFound("error.no_action") }
        guard let project = try await projects.find(id: projectID, for: p.actor) else {
            throw ConsoleError.notFound("error.no_project")
        }
        let version = form["version"].flatMap { Int($0) }
        let t = session.t
        let labels = Dictionary(
            ActionForms.fields(action, project: project, t: t).map { ($0.name, $0.label) },
            uniquingKeysWith: { a, _ in a })
        do {
            let body: JSONValue
            do { body = try ActionForms.body(action, form: form, project: project, t: t) } catch {
                return try await projectPage(
                    session, id: projectID,
                    notice: t.say(
                        "project.refused",
                        [
                            "action": t.action(action),
                            "detail": "\(labels[error.field] ?? error.field) \(error.message)",
                        ]),
                    status: .unprocessableContent)
            }
            let input = try ActionInput.parse(action, body: body.serialized())
            let page =
                "/console/projects/\(projectID.lowercased)?done=\(action.rawValue)"
                + (taskID.map { "#task-\($0.lowercased)" } ?? "")
            let location = try await once(session, form: form, request: request) { claim in
                _ = try await projects.perform(
                    projectID: projectID, action: action, taskID: taskID, input: input, actor: p.actor,
                    ifMatch: version, idempotency: claim, respond: { _ in Self.redirect(to: page) })
                return page
            }
            return HTML.seeOther(location)
        } catch let e as InputError {
            return try await projectPage(
                session, id: projectID, notice: refusal(action, e, fields: labels, t),
                status: HTTPResponse.Status(code: e.problem.status))
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
