from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.kpi_comparator import KPIComparator






T = TypeVar("T", bound="KPI")



@_attrs_define
class KPI:
    """ 
        Attributes:
            key (str):
            name (str):
            target (float):
            unit (str):
            comparator (KPIComparator):
     """

    key: str
    name: str
    target: float
    unit: str
    comparator: KPIComparator





    def to_dict(self) -> dict[str, Any]:
        key = self.key

        name = self.name

        target = self.target

        unit = self.unit

        comparator = self.comparator.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "key": key,
            "name": name,
            "target": target,
            "unit": unit,
            "comparator": comparator,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        name = d.pop("name")

        target = d.pop("target")

        unit = d.pop("unit")

        comparator = KPIComparator(d.pop("comparator"))




        kpi = cls(
            key=key,
            name=name,
            target=target,
            unit=unit,
            comparator=comparator,
        )

        return kpi

