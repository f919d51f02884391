import Foundation
import HTTPTypes
import Hummingbird
import Storage
import Workflow

extension Console {
    /// A choice of a `<select>`.
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    /// One row of the KPI editor.
    struct KPIRow {
        var index: Int
        var key: String
        var name: String
        var target: String
        var unit: String
        var comparators: [Option]
        /// "Remove “Sign-ups”", or "Remove KPI 2" while it has no name: people count from one.
        var removeLabel: String = ""
        var keyError: String?
        var nameError: String?
        var targetError: String?
        var unitError: String?
    }

    /// The new-project form as the person filled it, with the errors next to their fields.
    struct StrategyForm {
        var chrome: Chrome
        var formKey: String
        /// Where the form posts: a new project, or a project's strategy.
        var action = "/console/projects"
        var heading = ""
        var submitLabel = ""
        /// Editing a project's strategy: the title stays, the version guards against a concurrent change.
        var editing = false
        var version = 0
        var cancelHref = "/console/projects"
        var title = ""
        var objectives = ""
        var audience = ""
        var channels = ""
        var budget = ""
        var currency = "EUR"
        var dueDate = ""
        // Stored, not computed: templates read properties through `Mirror`, which sees only stored ones.
        var kpis: [KPIRow] = [] { didSet { kpiCount = kpis.count } }
        var kpiCount = 0
        var errors: [String] = [] { didSet { hasErrors = !errors.isEmpty } }
        var hasErrors = false
        var titleError: String?
        var objectivesError: String?
        var audienceError: String?
        var channelsError: String?
        var budgetError: String?
        var currencyError: String?
        var dueDateError: String?
        var kpisError: String?
    }

    static func comparators(_ selected: String, _ t: Catalogue) -> [Option] {
        ["gte", "lte"].map { Option(value: $0, label: t.say("comparator.\($0)"), selected: $0 == selected) }
    }

    /// `GET /console/projects/new` (or, given `project`, `GET /console/projects/{id}/strategy`), and the same
    /// form again after an edit of its KPI rows or a refusal.
    func newProjectPage(
        _ session: ConsoleSession, form: Form?, errors original: [String: String], status: HTTPResponse.Status = .ok,
        project: ProjectRecord? = nil
    ) throws -> Response {
        try Self.brandWriter(session.principal)
        let t = session.t
        var v = StrategyForm(
            chrome: Chrome(session, title: t.say("projects.new"), section: "projects"), formKey: newFormKey())
        v.heading = t.say("projects.new")
        v.submitLabel = t.action(.create)
        if let project {
            let base = "/console/projects/\(project.id.lowercased)"
            v.chrome.title = t.say("strategy.of", ["title": project.title])
            v.action = "\(base)/strategy"
            v.heading = v.chrome.title
            v.submitLabel = t.say("strategy.save")
            v.editing = true
            v.version = Int(form?["version"] ?? "") ?? project.version
            v.cancelHref = base
            v.title = project.title
        }
        if let form {
            v.title = form["title"] ?? ""
            v.objectives = form["objectives"] ?? ""
            v.audience = form["audience"] ?? ""
            v.channels = form["channels"] ?? ""
            v.budget = form["budget"] ?? ""
            v.currency = form["currency"] ?? "EUR"
            v.dueDate = form["due_date"] ?? ""
            v.kpis = Self.kpiRows(form, t)
            if let project { v.title = project.title }
        } else if let strategy = project?.strategy {
            v.objectives = strategy.objectives.joined(separator: "\n")
            v.audience = strategy.audience
            v.channels = strategy.channels.joined(separator: "\n")
            v.budget = t.editableAmount(strategy.budget.amountMinor, strategy.budget.currency)
            v.currency = strategy.budget.currency
            v.dueDate = strategy.dueDate ?? ""
            v.kpis = strategy.kpis.enumerated().map { i, k in
                KPIRow(
                    index: i, key: k.key, name: k.name, target: t.editableNumber(k.target), unit: k.unit,
                    comparators: Self.comparators(k.comparator.rawValue, t))
            }
        } else {
            v.kpis = [
                KPIRow(index: 0, key: "", name: "", target: "", unit: "", comparators: Self.comparators("gte", t))
            ]
        }
        for i in v.kpis.indices {
            let name = v.kpis[i].name.trimmingCharacters(in: .whitespaces)
            v.kpis[i].removeLabel =
                name.isEmpty
                ? t.say("strategy.remove_kpi_n", ["n": String(i + 1)]) : t.say("strategy.remove_kpi", ["name": name])
        }
        // The API's sentences are for integrators: the page says what each field needs in its own words.
        let errors = original.reduce(into: [String: String]()) { out, e in
            if Self.localKeys.contains(e.value) {
                out[e.key] = t.say(e.value)
            } else {
                out[e.key] = t.say(Self.hint(e.key))
            }
        }
        for (field, message) in errors {
            switch field {
            case "title": v.titleError = message
            case "objectives": v.objectivesError = message
            case "audience": v.audienceError = message
            case "channels": v.channelsError = message
            case "budget": v.budgetError = message
            case "currency": v.currencyError = message
            case "due_date": v.dueDateError = message
            case "kpis": v.kpisError = message
            default:
                // kpis.<i>.<name>
                let parts = field.split(separator: ".")
                if parts.count == 3, parts[0] == "kpis", let i = Int(parts[1]), v.kpis.indices.contains(i) {
                    switch parts[2] {
                    case "key": v.kpis[i].keyError = message
                    case "name": v.kpis[i].nameError = message
                    case "target": v.kpis[i].targetError = message
                    case "unit": v.kpis[i].unitError = message
                    default: v.kpis[i].nameError = message
                    }
                }
            }
        }
        v.errors = errors.keys.sorted().map { "\(Self.fieldLabel($0, t)): \(errors[$0] ?? "")" }
        return templates.page(.newProject, v, status: status)
    }

