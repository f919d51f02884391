from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.portfolio_report_totals import PortfolioReportTotals
  from ..models.project_report_row import ProjectReportRow





T = TypeVar("T", bound="PortfolioReport")



@_attrs_define
class PortfolioReport:
    """ 
        Attributes:
            from_ (datetime.datetime):
            to (datetime.datetime):
            data (list[ProjectReportRow]):
            has_more (bool): More projects follow: ask again with starting_after set to the last project_id.
            totals (PortfolioReportTotals): Per currency, over every project of the report (all pages).
     """

    from_: datetime.datetime
    to: datetime.datetime
    data: list[ProjectReportRow]
    has_more: bool
    totals: PortfolioReportTotals





    def to_dict(self) -> dict[str, Any]:
        from ..models.portfolio_report_totals import PortfolioReportTotals # noqa: PLC0415
        from ..models.project_report_row import ProjectReportRow # noqa: PLC0415
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)



        has_more = self.has_more

        totals = self.totals.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "from": from_,
            "to": to,
            "data": data,
            "has_more": has_more,
            "totals": totals,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.portfolio_report_totals import PortfolioReportTotals # noqa: PLC0415
        from ..models.project_report_row import ProjectReportRow # noqa: PLC0415
        d = dict(src_dict)
        from_ = datetime.datetime.fromisoformat(d.pop("from"))




        to = datetime.datetime.fromisoformat(d.pop("to"))




        data = []
        _data = d.pop("data")
        for data_item_data in (_data):
            data_item = ProjectReportRow.from_dict(data_item_data)



            data.append(data_item)


        has_more = d.pop("has_more")

        totals = PortfolioReportTotals.from_dict(d.pop("totals"))




        portfolio_report = cls(
            from_=from_,
            to=to,
            data=data,
            has_more=has_more,
            totals=totals,
        )

        return portfolio_report

