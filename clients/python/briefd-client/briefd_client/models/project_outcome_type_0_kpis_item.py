from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ProjectOutcomeType0KpisItem")



@_attrs_define
class ProjectOutcomeType0KpisItem:
    """ 
        Attributes:
            key (str):
            target (float):
            actual (float):
            met (bool):
            attainment (float | None):
     """

    key: str
    target: float
    actual: float
    met: bool
    attainment: float | None





    def to_dict(self) -> dict[str, Any]:
        key = self.key

        target = self.target

        actual = self.actual

        met = self.met

        attainment: float | None
        attainment = self.attainment


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "key": key,
            "target": target,
            "actual": actual,
            "met": met,
            "attainment": attainment,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        target = d.pop("target")

        actual = d.pop("actual")

        met = d.pop("met")

        def _parse_attainment(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        attainment = _parse_attainment(d.pop("attainment"))


        project_outcome_type_0_kpis_item = cls(
            key=key,
            target=target,
            actual=actual,
            met=met,
            attainment=attainment,
        )

        return project_outcome_type_0_kpis_item

