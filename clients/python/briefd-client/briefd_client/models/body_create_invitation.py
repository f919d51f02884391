from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.body_create_invitation_role import BodyCreateInvitationRole






T = TypeVar("T", bound="BodyCreateInvitation")



@_attrs_define
class BodyCreateInvitation:
    """ 
        Attributes:
            email (str):
            role (BodyCreateInvitationRole):
     """

    email: str
    role: BodyCreateInvitationRole





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        role = self.role.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "email": email,
            "role": role,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        role = BodyCreateInvitationRole(d.pop("role"))




        body_create_invitation = cls(
            email=email,
            role=role,
        )

        return body_create_invitation

