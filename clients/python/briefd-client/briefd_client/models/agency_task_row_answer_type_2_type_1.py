from enum import StrEnum

class AgencyTaskRowAnswerType2Type1(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"

    def __str__(self) -> str:
        return str(self.value)
