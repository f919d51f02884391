from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.body_create_api_key_role import BodyCreateApiKeyRole






T = TypeVar("T", bound="BodyCreateApiKey")



@_attrs_define
class BodyCreateApiKey:
    """ 
        Attributes:
            name (str):
            role (BodyCreateApiKeyRole):
     """

    name: str
    role: BodyCreateApiKeyRole





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        role = self.role.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "role": role,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        role = BodyCreateApiKeyRole(d.pop("role"))




        body_create_api_key = cls(
            name=name,
            role=role,
        )

        return body_create_api_key

