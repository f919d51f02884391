from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="NotificationsRead")



@_attrs_define
class NotificationsRead:
    """ 
        Attributes:
            marked (int):
            unread (int):
     """

    marked: int
    unread: int





    def to_dict(self) -> dict[str, Any]:
        marked = self.marked

        unread = self.unread


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "marked": marked,
            "unread": unread,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        marked = d.pop("marked")

        unread = d.pop("unread")

        notifications_read = cls(
            marked=marked,
            unread=unread,
        )

        return notifications_read

