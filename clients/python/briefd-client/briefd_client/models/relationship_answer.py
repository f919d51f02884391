from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.relationship import Relationship





T = TypeVar("T", bound="RelationshipAnswer")



@_attrs_define
class RelationshipAnswer:
    """ 
        Attributes:
            relationship (Relationship):
     """

    relationship: Relationship





    def to_dict(self) -> dict[str, Any]:
        from ..models.relationship import Relationship # noqa: PLC0415
        relationship = self.relationship.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "relationship": relationship,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.relationship import Relationship # noqa: PLC0415
        d = dict(src_dict)
        relationship = Relationship.from_dict(d.pop("relationship"))




        relationship_answer = cls(
            relationship=relationship,
        )

        return relationship_answer

