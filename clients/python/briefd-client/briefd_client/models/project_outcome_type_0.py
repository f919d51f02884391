from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.project_outcome_type_0_kpis_item import ProjectOutcomeType0KpisItem





T = TypeVar("T", bound="ProjectOutcomeType0")



@_attrs_define
class ProjectOutcomeType0:
    """ Computed at close; null before, and for an agency.

        Attributes:
            kpis (list[ProjectOutcomeType0KpisItem]):
            all_met (bool):
            roi (float | None):
     """

    kpis: list[ProjectOutcomeType0KpisItem]
    all_met: bool
    roi: float | None





    def to_dict(self) -> dict[str, Any]:
        from ..models.project_outcome_type_0_kpis_item import ProjectOutcomeType0KpisItem # noqa: PLC0415
        kpis = []
        for kpis_item_data in self.kpis:
            kpis_item = kpis_item_data.to_dict()
            kpis.append(kpis_item)



        all_met = self.all_met

        roi: float | None
        roi = self.roi


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "kpis": kpis,
            "all_met": all_met,
            "roi": roi,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.project_outcome_type_0_kpis_item import ProjectOutcomeType0KpisItem # noqa: PLC0415
        d = dict(src_dict)
        kpis = []
        _kpis = d.pop("kpis")
        for kpis_item_data in (_kpis):
            kpis_item = ProjectOutcomeType0KpisItem.from_dict(kpis_item_data)



            kpis.append(kpis_item)


        all_met = d.pop("all_met")

        def _parse_roi(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        roi = _parse_roi(d.pop("roi"))


        project_outcome_type_0 = cls(
            kpis=kpis,
            all_met=all_met,
            roi=roi,
        )

        return project_outcome_type_0

