from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.portfolio_report_totals_additional_property import PortfolioReportTotalsAdditionalProperty





T = TypeVar("T", bound="PortfolioReportTotals")



@_attrs_define
class PortfolioReportTotals:
    """ Per currency, over every project of the report (all pages).

     """

    additional_properties: dict[str, PortfolioReportTotalsAdditionalProperty] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.portfolio_report_totals_additional_property import PortfolioReportTotalsAdditionalProperty # noqa: PLC0415
        
        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()


        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.portfolio_report_totals_additional_property import PortfolioReportTotalsAdditionalProperty # noqa: PLC0415
        d = dict(src_dict)
        portfolio_report_totals = cls(
        )


        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = PortfolioReportTotalsAdditionalProperty.from_dict(prop_dict)



            additional_properties[prop_name] = additional_property

        portfolio_report_totals.additional_properties = additional_properties
        return portfolio_report_totals

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> PortfolioReportTotalsAdditionalProperty:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: PortfolioReportTotalsAdditionalProperty) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