    /// The console's own messages (keys), as opposed to the API's sentences.
    static let localKeys: Set<String> = ["strategy.bad_budget", "field.bad_number"]

    /// What the page says a refused field needs, in the page's language: the API's own sentences are written for
    /// integrators, in English (docs/decisions.md).
    static func hint(_ field: String) -> String {
        let parts = field.split(separator: ".")
        if parts.count == 3, parts[0] == "kpis" { return "strategy.invalid.kpi_\(parts[2])" }
        switch field {
        case "title", "objectives", "audience", "channels", "budget", "currency", "due_date", "kpis":
            return "strategy.invalid.\(field)"
        default: return "error.message.validation_failed"
        }
    }

    static func fieldLabel(_ field: String, _ t: Catalogue) -> String {
        let parts = field.split(separator: ".")
        if parts.count == 3, parts[0] == "kpis", let i = Int(parts[1]) {
            return t.say("strategy.kpi_field", ["n": String(i + 1), "field": t.say("strategy.\(parts[2])")])
        }
        switch field {
        case "title": return t.say("strategy.title")
        case "objectives": return t.say("project.objectives")
        case "audience": return t.say("project.audience")
        case "channels": return t.say("project.channels")
        case "budget": return t.say("project.budget")
        case "currency": return t.say("strategy.currency")
        case "due_date": return t.say("field.due_date")
        case "kpis": return t.say("project.kpis")
        default: return field
        }
    }

    /// The KPI rows of a submitted form, after its `op` (add a row, remove row N).
    static func kpiRows(_ form: Form, _ t: Catalogue) -> [KPIRow] {
        // A count from the form: never below zero (a range `0..<-1` traps) nor above the list limit.
        let count = max(0, min(Int(form["kpi_rows"] ?? "") ?? 0, Limits.listItems))
        var rows = (0..<count).map { i in
            KPIRow(
                index: i, key: form["kpis.\(i).key"] ?? "", name: form["kpis.\(i).name"] ?? "",
                target: form["kpis.\(i).target"] ?? "", unit: form["kpis.\(i).unit"] ?? "",
                comparators: comparators(form["kpis.\(i).comparator"] ?? "gte", t))
        }
        let op = form["op"] ?? ""
        if op == "add_kpi", rows.count < Limits.listItems {
            rows.append(
                KPIRow(index: rows.count, key: "", name: "", target: "", unit: "", comparators: comparators("gte", t)))
        } else if op.hasPrefix("remove_kpi:"), let i = Int(op.dropFirst("remove_kpi:".count)), rows.indices.contains(i)
        {
            rows.remove(at: i)
            for j in rows.indices { rows[j].index = j }
        }
        return rows
    }

    /// The strategy of a submitted form as the API's JSON, and the fields the console could not convert.
    static func strategyBody(_ form: Form, _ t: Catalogue) -> (JSONValue, [String: String]) {
        let currency = (form.text("currency") ?? "").uppercased()
        var errors: [String: String] = [:]
        var budget: JSONValue = .null
        if let text = form.text("budget") {
            if let minor = Currency.parseMajor(t.decimalInput(text), Currency.isISO4217(currency) ? currency : "EUR") {
                budget = .number(Double(minor))
            } else {
                errors["budget"] = "strategy.bad_budget"
            }
        }
        var kpis: [JSONValue] = []
        for row in kpiRows(form, t) where !(row.key + row.name + row.target + row.unit).isEmpty {
            var target: JSONValue = .null
            if !row.target.isEmpty {
                if let n = Double(t.decimalInput(row.target)), n.isFinite {
                    target = .number(n)
                } else {
                    errors["kpis.\(row.index).target"] = "field.bad_number"
                }
            }
            kpis.append(
                .object([
                    "key": .string(row.key.trimmingCharacters(in: .whitespaces)), "name": .string(row.name),
                    "target": target, "unit": .string(row.unit),
                    "comparator": .string(row.comparators.first(where: \.selected)?.value ?? "gte"),
                ]))
        }
        var strategy: [String: JSONValue] = [
            "objectives": .array(form.lines("objectives").map(JSONValue.string)),
            "audience": .string(form.text("audience") ?? ""),
            "channels": .array(form.lines("channels").map(JSONValue.string)),
            "budget": .object(["amount_minor": budget, "currency": .string(currency)]),
            "kpis": .array(kpis),
        ]
        if let due = form.text("due_date") { strategy["due_date"] = .string(due) }
        return (.object(strategy), errors)
    }

