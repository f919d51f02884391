from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.agency_scorecard_deltas import AgencyScorecardDeltas
  from ..models.agency_scorecard_fees import AgencyScorecardFees





T = TypeVar("T", bound="AgencyScorecard")



@_attrs_define
class AgencyScorecard:
    """ 
        Attributes:
            agency_id (UUID):
            agency_name (str):
            tasks_issued (int):
            acceptance_rate (float | None):
            acceptance_rate_n (int):
            median_hours_to_accept (float | None):
            median_hours_to_accept_n (int):
            on_time_rate (float | None):
            on_time_rate_n (int):
            first_pass_rate (float | None):
            first_pass_rate_n (int):
            mean_rounds (float | None):
            mean_rounds_n (int):
            median_review_hours (float | None):
            median_review_hours_n (int):
            kpi_hit_rate (float | None):
            kpi_hit_rate_n (int):
            mean_attainment (float | None):
            mean_attainment_n (int):
            median_roi (float | None):
            median_roi_n (int):
            fees (AgencyScorecardFees): Per currency, never summed across currencies.
            deltas (AgencyScorecardDeltas): Against the previous period of the same length; null where either is null.
     """

    agency_id: UUID
    agency_name: str
    tasks_issued: int
    acceptance_rate: float | None
    acceptance_rate_n: int
    median_hours_to_accept: float | None
    median_hours_to_accept_n: int
    on_time_rate: float | None
    on_time_rate_n: int
    first_pass_rate: float | None
    first_pass_rate_n: int
    mean_rounds: float | None
    mean_rounds_n: int
    median_review_hours: float | None
    median_review_hours_n: int
    kpi_hit_rate: float | None
    kpi_hit_rate_n: int
    mean_attainment: float | None
    mean_attainment_n: int
    median_roi: float | None
    median_roi_n: int
    fees: AgencyScorecardFees
    deltas: AgencyScorecardDeltas





    def to_dict(self) -> dict[str, Any]:
        from ..models.agency_scorecard_deltas import AgencyScorecardDeltas # noqa: PLC0415
        from ..models.agency_scorecard_fees import AgencyScorecardFees # noqa: PLC0415
        agency_id = str(self.agency_id)

        agency_name = self.agency_name

        tasks_issued = self.tasks_issued

        acceptance_rate: float | None
        acceptance_rate = self.acceptance_rate

        acceptance_rate_n = self.acceptance_rate_n

        median_hours_to_accept: float | None
        median_hours_to_accept = self.median_hours_to_accept

        median_hours_to_accept_n = self.median_hours_to_accept_n

        on_time_rate: float | None
        on_time_rate = self.on_time_rate

        on_time_rate_n = self.on_time_rate_n

        first_pass_rate: float | None
        first_pass_rate = self.first_pass_rate

        first_pass_rate_n = self.first_pass_rate_n

        mean_rounds: float | None
        mean_rounds = self.mean_rounds

        mean_rounds_n = self.mean_rounds_n

        median_review_hours: float | None
        median_review_hours = self.median_review_hours

        median_review_hours_n = self.median_review_hours_n

        kpi_hit_rate: float | None
        kpi_hit_rate = self.kpi_hit_rate

        kpi_hit_rate_n = self.kpi_hit_rate_n

        mean_attainment: float | None
        mean_attainment = self.mean_attainment

        mean_attainment_n = self.mean_attainment_n

        median_roi: float | None
        median_roi = self.median_roi

        median_roi_n = self.median_roi_n

        fees = self.fees.to_dict()

        deltas = self.deltas.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "agency_id": agency_id,
            "agency_name": agency_name,
            "tasks_issued": tasks_issued,
            "acceptance_rate": acceptance_rate,
            "acceptance_rate_n": acceptance_rate_n,
            "median_hours_to_accept": median_hours_to_accept,
            "median_hours_to_accept_n": median_hours_to_accept_n,
            "on_time_rate": on_time_rate,
            "on_time_rate_n": on_time_rate_n,
            "first_pass_rate": first_pass_rate,
            "first_pass_rate_n": first_pass_rate_n,
            "mean_rounds": mean_rounds,
            "mean_rounds_n": mean_rounds_n,
            "median_review_hours": median_review_hours,
            "median_review_hours_n": median_review_hours_n,
            "kpi_hit_rate": kpi_hit_rate,
            "kpi_hit_rate_n": kpi_hit_rate_n,
            "mean_attainment": mean_attainment,
            "mean_attainment_n": mean_attainment_n,
            "median_roi": median_roi,
            "median_roi_n": median_roi_n,
            "fees": fees,
            "deltas": deltas,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agency_scorecard_deltas import AgencyScorecardDeltas # noqa: PLC0415
        from ..models.agency_scorecard_fees import AgencyScorecardFees # noqa: PLC0415
        d = dict(src_dict)
        agency_id = UUID(d.pop("agency_id"))




        agency_name = d.pop("agency_name")

        tasks_issued = d.pop("tasks_issued")

        def _parse_acceptance_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        acceptance_rate = _parse_acceptance_rate(d.pop("acceptance_rate"))


        acceptance_rate_n = d.pop("acceptance_rate_n")

        def _parse_median_hours_to_accept(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        median_hours_to_accept = _parse_median_hours_to_accept(d.pop("median_hours_to_accept"))


        median_hours_to_accept_n = d.pop("median_hours_to_accept_n")

        def _parse_on_time_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        on_time_rate = _parse_on_time_rate(d.pop("on_time_rate"))


        on_time_rate_n = d.pop("on_time_rate_n")

        def _parse_first_pass_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        first_pass_rate = _parse_first_pass_rate(d.pop("first_pass_rate"))


        first_pass_rate_n = d.pop("first_pass_rate_n")

        def _parse_mean_rounds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean_rounds = _parse_mean_rounds(d.pop("mean_rounds"))


        mean_rounds_n = d.pop("mean_rounds_n")

        def _parse_median_review_hours(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        median_review_hours = _parse_median_review_hours(d.pop("median_review_hours"))


        median_review_hours_n = d.pop("median_review_hours_n")

        def _parse_kpi_hit_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        kpi_hit_rate = _parse_kpi_hit_rate(d.pop("kpi_hit_rate"))


        kpi_hit_rate_n = d.pop("kpi_hit_rate_n")

        def _parse_mean_attainment(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean_attainment = _parse_mean_attainment(d.pop("mean_attainment"))


        mean_attainment_n = d.pop("mean_attainment_n")

        def _parse_median_roi(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        median_roi = _parse_median_roi(d.pop("median_roi"))


        median_roi_n = d.pop("median_roi_n")

        fees = AgencyScorecardFees.from_dict(d.pop("fees"))




        deltas = AgencyScorecardDeltas.from_dict(d.pop("deltas"))




        agency_scorecard = cls(
            agency_id=agency_id,
            agency_name=agency_name,
            tasks_issued=tasks_issued,
            acceptance_rate=acceptance_rate,
            acceptance_rate_n=acceptance_rate_n,
            median_hours_to_accept=median_hours_to_accept,
            median_hours_to_accept_n=median_hours_to_accept_n,
            on_time_rate=on_time_rate,
            on_time_rate_n=on_time_rate_n,
            first_pass_rate=first_pass_rate,
            first_pass_rate_n=first_pass_rate_n,
            mean_rounds=mean_rounds,
            mean_rounds_n=mean_rounds_n,
            median_review_hours=median_review_hours,
            median_review_hours_n=median_review_hours_n,
            kpi_hit_rate=kpi_hit_rate,
            kpi_hit_rate_n=kpi_hit_rate_n,
            mean_attainment=mean_attainment,
            mean_attainment_n=mean_attainment_n,
            median_roi=median_roi,
            median_roi_n=median_roi_n,
            fees=fees,
            deltas=deltas,
        )

        return agency_scorecard

