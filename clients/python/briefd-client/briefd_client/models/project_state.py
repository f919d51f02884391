from enum import StrEnum

class ProjectState(StrEnum):
    BRIEF = "brief"
    CANCELLED = "cancelled"
    CLOSED = "closed"
    DELIVERY = "delivery"
    KPI_REVIEW = "kpi_review"
    STRATEGY = "strategy"

    def __str__(self) -> str:
        return str(self.value)
