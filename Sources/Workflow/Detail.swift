import Foundation

/// The keys of a transition's details (its history row's `data`, its event's `details`): one list, so a key is
/// spelt once and what only the brand reads (`WorkflowDefinition.brandOnlyDetails`) names a key that exists.
public enum Detail: String, Sendable, CaseIterable, Hashable {
    case agencyID = "agency_id"
    case allMet = "all_met"
    case apiKeyID = "api_key_id"
    case approval
    case comment
    case deadline
    case decision
    case decisions
    case dueAt = "due_at"
    case links
    case note
    case pending
    case previousAgencyID = "previous_agency_id"
    case previousApproval = "previous_approval"
    case previousDueAt = "previous_due_at"
    case reason
    case results
    case revenueMinor = "revenue_minor"
    case roi
    case round
    case spendMinor = "spend_minor"
    case summary
    case taskID = "task_id"
    case title
    case to
    case waitingOn = "waiting_on"
    case waitingSince = "waiting_since"

    /// Details keyed by their API names.
    public static func strings(_ details: Details) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        out.reserveCapacity(details.count)
        for (key, value) in details { out[key.rawValue] = value }
        return out
    }
}

/// A transition's details, typed.
public typealias Details = [Detail: JSONValue]
