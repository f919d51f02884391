from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="BodyAcceptInvitation")



@_attrs_define
class BodyAcceptInvitation:
    """ 
        Attributes:
            token (str):
            name (str | Unset):
            password (str | Unset):
     """

    token: str
    name: str | Unset = UNSET
    password: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        token = self.token

        name = self.name

        password = self.password


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "token": token,
        })
        if name is not UNSET:
            field_dict["name"] = name
        if password is not UNSET:
            field_dict["password"] = password

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        token = d.pop("token")

        name = d.pop("name", UNSET)

        password = d.pop("password", UNSET)

        body_accept_invitation = cls(
            token=token,
            name=name,
            password=password,
        )

        return body_accept_invitation

