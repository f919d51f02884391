from enum import StrEnum

class ApprovalDecisionDecision(StrEnum):
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"

    def __str__(self) -> str:
        return str(self.value)
