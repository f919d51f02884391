import Foundation
import Workflow

/// The form of each action: its button, the inputs it needs, and how the submitted fields become the action's
/// JSON body, which `ActionInput.parse` then checks exactly as it checks an API call's.
enum ActionForms {
    /// One input of an action's form.
    struct Field {
        enum Kind: String {
            case text, textarea, lines, number, money, date, agency
        }
        var name: String
        var label: String
        var kind: Kind
        var required: Bool = true
        var hint: String = ""
        /// For `number` fields of KPI results: the KPI's key.
        var isText: Bool { kind == .text || kind == .money || kind == .number }
        var isTextarea: Bool { kind == .textarea || kind == .lines }
        var isDate: Bool { kind == .date }
        var isAgency: Bool { kind == .agency }
    }

    /// Actions with a form of their own elsewhere on the page (comments have the task's thread), or that no person
    /// posts from a button.
    static func isOffered(_ action: Action) -> Bool {
        WorkflowDefinition.spec(action).requestable
            && ![.create, .updateStrategy, .removeTask, .comment, .resolveComment, .setApproval].contains(action)
    }

    /// Destructive or final steps get the quiet style, so the main step stands out.
    static func isSecondary(_ action: Action) -> Bool {
        [.cancel, .withdrawBrief, .decline, .requestChanges, .remind, .setDueDate, .reassign].contains(action)
    }

    /// The inputs of `action` on `project`, labelled in `t`'s language.
    static func fields(_ action: Action, project: ProjectRecord, t: Catalogue) -> [Field] {
        let currency = ["currency": project.strategy.budget.currency]
        switch action {
        case .decline: return [Field(name: "reason", label: t.say("field.decline_reason"), kind: .textarea)]
        case .cancel: return [Field(name: "reason", label: t.say("field.cancel_reason"), kind: .textarea)]
        case .reassign: return [Field(name: "agency_id", label: t.say("field.agency"), kind: .agency)]
        case .submitDelivery:
            return [
                Field(name: "summary", label: t.say("field.summary"), kind: .textarea),
                Field(name: "links", label: t.say("field.links"), kind: .lines, hint: "https://…"),
            ]
        case .requestChanges: return [Field(name: "note", label: t.say("field.note"), kind: .textarea)]
        case .setDueDate: return [Field(name: "due_date", label: t.say("field.due_date"), kind: .date)]
        case .addTask:
            return [
                Field(name: "agency_id", label: t.say("field.agency"), kind: .agency),
                Field(name: "title", label: t.say("field.task"), kind: .text),
                Field(name: "description", label: t.say("field.description"), kind: .textarea, required: false),
                Field(name: "due_date", label: t.say("field.due_date"), kind: .date, required: false),
                Field(name: "fee", label: t.say("field.fee", currency), kind: .money, required: false),
            ]
        case .recordKPIResults:
            return project.strategy.kpis.map {
                Field(
                    name: "results.\($0.key)",
                    label: t.say(
                        "field.kpi_result",
                        [
                            "name": $0.name, "comparator": t.say("comparator.\($0.comparator.rawValue)"),
                            "target": t.number($0.target), "unit": $0.unit,
                        ]
                    ).trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " )", with: ")"), kind: .number)
            } + [
                Field(name: "spend", label: t.say("field.spend", currency), kind: .money, required: false),
                Field(name: "revenue", label: t.say("field.revenue", currency), kind: .money, required: false),
            ]
        default: return []
        }
    }

    /// A form field the console could not turn into the action's value (a number that is not one).
    struct FieldProblem: Error {
        var field: String
        var message: String
    }

    /// The action's JSON body from the submitted form. Only conversions happen here (text to number, lines to a
    /// list, major to minor units); every rule is `ActionInput.parse`'s.
    static func body(_ action: Action, form: Form, project: ProjectRecord, t: Catalogue) throws(FieldProblem)
        -> JSONValue
    {
        var o: [String: JSONValue] = [:]
        let currency = project.strategy.budget.currency
        func money(_ name: String, as key: String) throws(FieldProblem) {
            guard let text = form.text(name) else { return }
            guard let minor = Currency.parseMajor(t.decimalInput(text), currency) else {
                throw FieldProblem(
                    field: name,
                    message: t.say("field.bad_amount", ["digits": String(Currency.minorDigits(currency))]))
            }
            o[key] = .number(Double(minor))
        }
        switch action {
        case .decline, .cancel: o["reason"] = form.text("reason").map(JSONValue.string) ?? .null
        case .reassign: o["agency_id"] = form.text("agency_id").map(JSONValue.string) ?? .null
        case .submitDelivery:
            o["summary"] = form.text("summary").map(JSONValue.string) ?? .null
            o["links"] = .array(form.lines("links").map(JSONValue.string))
        case .requestChanges: o["note"] = form.text("note").map(JSONValue.string) ?? .null
        case .setDueDate: o["due_date"] = form.text("due_date").map(JSONValue.string) ?? .null
        case .removeTask: o["task_id"] = form.text("task_id").map(JSONValue.string) ?? .null
        case .addTask:
            o["agency_id"] = form.text("agency_id").map(JSONValue.string) ?? .null
            o["title"] = form.text("title").map(JSONValue.string) ?? .null
            o["description"] = .string(form.text("description") ?? "")
            if let due = form.text("due_date") { o["due_date"] = .string(due) }
            try money("fee", as: "fee_minor")
            if o["fee_minor"] != nil { o["currency"] = .string(currency) }
        case .recordKPIResults:
            var results: [String: JSONValue] = [:]
            for kpi in project.strategy.kpis {
                guard let text = form.text("results.\(kpi.key)") else { continue }
                guard let n = Double(t.decimalInput(text)), n.isFinite else {
                    throw FieldProblem(field: "results.\(kpi.key)", message: t.say("field.bad_number"))
                }
                results[kpi.key] = .number(n)
            }
            o["results"] = .object(results)
            try money("spend", as: "spend_minor")
            try money("revenue", as: "revenue_minor")
        default: break
        }
        return .object(o)
    }
}
