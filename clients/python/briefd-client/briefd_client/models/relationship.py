from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.relationship_state import RelationshipState
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Relationship")



@_attrs_define
class Relationship:
    """ 
        Attributes:
            id (UUID):
            brand_id (UUID):
            brand_name (str):
            agency_id (UUID):
            agency_name (str):
            state (RelationshipState):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
     """

    id: UUID
    brand_id: UUID
    brand_name: str
    agency_id: UUID
    agency_name: str
    state: RelationshipState
    created_at: datetime.datetime
    updated_at: datetime.datetime





    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        brand_id = str(self.brand_id)

        brand_name = self.brand_name

        agency_id = str(self.agency_id)

        agency_name = self.agency_name

        state = self.state.value

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "brand_id": brand_id,
            "brand_name": brand_name,
            "agency_id": agency_id,
            "agency_name": agency_name,
            "state": state,
            "created_at": created_at,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        brand_id = UUID(d.pop("brand_id"))




        brand_name = d.pop("brand_name")

        agency_id = UUID(d.pop("agency_id"))




        agency_name = d.pop("agency_name")

        state = RelationshipState(d.pop("state"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        relationship = cls(
            id=id,
            brand_id=brand_id,
            brand_name=brand_name,
            agency_id=agency_id,
            agency_name=agency_name,
            state=state,
            created_at=created_at,
            updated_at=updated_at,
        )

        return relationship

