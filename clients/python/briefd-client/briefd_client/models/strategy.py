from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.budget import Budget
  from ..models.kpi import KPI





T = TypeVar("T", bound="Strategy")



@_attrs_define
class Strategy:
    """ 
        Attributes:
            objectives (list[str]):
            audience (str):
            channels (list[str]):
            budget (Budget):
            kpis (list[KPI]):
            due_date (datetime.date | None | Unset):
     """

    objectives: list[str]
    audience: str
    channels: list[str]
    budget: Budget
    kpis: list[KPI]
    due_date: datetime.date | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.budget import Budget # noqa: PLC0415
        from ..models.kpi import KPI # noqa: PLC0415
        objectives = self.objectives



        audience = self.audience

        channels = self.channels



        budget = self.budget.to_dict()

        kpis = []
        for kpis_item_data in self.kpis:
            kpis_item = kpis_item_data.to_dict()
            kpis.append(kpis_item)



        due_date: None | str | Unset
        if isinstance(self.due_date, Unset):
            due_date = UNSET
        elif isinstance(self.due_date, datetime.date):
            due_date = self.due_date.isoformat()
        else:
            due_date = self.due_date


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "objectives": objectives,
            "audience": audience,
            "channels": channels,
            "budget": budget,
            "kpis": kpis,
        })
        if due_date is not UNSET:
            field_dict["due_date"] = due_date

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget import Budget # noqa: PLC0415
        from ..models.kpi import KPI # noqa: PLC0415
        d = dict(src_dict)
        objectives = cast(list[str], d.pop("objectives"))


        audience = d.pop("audience")

        channels = cast(list[str], d.pop("channels"))


        budget = Budget.from_dict(d.pop("budget"))




        kpis = []
        _kpis = d.pop("kpis")
        for kpis_item_data in (_kpis):
            kpis_item = KPI.from_dict(kpis_item_data)



            kpis.append(kpis_item)


        def _parse_due_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_date_type_0 = datetime.date.fromisoformat(data)



                return due_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        due_date = _parse_due_date(d.pop("due_date", UNSET))


        strategy = cls(
            objectives=objectives,
            audience=audience,
            channels=channels,
            budget=budget,
            kpis=kpis,
            due_date=due_date,
        )

        return strategy

