from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.body_record_kpi_results_results import BodyRecordKpiResultsResults





T = TypeVar("T", bound="BodyRecordKpiResults")



@_attrs_define
class BodyRecordKpiResults:
    """ 
        Attributes:
            results (BodyRecordKpiResultsResults):
            spend_minor (int | None | Unset):
            revenue_minor (int | None | Unset):
     """

    results: BodyRecordKpiResultsResults
    spend_minor: int | None | Unset = UNSET
    revenue_minor: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.body_record_kpi_results_results import BodyRecordKpiResultsResults # noqa: PLC0415
        results = self.results.to_dict()

        spend_minor: int | None | Unset
        if isinstance(self.spend_minor, Unset):
            spend_minor = UNSET
        else:
            spend_minor = self.spend_minor

        revenue_minor: int | None | Unset
        if isinstance(self.revenue_minor, Unset):
            revenue_minor = UNSET
        else:
            revenue_minor = self.revenue_minor


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "results": results,
        })
        if spend_minor is not UNSET:
            field_dict["spend_minor"] = spend_minor
        if revenue_minor is not UNSET:
            field_dict["revenue_minor"] = revenue_minor

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.body_record_kpi_results_results import BodyRecordKpiResultsResults # noqa: PLC0415
        d = dict(src_dict)
        results = BodyRecordKpiResultsResults.from_dict(d.pop("results"))




        def _parse_spend_minor(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        spend_minor = _parse_spend_minor(d.pop("spend_minor", UNSET))


        def _parse_revenue_minor(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        revenue_minor = _parse_revenue_minor(d.pop("revenue_minor", UNSET))


        body_record_kpi_results = cls(
            results=results,
            spend_minor=spend_minor,
            revenue_minor=revenue_minor,
        )

        return body_record_kpi_results

