from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="BodySetDueDate")



@_attrs_define
class BodySetDueDate:
    """ due_at (RFC 3339) or due_date (YYYY-MM-DD, the end of that day in the brand's time zone); it must lie ahead.

        Attributes:
            due_at (datetime.datetime | Unset):
            due_date (datetime.date | Unset):
     """

    due_at: datetime.datetime | Unset = UNSET
    due_date: datetime.date | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        due_at: str | Unset = UNSET
        if not isinstance(self.due_at, Unset):
            due_at = self.due_at.isoformat()

        due_date: str | Unset = UNSET
        if not isinstance(self.due_date, Unset):
            due_date = self.due_date.isoformat()


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if due_at is not UNSET:
            field_dict["due_at"] = due_at
        if due_date is not UNSET:
            field_dict["due_date"] = due_date

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _due_at = d.pop("due_at", UNSET)
        due_at: datetime.datetime | Unset
        if isinstance(_due_at,  Unset):
            due_at = UNSET
        else:
            due_at = datetime.datetime.fromisoformat(_due_at)




        _due_date = d.pop("due_date", UNSET)
        due_date: datetime.date | Unset
        if isinstance(_due_date,  Unset):
            due_date = UNSET
        else:
            due_date = datetime.date.fromisoformat(_due_date)




        body_set_due_date = cls(
            due_at=due_at,
            due_date=due_date,
        )

        return body_set_due_date

