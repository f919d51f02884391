from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="BodyComment")



@_attrs_define
class BodyComment:
    """ 
        Attributes:
            body (str): At most 10,000 bytes of UTF-8.
            round_ (int | None | Unset): The delivery round it is about.
            parent_id (None | Unset | UUID): The thread it answers (one level of replies).
            internal (bool | Unset): Brand only: the agency never sees it (replies to an internal thread are internal).
     """

    body: str
    round_: int | None | Unset = UNSET
    parent_id: None | Unset | UUID = UNSET
    internal: bool | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        body = self.body

        round_: int | None | Unset
        if isinstance(self.round_, Unset):
            round_ = UNSET
        else:
            round_ = self.round_

        parent_id: None | str | Unset
        if isinstance(self.parent_id, Unset):
            parent_id = UNSET
        elif isinstance(self.parent_id, UUID):
            parent_id = str(self.parent_id)
        else:
            parent_id = self.parent_id

        internal = self.internal


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "body": body,
        })
        if round_ is not UNSET:
            field_dict["round"] = round_
        if parent_id is not UNSET:
            field_dict["parent_id"] = parent_id
        if internal is not UNSET:
            field_dict["internal"] = internal

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body = d.pop("body")

        def _parse_round_(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        round_ = _parse_round_(d.pop("round", UNSET))


        def _parse_parent_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                parent_id_type_0 = UUID(data)



                return parent_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        parent_id = _parse_parent_id(d.pop("parent_id", UNSET))


        internal = d.pop("internal", UNSET)

        body_comment = cls(
            body=body,
            round_=round_,
            parent_id=parent_id,
            internal=internal,
        )

        return body_comment

