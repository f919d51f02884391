from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="EventDataProject")



@_attrs_define
class EventDataProject:
    """ 
        Attributes:
            id (UUID):
            title (str):
            state (str):
            version (int):
            brand_id (UUID):
     """

    id: UUID
    title: str
    state: str
    version: int
    brand_id: UUID





    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        title = self.title

        state = self.state

        version = self.version

        brand_id = str(self.brand_id)


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "title": title,
            "state": state,
            "version": version,
            "brand_id": brand_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        title = d.pop("title")

        state = d.pop("state")

        version = d.pop("version")

        brand_id = UUID(d.pop("brand_id"))




        event_data_project = cls(
            id=id,
            title=title,
            state=state,
            version=version,
            brand_id=brand_id,
        )

        return event_data_project

