from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.body_create_organization_kind import BodyCreateOrganizationKind






T = TypeVar("T", bound="BodyCreateOrganization")



@_attrs_define
class BodyCreateOrganization:
    """ 
        Attributes:
            name (str):
            kind (BodyCreateOrganizationKind):
     """

    name: str
    kind: BodyCreateOrganizationKind





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        kind = self.kind.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "kind": kind,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        kind = BodyCreateOrganizationKind(d.pop("kind"))




        body_create_organization = cls(
            name=name,
            kind=kind,
        )

        return body_create_organization

