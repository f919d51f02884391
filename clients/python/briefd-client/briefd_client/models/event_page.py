from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.event import Event





T = TypeVar("T", bound="EventPage")



@_attrs_define
class EventPage:
    """ 
        Attributes:
            data (list[Event]):
            has_more (bool):
            next_cursor (int): Pass as `after` to read on: the last event's cursor (or `after` on an empty page).
     """

    data: list[Event]
    has_more: bool
    next_cursor: int





    def to_dict(self) -> dict[str, Any]:
        from ..models.event import Event # noqa: PLC0415
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)



        has_more = self.has_more

        next_cursor = self.next_cursor


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "data": data,
            "has_more": has_more,
            "next_cursor": next_cursor,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event import Event # noqa: PLC0415
        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in (_data):
            data_item = Event.from_dict(data_item_data)



            data.append(data_item)


        has_more = d.pop("has_more")

        next_cursor = d.pop("next_cursor")

        event_page = cls(
            data=data,
            has_more=has_more,
            next_cursor=next_cursor,
        )

        return event_page

