from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.approval_policy import ApprovalPolicy





T = TypeVar("T", bound="BodySetApproval")



@_attrs_define
class BodySetApproval:
    """ 
        Attributes:
            approval (ApprovalPolicy): Who signs off the task's deliveries. any: the first decision of a listed approver
                settles a round (with no approvers listed, any brand key that may act: the default). all: every listed approver
                approves; one request_changes settles the round at once.
     """

    approval: ApprovalPolicy





    def to_dict(self) -> dict[str, Any]:
        from ..models.approval_policy import ApprovalPolicy # noqa: PLC0415
        approval = self.approval.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "approval": approval,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.approval_policy import ApprovalPolicy # noqa: PLC0415
        d = dict(src_dict)
        approval = ApprovalPolicy.from_dict(d.pop("approval"))




        body_set_approval = cls(
            approval=approval,
        )

        return body_set_approval

