import Workflow

/// SQL conditions generated from the machine's own definitions, so each rule is decided once, in Swift, and the
/// statements that filter by it cannot drift from it. `DomainSQLTests` checks them against the database's indexes.
enum DomainSQL {
    /// A task row its agency may see (`TaskState.isVisibleToAgency`), for the table alias `alias` (none for the
    /// bare table). `tasks_agency`'s predicate (migration 0001) is this very condition, so the planner uses it.
    static func agencySeesTask(_ alias: String? = nil) -> String {
        let column = alias.map { "\($0).state" } ?? "state"
        let hidden = TaskState.allCases.filter { !$0.isVisibleToAgency }
        return hidden.count == 1
            ? "\(column) <> '\(hidden[0].rawValue)'" : "\(column) NOT IN \(list(hidden.map(\.rawValue)))"
    }

    /// A task that holds its agency (`TaskState.holdsAgency`), for the table alias `alias`.
    static func taskHoldsAgency(_ alias: String) -> String {
        "\(alias).state IN \(list(TaskState.allCases.filter(\.holdsAgency).map(\.rawValue)))"
    }

    /// The terminal project states (`ProjectState.isTerminal`) as an SQL list: `('closed', 'cancelled')`.
    static let terminalStates = list(ProjectState.allCases.filter(\.isTerminal).map(\.rawValue))

    /// `('a', 'b')`: raw values of our own enums (letters and `_`), never input, so no quoting is needed.
    static func list(_ values: [String]) -> String {
        "(" + values.map { "'\($0)'" }.joined(separator: ", ") + ")"
    }
}
