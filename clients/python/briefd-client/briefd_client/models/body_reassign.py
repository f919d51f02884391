from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="BodyReassign")



@_attrs_define
class BodyReassign:
    """ 
        Attributes:
            agency_id (UUID):
     """

    agency_id: UUID





    def to_dict(self) -> dict[str, Any]:
        agency_id = str(self.agency_id)


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "agency_id": agency_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        agency_id = UUID(d.pop("agency_id"))




        body_reassign = cls(
            agency_id=agency_id,
        )

        return body_reassign

