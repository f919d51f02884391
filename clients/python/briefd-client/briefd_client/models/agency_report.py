from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.agency_scorecard import AgencyScorecard





T = TypeVar("T", bound="AgencyReport")



@_attrs_define
class AgencyReport:
    """ 
        Attributes:
            from_ (datetime.datetime):
            to (datetime.datetime):
            previous_from (datetime.datetime):
            data (list[AgencyScorecard]):
     """

    from_: datetime.datetime
    to: datetime.datetime
    previous_from: datetime.datetime
    data: list[AgencyScorecard]





    def to_dict(self) -> dict[str, Any]:
        from ..models.agency_scorecard import AgencyScorecard # noqa: PLC0415
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        previous_from = self.previous_from.isoformat()

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "from": from_,
            "to": to,
            "previous_from": previous_from,
            "data": data,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agency_scorecard import AgencyScorecard # noqa: PLC0415
        d = dict(src_dict)
        from_ = datetime.datetime.fromisoformat(d.pop("from"))




        to = datetime.datetime.fromisoformat(d.pop("to"))




        previous_from = datetime.datetime.fromisoformat(d.pop("previous_from"))




        data = []
        _data = d.pop("data")
        for data_item_data in (_data):
            data_item = AgencyScorecard.from_dict(data_item_data)



            data.append(data_item)


        agency_report = cls(
            from_=from_,
            to=to,
            previous_from=previous_from,
            data=data,
        )

        return agency_report

