from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID






T = TypeVar("T", bound="NotificationTaskType0")



@_attrs_define
class NotificationTaskType0:
    """ 
        Attributes:
            id (UUID):
            title (None | str):
     """

    id: UUID
    title: None | str





    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        title: None | str
        title = self.title


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "title": title,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        def _parse_title(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        title = _parse_title(d.pop("title"))


        notification_task_type_0 = cls(
            id=id,
            title=title,
        )

        return notification_task_type_0

