from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="PortfolioReportTotalsAdditionalProperty")



@_attrs_define
class PortfolioReportTotalsAdditionalProperty:
    """ 
        Attributes:
            budget_minor (int):
            spend_minor (int):
            revenue_minor (int):
            projects (int):
     """

    budget_minor: int
    spend_minor: int
    revenue_minor: int
    projects: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        budget_minor = self.budget_minor

        spend_minor = self.spend_minor

        revenue_minor = self.revenue_minor

        projects = self.projects


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "budget_minor": budget_minor,
            "spend_minor": spend_minor,
            "revenue_minor": revenue_minor,
            "projects": projects,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        budget_minor = d.pop("budget_minor")

        spend_minor = d.pop("spend_minor")

        revenue_minor = d.pop("revenue_minor")

        projects = d.pop("projects")

        portfolio_report_totals_additional_property = cls(
            budget_minor=budget_minor,
            spend_minor=spend_minor,
            revenue_minor=revenue_minor,
            projects=projects,
        )


        portfolio_report_totals_additional_property.additional_properties = d
        return portfolio_report_totals_additional_property

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
