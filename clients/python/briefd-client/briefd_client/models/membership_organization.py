from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.membership_organization_kind import MembershipOrganizationKind
from uuid import UUID






T = TypeVar("T", bound="MembershipOrganization")



@_attrs_define
class MembershipOrganization:
    """ 
        Attributes:
            id (UUID):
            name (str):
            kind (MembershipOrganizationKind):
     """

    id: UUID
    name: str
    kind: MembershipOrganizationKind





    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        kind = self.kind.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "name": name,
            "kind": kind,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        name = d.pop("name")

        kind = MembershipOrganizationKind(d.pop("kind"))




        membership_organization = cls(
            id=id,
            name=name,
            kind=kind,
        )

        return membership_organization