    /// `POST /console/projects`: an edit of the KPI rows renders the form again; "create" builds the API's body,
    /// and `ActionInput.parse` and the machine decide, through the same transaction as `POST /v1/projects`.
    func createProject(_ request: Request, _ session: ConsoleSession, _ form: Form) async throws -> Response {
        guard (form["op"] ?? "create") == "create" else { return try newProjectPage(session, form: form, errors: [:]) }
        let p = session.principal
        var (strategy, errors) = Self.strategyBody(form, session.t)
        guard errors.isEmpty else {
            return try newProjectPage(session, form: form, errors: errors, status: .unprocessableContent)
        }
        let body: JSONValue = .object([
            "title": form.text("title").map(JSONValue.string) ?? .null, "strategy": strategy,
        ])
        do {
            try Machine.authorizeCreate(p.actor)
            guard case .create(let title, let strategy) = try ActionInput.parse(.create, body: body.serialized())
            else { throw ConsoleError(.malformedRequest, title: "error.not_accepted", "error.unreadable_form") }
            let page: @Sendable (ProjectRecord) -> String = { project in
                "/console/projects/\(project.id.lowercased)?done=create"
            }
            let location = try await once(session, form: form, request: request) { claim in
                page(
                    try await projects.create(
                        title: title, strategy: strategy, actor: p.actor, idempotency: claim,
                        respond: { Self.redirect(to: page($0)) }))
            }
            return HTML.seeOther(location)
        } catch InputError.invalid(let fieldErrors) {
            for e in fieldErrors { errors[Self.formField(e.field), default: e.message] = e.message }
            return try newProjectPage(session, form: form, errors: errors, status: .unprocessableContent)
        }
    }

    /// `GET /console/projects/{id}/strategy`: the project's strategy in the same form, where `update_strategy` is
    /// allowed now.
    func strategyPage(_ session: ConsoleSession, id: UUID) async throws -> Response {
        guard let project = try await projects.find(id: id, for: session.principal.actor) else {
            throw ConsoleError.notFound("error.no_project")
        }
        return try newProjectPage(session, form: nil, errors: [:], project: project)
    }

    /// `POST /console/projects/{id}/strategy`: `update_strategy` through `ProjectStore.perform`, under the
    /// version the form was opened at.
    func updateStrategy(_ request: Request, _ session: ConsoleSession, _ form: Form, id: UUID) async throws
        -> Response
    {
        let p = session.principal
        guard let project = try await projects.find(id: id, for: p.actor) else {
            throw ConsoleError.notFound("error.no_project")
        }
        guard (form["op"] ?? "save") == "save" else {
            return try newProjectPage(session, form: form, errors: [:], project: project)
        }
        var (strategy, errors) = Self.strategyBody(form, session.t)
        guard errors.isEmpty else {
            return try newProjectPage(
                session, form: form, errors: errors, status: .unprocessableContent, project: project)
        }
        do {
            let input = try ActionInput.parse(
                .updateStrategy, body: JSONValue.object(["strategy": strategy]).serialized())
            let page = "/console/projects/\(id.lowercased)?done=update_strategy"
            let location = try await once(session, form: form, request: request) { claim in
                _ = try await projects.perform(
                    projectID: id, action: .updateStrategy, taskID: nil, input: input, actor: p.actor,
                    ifMatch: form["version"].flatMap { Int($0) }, idempotency: claim,
                    respond: { _ in Self.redirect(to: page) })
                return page
            }
            return HTML.seeOther(location)
        } catch InputError.invalid(let fieldErrors) {
            for e in fieldErrors { errors[Self.formField(e.field), default: e.message] = e.message }
            return try newProjectPage(
                session, form: form, errors: errors, status: .unprocessableContent, project: project)
        }
    }

    /// The form's name of an API field: `strategy.kpis[0].target` is `kpis.0.target`, the budget's amount is
    /// `budget`.
    static func formField(_ apiField: String) -> String {
        var f = apiField
        if f.hasPrefix("strategy.") { f.removeFirst("strategy.".count) }
        switch f {
        case "budget.amount_minor", "budget": return "budget"
        case "budget.currency": return "currency"
        default:
            if f.hasPrefix("kpis[") {
                f = f.replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "")
            }
            if f.hasPrefix("objectives") { return "objectives" }
            if f.hasPrefix("channels") { return "channels" }
            return f
        }
    }
}
