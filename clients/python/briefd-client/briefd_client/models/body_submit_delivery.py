from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="BodySubmitDelivery")



@_attrs_define
class BodySubmitDelivery:
    """ 
        Attributes:
            summary (str):
            links (list[str]):
     """

    summary: str
    links: list[str]





    def to_dict(self) -> dict[str, Any]:
        summary = self.summary

        links = self.links




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "summary": summary,
            "links": links,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        summary = d.pop("summary")

        links = cast(list[str], d.pop("links"))


        body_submit_delivery = cls(
            summary=summary,
            links=links,
        )

        return body_submit_delivery

