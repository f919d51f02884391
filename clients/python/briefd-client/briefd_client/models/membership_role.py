from enum import StrEnum

class MembershipRole(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    VIEWER = "viewer"

    def __str__(self) -> str:
        return str(self.value)
