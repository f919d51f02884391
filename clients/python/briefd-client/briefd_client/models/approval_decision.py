from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.approval_decision_decision import ApprovalDecisionDecision
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="ApprovalDecision")



@_attrs_define
class ApprovalDecision:
    """ 
        Attributes:
            round_ (int):
            api_key_id (UUID):
            decision (ApprovalDecisionDecision):
            decided_at (datetime.datetime):
     """

    round_: int
    api_key_id: UUID
    decision: ApprovalDecisionDecision
    decided_at: datetime.datetime





    def to_dict(self) -> dict[str, Any]:
        round_ = self.round_

        api_key_id = str(self.api_key_id)

        decision = self.decision.value

        decided_at = self.decided_at.isoformat()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "round": round_,
            "api_key_id": api_key_id,
            "decision": decision,
            "decided_at": decided_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        round_ = d.pop("round")

        api_key_id = UUID(d.pop("api_key_id"))




        decision = ApprovalDecisionDecision(d.pop("decision"))




        decided_at = datetime.datetime.fromisoformat(d.pop("decided_at"))




        approval_decision = cls(
            round_=round_,
            api_key_id=api_key_id,
            decision=decision,
            decided_at=decided_at,
        )

        return approval_decision

