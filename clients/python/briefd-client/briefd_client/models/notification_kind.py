from enum import StrEnum

class NotificationKind(StrEnum):
    CHANGES_REQUESTED = "changes_requested"
    DELIVERY_DUE = "delivery_due"
    DELIVERY_SUBMITTED = "delivery_submitted"
    DUE_SOON = "due_soon"
    ESCALATED = "escalated"
    MENTION = "mention"
    OVERDUE = "overdue"
    PROJECT_STEP = "project_step"
    REMINDER = "reminder"
    RESPONSE_OVERDUE = "response_overdue"
    REVIEW_OVERDUE = "review_overdue"
    TASK_DECLINED = "task_declined"
    TASK_OFFERED = "task_offered"

    def __str__(self) -> str:
        return str(self.value)
