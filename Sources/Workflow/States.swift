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

    /// Whether the task still holds its agency to the brand (in a live project): a brand cannot end a relationship
    /// while one does (409 `open_tasks`). A declined task waits for another agency; an approved one is done.
    public var holdsAgency: Bool { self != .declined && self != .approved }
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

    /// viewer < manager < admin: a personal key's role is at most its owner's.
    public var rank: Int {
        switch self {
        case .viewer: 0
        case .manager: 1
        case .admin: 2
        }
    }
}

/// Who performs an action: an organization acting through one API key, or one of its people (a membership).
public struct Actor: Sendable, Hashable {
    public var organizationID: UUID
    public var kind: OrganizationKind
    public var role: Role
    /// The key acting; nil for a person or the engine.
    public var apiKeyID: UUID?
    /// The person acting (their user id); nil for a key or the engine.
    public var userID: UUID?
    /// The person's or the key's name, as history and events record it.
    public var name: String?

    public init(
        organizationID: UUID, kind: OrganizationKind, role: Role, apiKeyID: UUID? = nil, userID: UUID? = nil,
        name: String? = nil
    ) {
        self.organizationID = organizationID
        self.kind = kind
        self.role = role
        self.apiKeyID = apiKeyID
        self.userID = userID
        self.name = name
    }

    /// Who decides, for approvals and comments: the person, else the key. Both are briefd's own UUIDv7 ids, so one
    /// column holds either (migration 0017); approvers name people or keys alike.
    public var identity: UUID? { userID ?? apiKeyID }

    /// `user`, `api_key` or `system` (the engine's own transitions).
    public var identityKind: String { userID != nil ? "user" : apiKeyID != nil ? "api_key" : "system" }

    public var side: Side { kind.side }
}
