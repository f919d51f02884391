from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.approval_policy_mode import ApprovalPolicyMode
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="ApprovalPolicy")



@_attrs_define
class ApprovalPolicy:
    """ Who signs off the task's deliveries. any: the first decision of a listed approver settles a round (with no approvers
    listed, any brand key that may act: the default). all: every listed approver approves; one request_changes settles
    the round at once.

        Attributes:
            mode (ApprovalPolicyMode):
            approvers (list[UUID]): API key ids of the brand (a key per person; its name is the person's name).
     """

    mode: ApprovalPolicyMode
    approvers: list[UUID]





    def to_dict(self) -> dict[str, Any]:
        mode = self.mode.value

        approvers = []
        for approvers_item_data in self.approvers:
            approvers_item = str(approvers_item_data)
            approvers.append(approvers_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "mode": mode,
            "approvers": approvers,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mode = ApprovalPolicyMode(d.pop("mode"))




        approvers = []
        _approvers = d.pop("approvers")
        for approvers_item_data in (_approvers):
            approvers_item = UUID(approvers_item_data)



            approvers.append(approvers_item)


        approval_policy = cls(
            mode=mode,
            approvers=approvers,
        )

        return approval_policy

