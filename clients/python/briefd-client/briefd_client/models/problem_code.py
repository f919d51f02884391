from enum import StrEnum

class ProblemCode(StrEnum):
    AGENCY_NOT_ON_ROSTER = "agency_not_on_roster"
    BUSY = "busy"
    CONFLICT = "conflict"
    FORBIDDEN = "forbidden"
    GONE = "gone"
    GUARD_FAILED = "guard_failed"
    IDEMPOTENCY_IN_PROGRESS = "idempotency_in_progress"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    IDEMPOTENCY_REPLAY_UNAVAILABLE = "idempotency_replay_unavailable"
    INTERNAL_ERROR = "internal_error"
    INVALID_TRANSITION = "invalid_transition"
    LAST_ADMIN = "last_admin"
    LIMIT_REACHED = "limit_reached"
    MALFORMED_REQUEST = "malformed_request"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_FOUND = "not_found"
    OPEN_TASKS = "open_tasks"
    ORGANIZATION_REQUIRED = "organization_required"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    RATE_LIMITED = "rate_limited"
    UNAUTHENTICATED = "unauthenticated"
    UNAVAILABLE = "unavailable"
    VALIDATION_FAILED = "validation_failed"
    VERSION_MISMATCH = "version_mismatch"

    def __str__(self) -> str:
        return str(self.value)
