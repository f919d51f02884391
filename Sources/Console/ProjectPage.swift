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
        var round: Int
        var summary: String
        var links: [String]
        var submitted: String
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
    }

    struct KPIView {
        var name: String
        var target: String
        var comparator: String
        var unit: String
        var actual: String?
        var met: Bool?
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
            throw ConsoleError.notFound("There is no such project, or it is not shared with you.")
        }
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
                action: action.rawValue, label: ActionForms.label(action), url: url, formKey: newFormKey(),
                version: project.version,
                fields: ActionForms.fields(action, project: project).map { f in
                    FormInput(
                        id: "\(formID)-\(f.name)", name: f.name, label: f.label, required: f.required, hint: f.hint,
                        isText: f.isText, isTextarea: f.isTextarea, isDate: f.isDate, isAgency: f.isAgency,
                        inputMode: f.kind == .money || f.kind == .number ? "decimal" : "text")
                }, hasFields: !ActionForms.fields(action, project: project).isEmpty,
                secondary: ActionForms.isSecondary(action), id: formID, taskID: taskID?.lowercased)
        }
        let reads = try await reviewReads(visible, of: project, for: p)
        var reviews: [UUID: ReviewView] = [:]
        for t in visible {
            reviews[t.id] = review(t, of: project, for: p, names: names, reads: reads, zone: zone, now: now)
        }
        let tasks = visible.map { t in
            let review = reviews[t.id]
            let actions = (allowed.tasks[t.id] ?? []).filter(ActionForms.isOffered)
            let taskBase = "\(base)/tasks/\(t.id.lowercased)/actions"
            return TaskView(
                id: t.id.lowercased, title: t.title, description: t.description, agency: names[t.agencyID] ?? "",
                state: Format.state(t.state.rawValue), stateClass: t.state.rawValue,
                due: t.dueAt.map { Format.due($0, in: zone) },
                overdue: Deadlines.isOverdue(t, in: project, levels: project.serviceLevels, now: now),
                waitingOn: Deadlines.waitingOn(t, in: project).rawValue,
                fee: t.fee.map { Format.money($0.amountMinor, $0.currency) },
                declineReason: t.declineReason, changeNote: t.changeNote,
                deliveries: t.deliveries.map {
                    DeliveryView(
                        round: $0.round, summary: $0.summary, links: $0.links,
                        submitted: Format.date($0.submittedAt, in: zone), decisions: review?.decisions[$0.round] ?? [],
                        hasDecisions: !(review?.decisions[$0.round] ?? []).isEmpty)
                },
                forms: actions.map { form($0, url: "\(taskBase)/\($0.rawValue)", scope: "task-\(t.id.lowercased)") },
                removeForm: allowed.project.contains(.removeTask) && t.state == .draft
                    ? form(
                        .removeTask, url: "\(base)/actions/remove_task", scope: "task-\(t.id.lowercased)", taskID: t.id)
                    : nil,
                approval: review?.approval, pending: review?.pending, threads: review?.threads ?? [],
                hasThreads: review?.hasThreads ?? false, commentForm: review?.commentForm)
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
                name: k.name, target: Format.number(k.target), comparator: Self.comparatorText(k.comparator),
                unit: k.unit, actual: (result?.actual ?? recorded).map { Format.number($0) }, met: result?.met,
                metText: result.map { $0.met ? "met" : "missed" })
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
                when: Format.date(h.occurredAt, in: zone), what: h.action.replacingOccurrences(of: "_", with: " "),
                change: h.fromState.map { "\(Format.state($0)) → \(Format.state(h.toState))" }
                    ?? Format.state(h.toState),
                who: [h.actorName, h.actorOrganizationID.flatMap { actorNames[$0] }].compactMap { $0 }
                    .joined(separator: " · ").nonEmpty ?? h.actorSide)
        }
        let view = ProjectView(
            chrome: Chrome(session, title: project.title, section: "projects"), id: project.id.lowercased,
            title: project.title, state: project.state.rawValue, stateLabel: Format.state(project.state.rawValue),
            version: project.version, notice: notice, isBrand: isBrand, objectives: project.strategy.objectives,
            audience: project.strategy.audience, channels: project.strategy.channels.joined(separator: ", "),
            budget: Format.money(project.strategy.budget.amountMinor, currency), dueDate: project.strategy.dueDate,
            kpis: kpis, tasks: tasks, hasTasks: !tasks.isEmpty, forms: projectForms,
            hasForms: !projectForms.isEmpty || allowed.project.contains(.updateStrategy),
            strategyHref: allowed.project.contains(.updateStrategy) ? "\(base)/strategy" : nil,
            agencies: agencies, history: Array(timeline), closed: project.state == .closed,
            roi: outcome?.roi.map { Format.percent($0) },
            spend: isBrand ? Format.money(project.kpiResults.spendMinor, currency).nilIfEmpty : nil,
            revenue: isBrand ? Format.money(project.kpiResults.revenueMinor, currency).nilIfEmpty : nil,
            allMet: outcome?.allMet ?? false, chart: outcome.map { BarChart.kpis($0, strategy: project.strategy) },
            cancelReason: project.cancelReason)
        return templates.page(.project, view, status: status)
    }

    static func comparatorText(_ c: Workflow.Comparator) -> String {
        switch c {
        case .gte: "at least"
        case .lte: "at most"
        }
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
        else { throw ConsoleError.notFound("There is no such action.") }
        guard let project = try await projects.find(id: projectID, for: p.actor) else {
            throw ConsoleError.notFound("There is no such project, or it is not shared with you.")
        }
        let version = form["version"].flatMap { Int($0) }
        do {
            let body: JSONValue
            do { body = try ActionForms.body(action, form: form, project: project) } catch {
                throw InputError.invalid([FieldError(field: error.field, message: error.message)])
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
                session, id: projectID, notice: "\(ActionForms.label(action)): not accepted. \(e.problem.detail)",
                status: HTTPResponse.Status(code: e.problem.status))
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
