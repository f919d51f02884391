from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.approval_policy import ApprovalPolicy





T = TypeVar("T", bound="BodyAddTask")



@_attrs_define
class BodyAddTask:
    """ 
        Attributes:
            agency_id (UUID):
            title (str):
            description (str):
            due_date (datetime.date | None | Unset):
            due_at (datetime.datetime | None | Unset): RFC 3339; wins over due_date; must lie ahead.
            fee_minor (int | Unset):
            currency (str | Unset): ISO 4217; goes with fee_minor.
            approval (ApprovalPolicy | Unset): Who signs off the task's deliveries. any: the first decision of a listed
                approver settles a round (with no approvers listed, any brand key that may act: the default). all: every listed
                approver approves; one request_changes settles the round at once.
     """

    agency_id: UUID
    title: str
    description: str
    due_date: datetime.date | None | Unset = UNSET
    due_at: datetime.datetime | None | Unset = UNSET
    fee_minor: int | Unset = UNSET
    currency: str | Unset = UNSET
    approval: ApprovalPolicy | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.approval_policy import ApprovalPolicy # noqa: PLC0415
        agency_id = str(self.agency_id)

        title = self.title

        description = self.description

        due_date: None | str | Unset
        if isinstance(self.due_date, Unset):
            due_date = UNSET
        elif isinstance(self.due_date, datetime.date):
            due_date = self.due_date.isoformat()
        else:
            due_date = self.due_date

        due_at: None | str | Unset
        if isinstance(self.due_at, Unset):
            due_at = UNSET
        elif isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        fee_minor = self.fee_minor

        currency = self.currency

        approval: dict[str, Any] | Unset = UNSET
        if not isinstance(self.approval, Unset):
            approval = self.approval.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "agency_id": agency_id,
            "title": title,
            "description": description,
        })
        if due_date is not UNSET:
            field_dict["due_date"] = due_date
        if due_at is not UNSET:
            field_dict["due_at"] = due_at
        if fee_minor is not UNSET:
            field_dict["fee_minor"] = fee_minor
        if currency is not UNSET:
            field_dict["currency"] = currency
        if approval is not UNSET:
            field_dict["approval"] = approval

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.approval_policy import ApprovalPolicy # noqa: PLC0415
        d = dict(src_dict)
        agency_id = UUID(d.pop("agency_id"))




        title = d.pop("title")

        description = d.pop("description")

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


        def _parse_due_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_at_type_0 = datetime.datetime.fromisoformat(data)



                return due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        due_at = _parse_due_at(d.pop("due_at", UNSET))


        fee_minor = d.pop("fee_minor", UNSET)

        currency = d.pop("currency", UNSET)

        _approval = d.pop("approval", UNSET)
        approval: ApprovalPolicy | Unset
        if isinstance(_approval,  Unset):
            approval = UNSET
        else:
            approval = ApprovalPolicy.from_dict(_approval)




        body_add_task = cls(
            agency_id=agency_id,
            title=title,
            description=description,
            due_date=due_date,
            due_at=due_at,
            fee_minor=fee_minor,
            currency=currency,
            approval=approval,
        )

        return body_add_task

