from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="BodyMarkNotificationsRead")



@_attrs_define
class BodyMarkNotificationsRead:
    """ 
        Attributes:
            up_to (UUID):
     """

    up_to: UUID





    def to_dict(self) -> dict[str, Any]:
        up_to = str(self.up_to)


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "up_to": up_to,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        up_to = UUID(d.pop("up_to"))




        body_mark_notifications_read = cls(
            up_to=up_to,
        )

        return body_mark_notifications_read

