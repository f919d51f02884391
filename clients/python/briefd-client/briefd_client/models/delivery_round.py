from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.approval_decision import ApprovalDecision





T = TypeVar("T", bound="DeliveryRound")



@_attrs_define
class DeliveryRound:
    """ 
        Attributes:
            round_ (int):
            summary (str):
            links (list[str]):
            submitted_at (datetime.datetime):
            decisions (list[ApprovalDecision]): Each approver's decision on this round.
     """

    round_: int
    summary: str
    links: list[str]
    submitted_at: datetime.datetime
    decisions: list[ApprovalDecision]





    def to_dict(self) -> dict[str, Any]:
        from ..models.approval_decision import ApprovalDecision # noqa: PLC0415
        round_ = self.round_

        summary = self.summary

        links = self.links



        submitted_at = self.submitted_at.isoformat()

        decisions = []
        for decisions_item_data in self.decisions:
            decisions_item = decisions_item_data.to_dict()
            decisions.append(decisions_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "round": round_,
            "summary": summary,
            "links": links,
            "submitted_at": submitted_at,
            "decisions": decisions,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.approval_decision import ApprovalDecision # noqa: PLC0415
        d = dict(src_dict)
        round_ = d.pop("round")

        summary = d.pop("summary")

        links = cast(list[str], d.pop("links"))


        submitted_at = datetime.datetime.fromisoformat(d.pop("submitted_at"))




        decisions = []
        _decisions = d.pop("decisions")
        for decisions_item_data in (_decisions):
            decisions_item = ApprovalDecision.from_dict(decisions_item_data)



            decisions.append(decisions_item)


        delivery_round = cls(
            round_=round_,
            summary=summary,
            links=links,
            submitted_at=submitted_at,
            decisions=decisions,
        )

        return delivery_round

