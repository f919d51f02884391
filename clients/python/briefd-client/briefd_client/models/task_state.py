from enum import StrEnum

class TaskState(StrEnum):
    ACCEPTED = "accepted"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    DECLINED = "declined"
    DELIVERED = "delivered"
    DRAFT = "draft"
    ISSUED = "issued"

    def __str__(self) -> str:
        return str(self.value)
