from enum import StrEnum

class ListRelationshipsState(StrEnum):
    ACTIVE = "active"
    DECLINED = "declined"
    ENDED = "ended"
    INVITED = "invited"

    def __str__(self) -> str:
        return str(self.value)
