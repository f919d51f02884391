from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="BodyRemoveTask")



@_attrs_define
class BodyRemoveTask:
    """ 
        Attributes:
            task_id (UUID):
     """

    task_id: UUID





    def to_dict(self) -> dict[str, Any]:
        task_id = str(self.task_id)


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "task_id": task_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        task_id = UUID(d.pop("task_id"))




        body_remove_task = cls(
            task_id=task_id,
        )

        return body_remove_task

