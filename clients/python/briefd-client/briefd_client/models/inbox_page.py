from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.inbox_item import InboxItem





T = TypeVar("T", bound="InboxPage")



@_attrs_define
class InboxPage:
    """ 
        Attributes:
            data (list[InboxItem]):
            has_more (bool):
            next_cursor (None | str):
     """

    data: list[InboxItem]
    has_more: bool
    next_cursor: None | str





    def to_dict(self) -> dict[str, Any]:
        from ..models.inbox_item import InboxItem # noqa: PLC0415
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)



        has_more = self.has_more

        next_cursor: None | str
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
        from ..models.inbox_item import InboxItem # noqa: PLC0415
        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in (_data):
            data_item = InboxItem.from_dict(data_item_data)



            data.append(data_item)


        has_more = d.pop("has_more")

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))


        inbox_page = cls(
            data=data,
            has_more=has_more,
            next_cursor=next_cursor,
        )

        return inbox_page

