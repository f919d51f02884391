from enum import StrEnum

class RelationshipState(StrEnum):
    ACTIVE = "active"
    DECLINED = "declined"
    ENDED = "ended"
    INVITED = "invited"

    def __str__(self) -> str:
        return str(self.value)
