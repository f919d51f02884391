from enum import StrEnum

class KPIComparator(StrEnum):
    GTE = "gte"
    LTE = "lte"

    def __str__(self) -> str:
        return str(self.value)
