from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.notification import Notification





T = TypeVar("T", bound="NotificationPage")



@_attrs_define
class NotificationPage:
    """ 
        Attributes:
            data (list[Notification]):
            unread (int):
            has_more (bool):
            next_cursor (int | None): Pass as `cursor` for the next (older) page.
     """

    data: list[Notification]
    unread: int
    has_more: bool
    next_cursor: int | None





    def to_dict(self) -> dict[str, Any]:
        from ..models.notification import Notification # noqa: PLC0415
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)



        unread = self.unread

        has_more = self.has_more

        next_cursor: int | None
        next_cursor = self.next_cursor


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "data": data,
            "unread": unread,
            "has_more": has_more,
            "next_cursor": next_cursor,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.notification import Notification # noqa: PLC0415
        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in (_data):
            data_item = Notification.from_dict(data_item_data)



            data.append(data_item)


        unread = d.pop("unread")

        has_more = d.pop("has_more")

        def _parse_next_cursor(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))


        notification_page = cls(
            data=data,
            unread=unread,
            has_more=has_more,
            next_cursor=next_cursor,
        )

        return notification_page

