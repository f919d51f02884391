from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from uuid import UUID






T = TypeVar("T", bound="BodyCreateRelationship")



@_attrs_define
class BodyCreateRelationship:
    """ 
        Attributes:
            agency_id (UUID | Unset):
            agency_name (str | Unset):
            admin_email (str | Unset):
     """

    agency_id: UUID | Unset = UNSET
    agency_name: str | Unset = UNSET
    admin_email: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        agency_id: str | Unset = UNSET
        if not isinstance(self.agency_id, Unset):
            agency_id = str(self.agency_id)

        agency_name = self.agency_name

        admin_email = self.admin_email


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if agency_id is not UNSET:
            field_dict["agency_id"] = agency_id
        if agency_name is not UNSET:
            field_dict["agency_name"] = agency_name
        if admin_email is not UNSET:
            field_dict["admin_email"] = admin_email

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _agency_id = d.pop("agency_id", UNSET)
        agency_id: UUID | Unset
        if isinstance(_agency_id,  Unset):
            agency_id = UNSET
        else:
            agency_id = UUID(_agency_id)




        agency_name = d.pop("agency_name", UNSET)

        admin_email = d.pop("admin_email", UNSET)

        body_create_relationship = cls(
            agency_id=agency_id,
            agency_name=agency_name,
            admin_email=admin_email,
        )

        return body_create_relationship

