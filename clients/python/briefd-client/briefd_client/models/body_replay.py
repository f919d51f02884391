from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="BodyReplay")



@_attrs_define
class BodyReplay:
    """ 
        Attributes:
            since (datetime.datetime):
            until (datetime.datetime):
     """

    since: datetime.datetime
    until: datetime.datetime





    def to_dict(self) -> dict[str, Any]:
        since = self.since.isoformat()

        until = self.until.isoformat()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "since": since,
            "until": until,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        since = datetime.datetime.fromisoformat(d.pop("since"))




        until = datetime.datetime.fromisoformat(d.pop("until"))




        body_replay = cls(
            since=since,
            until=until,
        )

        return body_replay

