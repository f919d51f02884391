from enum import StrEnum

class ActorSide(StrEnum):
    AGENCY = "agency"
    BRAND = "brand"
    SYSTEM = "system"

    def __str__(self) -> str:
        return str(self.value)
