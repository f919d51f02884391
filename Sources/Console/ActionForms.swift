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

    /// What a person reads on the button.
    static func label(_ action: Action) -> String {
        switch action {
        case .create: "Create the project"
        case .updateStrategy: "Update the strategy"
        case .addTask: "Add the task"
        case .removeTask: "Remove"
        case .issueBrief: "Issue the brief"
        case .withdrawBrief: "Withdraw the brief"
        case .accept: "Accept"
        case .decline: "Decline"
        case .reassign: "Reassign"
        case .startDelivery: "Start delivery"
        case .submitDelivery: "Submit the delivery"
        case .approve: "Approve"
        case .requestChanges: "Request changes"
        case .startKPIReview: "Start the KPI review"
        case .recordKPIResults: "Record the results"
        case .close: "Close the project"
        case .cancel: "Cancel the project"
        case .remind: "Send a reminder"
        case .setDueDate: "Set the due date"
        case .comment: "Comment"
        case .resolveComment: "Resolve"
        case .setApproval: "Set the approvers"
        case .responseOverdue, .dueSoon, .overdue, .escalate, .reviewOverdue, .recordDecision: action.rawValue
        }
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

    /// The inputs of `action` on `project`.
    static func fields(_ action: Action, project: ProjectRecord) -> [Field] {
        switch action {
        case .decline: [Field(name: "reason", label: "Why you decline", kind: .textarea)]
        case .cancel: [Field(name: "reason", label: "Why the project is cancelled", kind: .textarea)]
        case .reassign: [Field(name: "agency_id", label: "Agency", kind: .agency)]
        case .submitDelivery:
            [
                Field(name: "summary", label: "What you deliver", kind: .textarea),
                Field(name: "links", label: "Links, one per line", kind: .lines, hint: "https://…"),
            ]
        case .requestChanges: [Field(name: "note", label: "What to change", kind: .textarea)]
        case .setDueDate: [Field(name: "due_date", label: "Due date", kind: .date)]
        case .addTask:
            [
                Field(name: "agency_id", label: "Agency", kind: .agency),
                Field(name: "title", label: "Task", kind: .text),
                Field(name: "description", label: "Description", kind: .textarea, required: false),
                Field(name: "due_date", label: "Due date", kind: .date, required: false),
                Field(
                    name: "fee", label: "Fee (in \(project.strategy.budget.currency))", kind: .money, required: false),
            ]
        case .recordKPIResults:
            project.strategy.kpis.map {
                Field(
                    name: "results.\($0.key)",
                    label: "\($0.name) (target \($0.comparator.rawValue) "
                        + "\(Format.number($0.target)) \($0.unit))", kind: .number)
            } + [
                Field(
                    name: "spend", label: "Spend (in \(project.strategy.budget.currency))", kind: .money,
                    required: false),
                Field(
                    name: "revenue", label: "Revenue (in \(project.strategy.budget.currency))", kind: .money,
                    required: false),
            ]
        default: []
        }
    }

    /// A form field the console could not turn into the action's value (a number that is not one).
    struct FieldProblem: Error {
        var field: String
        var message: String
    }

    /// The action's JSON body from the submitted form. Only conversions happen here (text to number, lines to a
    /// list, major to minor units); every rule is `ActionInput.parse`'s.
    static func body(_ action: Action, form: Form, project: ProjectRecord) throws(FieldProblem) -> JSONValue {
        var o: [String: JSONValue] = [:]
        let currency = project.strategy.budget.currency
        func money(_ name: String, as key: String) throws(FieldProblem) {
            guard let text = form.text(name) else { return }
            guard let minor = Currency.parseMajor(text, currency) else {
                throw FieldProblem(
                    field: name,
                    message: "must be an amount such as 1250 or 1250.50 (at most \(Currency.minorDigits(currency)) "
                        + "digits after the point)")
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
                guard let n = Double(text.replacingOccurrences(of: ",", with: "")), n.isFinite else {
                    throw FieldProblem(field: "results.\(kpi.key)", message: "must be a number")
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
