/// A refusal as every caller sees it. The API's problem+json and the console's error page both render this value and
/// nothing else: a code's HTTP status and title are decided once, in ``Problem/Code``, and each domain error says once
/// which problem it is (``ProblemConvertible``).
public struct Problem: Error, Sendable, Equatable {
    /// The stable codes of the contract (docs/contract.md), each with the one status it answers.
    public enum Code: String, Sendable, CaseIterable {
        case malformedRequest = "malformed_request"
        case unauthenticated
        case forbidden
        case notFound = "not_found"
        case methodNotAllowed = "method_not_allowed"
        case invalidTransition = "invalid_transition"
        case idempotencyInProgress = "idempotency_in_progress"
        case idempotencyReplayUnavailable = "idempotency_replay_unavailable"
        case versionMismatch = "version_mismatch"
        case payloadTooLarge = "payload_too_large"
        case validationFailed = "validation_failed"
        case guardFailed = "guard_failed"
        case idempotencyKeyReused = "idempotency_key_reused"
        case limitReached = "limit_reached"
        case rateLimited = "rate_limited"
        case busy
        case internalError = "internal_error"
        case unavailable
        case agencyNotOnRoster = "agency_not_on_roster"
        case organizationRequired = "organization_required"
        case lastAdmin = "last_admin"
        case openTasks = "open_tasks"
        case conflict
        case gone

        /// The HTTP status of every problem with this code.
        public var status: Int {
            switch self {
            case .malformedRequest: 400
            case .unauthenticated: 401
            case .forbidden: 403
            case .notFound: 404
            case .methodNotAllowed: 405
            case .invalidTransition, .idempotencyInProgress, .idempotencyReplayUnavailable, .lastAdmin, .openTasks,
                .conflict:
                409
            case .gone: 410
            case .versionMismatch: 412
            case .payloadTooLarge: 413
            case .validationFailed, .guardFailed, .idempotencyKeyReused, .limitReached, .agencyNotOnRoster,
                .organizationRequired:
                422
            case .rateLimited, .busy: 429
            case .internalError: 500
            case .unavailable: 503
            }
        }

        /// problem+json's `title`.
        public var title: String {
            switch self {
            case .malformedRequest: "Malformed request"
            case .unauthenticated: "Unauthenticated"
            case .forbidden: "Forbidden"
            case .notFound: "Not found"
            case .methodNotAllowed: "Method not allowed"
            case .invalidTransition: "Invalid transition"
            case .idempotencyInProgress: "Idempotency key in use"
            case .idempotencyReplayUnavailable: "Idempotent replay unavailable"
            case .versionMismatch: "Version mismatch"
            case .payloadTooLarge: "Payload too large"
            case .validationFailed: "Validation failed"
            case .guardFailed: "Guard failed"
            case .idempotencyKeyReused: "Idempotency key reused"
            case .limitReached: "Limit reached"
            case .rateLimited: "Rate limited"
            case .busy: "Busy"
            case .internalError: "Internal error"
            case .unavailable: "Unavailable"
            case .agencyNotOnRoster: "Agency not on roster"
            case .organizationRequired: "Organization required"
            case .lastAdmin: "Last admin"
            case .openTasks: "Open tasks"
            case .conflict: "Conflict"
            case .gone: "Gone"
            }
        }
    }

    public var code: Code
    /// One sentence for the caller (the API's `detail`).
    public var detail: String
    /// Headers the answer carries (`Retry-After`, `ETag`, `WWW-Authenticate`, `Allow`).
    public var headers: [String: String]
    /// Members of the problem document beside the standard ones (`errors`, `allowed_actions`, `current_version`).
    public var extra: [String: JSONValue]
    /// For `invalid_transition` and `guard_failed`: what the caller may do instead (the console offers them).
    public var allowedActions: [Action]

    /// The HTTP status, from the code.
    public var status: Int { code.status }

    public init(
        _ code: Code, _ detail: String, headers: [String: String] = [:], extra: [String: JSONValue] = [:],
        allowedActions: [Action] = []
    ) {
        self.code = code
        self.detail = detail
        self.headers = headers
        self.extra = extra
        self.allowedActions = allowedActions
    }

    public static func malformed(_ detail: String) -> Problem { Problem(.malformedRequest, detail) }
    public static func notFound(_ detail: String = "no such resource") -> Problem { Problem(.notFound, detail) }
    public static func forbidden(_ detail: String) -> Problem { Problem(.forbidden, detail) }
    public static let unauthenticated = Problem(
        .unauthenticated, "send a valid API key or session token as Authorization: Bearer <token>",
        headers: ["WWW-Authenticate": "Bearer"])

    /// 422 `validation_failed` for the fields listed, each named in `errors`.
    public static func invalid(_ errors: [FieldError]) -> Problem {
        Problem(
            .validationFailed, errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "),
            extra: [
                "errors": .array(errors.map { .object(["field": .string($0.field), "message": .string($0.message)]) })
            ])
    }

    public static func invalid(_ field: String, _ message: String) -> Problem {
        invalid([FieldError(field: field, message: message)])
    }

    /// The field errors of a `validation_failed` problem.
    public var fieldErrors: [FieldError] {
        guard case .array(let items)? = extra["errors"] else { return [] }
        return items.compactMap { item in
            guard case .object(let o) = item, case .string(let field)? = o["field"],
                case .string(let message)? = o["message"]
            else { return nil }
            return FieldError(field: field, message: message)
        }
    }
}

/// A domain error that knows which ``Problem`` it is. Every error a caller can cause conforms; an error that does not
/// is the daemon's own and answers 500 (or 503 when the database is away).
public protocol ProblemConvertible: Error {
    var problem: Problem { get }
}

extension Problem: ProblemConvertible {
    public var problem: Problem { self }
}

extension Refusal: ProblemConvertible {
    public var problem: Problem {
        switch code {
        case .notFound: return .notFound(message)
        case .forbidden: return .forbidden(message)
        case .guardFailed: return Problem(.guardFailed, message, allowedActions: allowedActions)
        case .agencyNotOnRoster: return Problem(.agencyNotOnRoster, message)
        case .invalidTransition:
            var extra: [String: JSONValue] = [
                "state": .optional(state?.rawValue),
                "allowed_actions": .array(allowedActions.map { .string($0.rawValue) }),
            ]
            if let taskState { extra["task_state"] = .string(taskState.rawValue) }
            return Problem(.invalidTransition, message, extra: extra, allowedActions: allowedActions)
        }
    }
}

extension InputError: ProblemConvertible {
    public var problem: Problem {
        switch self {
        case .malformed(let detail): .malformed(detail)
        case .invalid(let errors): .invalid(errors)
        }
    }
}
