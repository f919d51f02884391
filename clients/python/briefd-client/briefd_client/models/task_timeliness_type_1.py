from enum import StrEnum

class TaskTimelinessType1(StrEnum):
    DELIVERED_LATE = "delivered_late"
    DELIVERED_ON_TIME = "delivered_on_time"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"
    OVERDUE = "overdue"

    def __str__(self) -> str:
        return str(self.value)
