from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="ProjectReportRow")



@_attrs_define
class ProjectReportRow:
    """ 
        Attributes:
            project_id (UUID):
            title (str):
            state (str):
            created_at (datetime.datetime):
            currency (str):
            budget_minor (int):
            spend_minor (int | None):
            revenue_minor (int | None):
            roi (float | None):
            kpis_met (int | None):
            kpis_total (int):
            rounds (int):
            on_time_rate (float | None):
            on_time_rate_n (int):
            hours_in_strategy (float):
            hours_in_brief (float):
            hours_in_delivery (float):
            hours_in_kpi_review (float):
     """

    project_id: UUID
    title: str
    state: str
    created_at: datetime.datetime
    currency: str
    budget_minor: int
    spend_minor: int | None
    revenue_minor: int | None
    roi: float | None
    kpis_met: int | None
    kpis_total: int
    rounds: int
    on_time_rate: float | None
    on_time_rate_n: int
    hours_in_strategy: float
    hours_in_brief: float
    hours_in_delivery: float
    hours_in_kpi_review: float





    def to_dict(self) -> dict[str, Any]:
        project_id = str(self.project_id)

        title = self.title

        state = self.state

        created_at = self.created_at.isoformat()

        currency = self.currency

        budget_minor = self.budget_minor

        spend_minor: int | None
        spend_minor = self.spend_minor

        revenue_minor: int | None
        revenue_minor = self.revenue_minor

        roi: float | None
        roi = self.roi

        kpis_met: int | None
        kpis_met = self.kpis_met

        kpis_total = self.kpis_total

        rounds = self.rounds

        on_time_rate: float | None
        on_time_rate = self.on_time_rate

        on_time_rate_n = self.on_time_rate_n

        hours_in_strategy = self.hours_in_strategy

        hours_in_brief = self.hours_in_brief

        hours_in_delivery = self.hours_in_delivery

        hours_in_kpi_review = self.hours_in_kpi_review


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "project_id": project_id,
            "title": title,
            "state": state,
            "created_at": created_at,
            "currency": currency,
            "budget_minor": budget_minor,
            "spend_minor": spend_minor,
            "revenue_minor": revenue_minor,
            "roi": roi,
            "kpis_met": kpis_met,
            "kpis_total": kpis_total,
            "rounds": rounds,
            "on_time_rate": on_time_rate,
            "on_time_rate_n": on_time_rate_n,
            "hours_in_strategy": hours_in_strategy,
            "hours_in_brief": hours_in_brief,
            "hours_in_delivery": hours_in_delivery,
            "hours_in_kpi_review": hours_in_kpi_review,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        project_id = UUID(d.pop("project_id"))




        title = d.pop("title")

        state = d.pop("state")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        currency = d.pop("currency")

        budget_minor = d.pop("budget_minor")

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


        def _parse_roi(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        roi = _parse_roi(d.pop("roi"))


        def _parse_kpis_met(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        kpis_met = _parse_kpis_met(d.pop("kpis_met"))


        kpis_total = d.pop("kpis_total")

        rounds = d.pop("rounds")

        def _parse_on_time_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        on_time_rate = _parse_on_time_rate(d.pop("on_time_rate"))


        on_time_rate_n = d.pop("on_time_rate_n")

        hours_in_strategy = d.pop("hours_in_strategy")

        hours_in_brief = d.pop("hours_in_brief")

        hours_in_delivery = d.pop("hours_in_delivery")

        hours_in_kpi_review = d.pop("hours_in_kpi_review")

        project_report_row = cls(
            project_id=project_id,
            title=title,
            state=state,
            created_at=created_at,
            currency=currency,
            budget_minor=budget_minor,
            spend_minor=spend_minor,
            revenue_minor=revenue_minor,
            roi=roi,
            kpis_met=kpis_met,
            kpis_total=kpis_total,
            rounds=rounds,
            on_time_rate=on_time_rate,
            on_time_rate_n=on_time_rate_n,
            hours_in_strategy=hours_in_strategy,
            hours_in_brief=hours_in_brief,
            hours_in_delivery=hours_in_delivery,
            hours_in_kpi_review=hours_in_kpi_review,
        )

        return project_report_row

