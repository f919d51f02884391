from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.member_role import MemberRole
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Member")



@_attrs_define
class Member:
    """ 
        Attributes:
            id (UUID):
            name (str):
            email (str):
            role (MemberRole):
            joined_at (datetime.datetime):
     """

    id: UUID
    name: str
    email: str
    role: MemberRole
    joined_at: datetime.datetime





    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        email = self.email

        role = self.role.value

        joined_at = self.joined_at.isoformat()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "name": name,
            "email": email,
            "role": role,
            "joined_at": joined_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        name = d.pop("name")

        email = d.pop("email")

        role = MemberRole(d.pop("role"))




        joined_at = datetime.datetime.fromisoformat(d.pop("joined_at"))




        member = cls(
            id=id,
            name=name,
            email=email,
            role=role,
            joined_at=joined_at,
        )

        return member

