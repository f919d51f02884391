from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.task_state import TaskState
from ..models.task_timeliness_type_1 import TaskTimelinessType1
from ..models.task_timeliness_type_2_type_1 import TaskTimelinessType2Type1
from ..models.task_timeliness_type_3_type_1 import TaskTimelinessType3Type1
from ..models.task_waiting_on import TaskWaitingOn
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.approval_policy import ApprovalPolicy
  from ..models.delivery_round import DeliveryRound





T = TypeVar("T", bound="Task")



@_attrs_define
class Task:
    """ 
        Attributes:
            id (UUID):
            agency_id (UUID):
            position (int):
            title (str):
            description (str):
            due_date (datetime.date | None):
            fee_minor (int | None): The fee agreed with the agency, in minor units of currency.
            currency (None | str):
            due_at (datetime.datetime | None): The deadline of the delivery; a due_date means the end of that day in the
                brand's time zone.
            state (TaskState):
            waiting_on (TaskWaitingOn): Whose move it is.
            waiting_since (datetime.datetime): When the task entered its state: the start of the current wait.
            timeliness (None | TaskTimelinessType1 | TaskTimelinessType2Type1 | TaskTimelinessType3Type1): How the task
                stands against due_at; null without one.
            decline_reason (None | str):
            change_note (None | str):
            deliveries (list[DeliveryRound]):
            approval (ApprovalPolicy): Who signs off the task's deliveries. any: the first decision of a listed approver
                settles a round (with no approvers listed, any brand key that may act: the default). all: every listed approver
                approves; one request_changes settles the round at once.
            pending_approvers (list[UUID]): Listed approvers who have not decided the round under review.
            allowed_actions (list[str]): The task actions the caller may request on this task now (guards included).
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
     """

    id: UUID
    agency_id: UUID
    position: int
    title: str
    description: str
    due_date: datetime.date | None
    fee_minor: int | None
    currency: None | str
    due_at: datetime.datetime | None
    state: TaskState
    waiting_on: TaskWaitingOn
    waiting_since: datetime.datetime
    timeliness: None | TaskTimelinessType1 | TaskTimelinessType2Type1 | TaskTimelinessType3Type1
    decline_reason: None | str
    change_note: None | str
    deliveries: list[DeliveryRound]
    approval: ApprovalPolicy
    pending_approvers: list[UUID]
    allowed_actions: list[str]
    created_at: datetime.datetime
    updated_at: datetime.datetime





    def to_dict(self) -> dict[str, Any]:
        from ..models.approval_policy import ApprovalPolicy # noqa: PLC0415
        from ..models.delivery_round import DeliveryRound # noqa: PLC0415
        id = str(self.id)

        agency_id = str(self.agency_id)

        position = self.position

        title = self.title

        description = self.description

        due_date: None | str
        if isinstance(self.due_date, datetime.date):
            due_date = self.due_date.isoformat()
        else:
            due_date = self.due_date

        fee_minor: int | None
        fee_minor = self.fee_minor

        currency: None | str
        currency = self.currency

        due_at: None | str
        if isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        state = self.state.value

        waiting_on = self.waiting_on.value

        waiting_since = self.waiting_since.isoformat()

        timeliness: None | str
        if isinstance(self.timeliness, TaskTimelinessType1):
            timeliness = self.timeliness.value
        elif isinstance(self.timeliness, TaskTimelinessType2Type1):
            timeliness = self.timeliness.value
        elif isinstance(self.timeliness, TaskTimelinessType3Type1):
            timeliness = self.timeliness.value
        else:
            timeliness = self.timeliness

        decline_reason: None | str
        decline_reason = self.decline_reason

        change_note: None | str
        change_note = self.change_note

        deliveries = []
        for deliveries_item_data in self.deliveries:
            deliveries_item = deliveries_item_data.to_dict()
            deliveries.append(deliveries_item)



        approval = self.approval.to_dict()

        pending_approvers = []
        for pending_approvers_item_data in self.pending_approvers:
            pending_approvers_item = str(pending_approvers_item_data)
            pending_approvers.append(pending_approvers_item)



        allowed_actions = self.allowed_actions



        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "agency_id": agency_id,
            "position": position,
            "title": title,
            "description": description,
            "due_date": due_date,
            "fee_minor": fee_minor,
            "currency": currency,
            "due_at": due_at,
            "state": state,
            "waiting_on": waiting_on,
            "waiting_since": waiting_since,
            "timeliness": timeliness,
            "decline_reason": decline_reason,
            "change_note": change_note,
            "deliveries": deliveries,
            "approval": approval,
            "pending_approvers": pending_approvers,
            "allowed_actions": allowed_actions,
            "created_at": created_at,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.approval_policy import ApprovalPolicy # noqa: PLC0415
        from ..models.delivery_round import DeliveryRound # noqa: PLC0415
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        agency_id = UUID(d.pop("agency_id"))




        position = d.pop("position")

        title = d.pop("title")

        description = d.pop("description")

        def _parse_due_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_date_type_0 = datetime.date.fromisoformat(data)



                return due_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        due_date = _parse_due_date(d.pop("due_date"))


        def _parse_fee_minor(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        fee_minor = _parse_fee_minor(d.pop("fee_minor"))


        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))


        def _parse_due_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_at_type_0 = datetime.datetime.fromisoformat(data)



                return due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        due_at = _parse_due_at(d.pop("due_at"))


        state = TaskState(d.pop("state"))




        waiting_on = TaskWaitingOn(d.pop("waiting_on"))




        waiting_since = datetime.datetime.fromisoformat(d.pop("waiting_since"))




        def _parse_timeliness(data: object) -> None | TaskTimelinessType1 | TaskTimelinessType2Type1 | TaskTimelinessType3Type1:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                timeliness_type_1 = TaskTimelinessType1(data)



                return timeliness_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                timeliness_type_2_type_1 = TaskTimelinessType2Type1(data)



                return timeliness_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                timeliness_type_3_type_1 = TaskTimelinessType3Type1(data)



                return timeliness_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskTimelinessType1 | TaskTimelinessType2Type1 | TaskTimelinessType3Type1, data)

        timeliness = _parse_timeliness(d.pop("timeliness"))


        def _parse_decline_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decline_reason = _parse_decline_reason(d.pop("decline_reason"))


        def _parse_change_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        change_note = _parse_change_note(d.pop("change_note"))


        deliveries = []
        _deliveries = d.pop("deliveries")
        for deliveries_item_data in (_deliveries):
            deliveries_item = DeliveryRound.from_dict(deliveries_item_data)



            deliveries.append(deliveries_item)


        approval = ApprovalPolicy.from_dict(d.pop("approval"))




        pending_approvers = []
        _pending_approvers = d.pop("pending_approvers")
        for pending_approvers_item_data in (_pending_approvers):
            pending_approvers_item = UUID(pending_approvers_item_data)



            pending_approvers.append(pending_approvers_item)


        allowed_actions = cast(list[str], d.pop("allowed_actions"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        task = cls(
            id=id,
            agency_id=agency_id,
            position=position,
            title=title,
            description=description,
            due_date=due_date,
            fee_minor=fee_minor,
            currency=currency,
            due_at=due_at,
            state=state,
            waiting_on=waiting_on,
            waiting_since=waiting_since,
            timeliness=timeliness,
            decline_reason=decline_reason,
            change_note=change_note,
            deliveries=deliveries,
            approval=approval,
            pending_approvers=pending_approvers,
            allowed_actions=allowed_actions,
            created_at=created_at,
            updated_at=updated_at,
        )

        return task

