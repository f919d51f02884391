from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.project_kpi_results_type_0_actuals import ProjectKpiResultsType0Actuals





T = TypeVar("T", bound="ProjectKpiResultsType0")



@_attrs_define
class ProjectKpiResultsType0:
    """ The brand's measured results; null for an agency (the brand's economics).

        Attributes:
            actuals (ProjectKpiResultsType0Actuals):
            spend_minor (int | None):
            revenue_minor (int | None):
     """

    actuals: ProjectKpiResultsType0Actuals
    spend_minor: int | None
    revenue_minor: int | None





    def to_dict(self) -> dict[str, Any]:
        from ..models.project_kpi_results_type_0_actuals import ProjectKpiResultsType0Actuals # noqa: PLC0415
        actuals = self.actuals.to_dict()

        spend_minor: int | None
        spend_minor = self.spend_minor

        revenue_minor: int | None
        revenue_minor = self.revenue_minor


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "actuals": actuals,
            "spend_minor": spend_minor,
            "revenue_minor": revenue_minor,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.project_kpi_results_type_0_actuals import ProjectKpiResultsType0Actuals # noqa: PLC0415
        d = dict(src_dict)
        actuals = ProjectKpiResultsType0Actuals.from_dict(d.pop("actuals"))




        def _parse_spend_minor(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        spend_minor = _parse_spend_minor(d.pop("spend_minor"))


        def _parse_revenue_minor(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        revenue_minor = _parse_revenue_minor(d.pop("revenue_minor"))


        project_kpi_results_type_0 = cls(
            actuals=actuals,
            spend_minor=spend_minor,
            revenue_minor=revenue_minor,
        )

        return project_kpi_results_type_0

