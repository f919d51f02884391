from enum import StrEnum

class TaskWaitingOn(StrEnum):
    AGENCY = "agency"
    BRAND = "brand"
    NOBODY = "nobody"

    def __str__(self) -> str:
        return str(self.value)
