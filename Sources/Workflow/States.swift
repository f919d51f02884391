import Foundation

/// The phase a project is in. `closed` and `cancelled` are terminal.
public enum ProjectState: String, Sendable, CaseIterable, Codable, Hashable {
    case strategy
    case brief
    case delivery
    case kpiReview = "kpi_review"
    case closed
    case cancelled

    /// Whether no action can leave this state.
    public var isTerminal: Bool { self == .closed || self == .cancelled }
}

/// The phase one execution task is in.
public enum TaskState: String, Sendable, CaseIterable, Codable, Hashable {
    case draft
    case issued
    case accepted
    case declined
    case delivered
    case changesRequested = "changes_requested"
    case approved

    /// Whether the task's agency sees it: a draft is the brand's own until the brief is issued. The one definition;
    /// the SQL that selects an agency's tasks is generated from it (`DomainSQL`).
    public var isVisibleToAgency: Bool { self != .draft }
}

/// Which party acts. `system` is the engine itself (automatic transitions).
public enum Side: String, Sendable, CaseIterable, Codable, Hashable {
    case brand
    case agency
    case system
}

/// The kind of an organization: the side it plays.
public enum OrganizationKind: String, Sendable, CaseIterable, Codable, Hashable {
    case brand
    case agency

    /// The side this kind of organization acts on.
    public var side: Side { self == .brand ? .brand : .agency }
}

/// What an API key may do within its organization.
public enum Role: String, Sendable, CaseIterable, Codable, Hashable {
    /// Manages keys and webhook endpoints, and may do what a manager does.
    case admin
    /// Performs workflow actions for its side.
    case manager
    /// Reads only.
    case viewer

    /// Whether this role may perform workflow actions.
    public var mayAct: Bool { self != .viewer }
}

/// Who performs an action: an organization acting through one API key.
public struct Actor: Sendable, Hashable {
    public var organizationID: UUID
    public var kind: OrganizationKind
    public var role: Role
    public var apiKeyID: UUID?

    public init(organizationID: UUID, kind: OrganizationKind, role: Role, apiKeyID: UUID? = nil) {
        self.organizationID = organizationID
        self.kind = kind
        self.role = role
        self.apiKeyID = apiKeyID
    }

    public var side: Side { kind.side }
}
