from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.agency_task_row_answer_type_1 import AgencyTaskRowAnswerType1
from ..models.agency_task_row_answer_type_2_type_1 import AgencyTaskRowAnswerType2Type1
from ..models.agency_task_row_answer_type_3_type_1 import AgencyTaskRowAnswerType3Type1
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="AgencyTaskRow")



@_attrs_define
class AgencyTaskRow:
    """ 
        Attributes:
            task_id (UUID):
            task_title (str):
            project_id (UUID):
            project_title (str):
            offered_at (datetime.datetime):
            answer (AgencyTaskRowAnswerType1 | AgencyTaskRowAnswerType2Type1 | AgencyTaskRowAnswerType3Type1 | None):
            answered_at (datetime.datetime | None):
            due_at (datetime.datetime | None):
            first_delivered_at (datetime.datetime | None):
            approved_at (datetime.datetime | None):
            approved_round (int | None):
            fee_minor (int | None):
            currency (None | str):
     """

    task_id: UUID
    task_title: str
    project_id: UUID
    project_title: str
    offered_at: datetime.datetime
    answer: AgencyTaskRowAnswerType1 | AgencyTaskRowAnswerType2Type1 | AgencyTaskRowAnswerType3Type1 | None
    answered_at: datetime.datetime | None
    due_at: datetime.datetime | None
    first_delivered_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    approved_round: int | None
    fee_minor: int | None
    currency: None | str





    def to_dict(self) -> dict[str, Any]:
        task_id = str(self.task_id)

        task_title = self.task_title

        project_id = str(self.project_id)

        project_title = self.project_title

        offered_at = self.offered_at.isoformat()

        answer: None | str
        if isinstance(self.answer, AgencyTaskRowAnswerType1):
            answer = self.answer.value
        elif isinstance(self.answer, AgencyTaskRowAnswerType2Type1):
            answer = self.answer.value
        elif isinstance(self.answer, AgencyTaskRowAnswerType3Type1):
            answer = self.answer.value
        else:
            answer = self.answer

        answered_at: None | str
        if isinstance(self.answered_at, datetime.datetime):
            answered_at = self.answered_at.isoformat()
        else:
            answered_at = self.answered_at

        due_at: None | str
        if isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        first_delivered_at: None | str
        if isinstance(self.first_delivered_at, datetime.datetime):
            first_delivered_at = self.first_delivered_at.isoformat()
        else:
            first_delivered_at = self.first_delivered_at

        approved_at: None | str
        if isinstance(self.approved_at, datetime.datetime):
            approved_at = self.approved_at.isoformat()
        else:
            approved_at = self.approved_at

        approved_round: int | None
        approved_round = self.approved_round

        fee_minor: int | None
        fee_minor = self.fee_minor

        currency: None | str
        currency = self.currency


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "task_id": task_id,
            "task_title": task_title,
            "project_id": project_id,
            "project_title": project_title,
            "offered_at": offered_at,
            "answer": answer,
            "answered_at": answered_at,
            "due_at": due_at,
            "first_delivered_at": first_delivered_at,
            "approved_at": approved_at,
            "approved_round": approved_round,
            "fee_minor": fee_minor,
            "currency": currency,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        task_id = UUID(d.pop("task_id"))




        task_title = d.pop("task_title")

        project_id = UUID(d.pop("project_id"))




        project_title = d.pop("project_title")

        offered_at = datetime.datetime.fromisoformat(d.pop("offered_at"))




        def _parse_answer(data: object) -> AgencyTaskRowAnswerType1 | AgencyTaskRowAnswerType2Type1 | AgencyTaskRowAnswerType3Type1 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answer_type_1 = AgencyTaskRowAnswerType1(data)



                return answer_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answer_type_2_type_1 = AgencyTaskRowAnswerType2Type1(data)



                return answer_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answer_type_3_type_1 = AgencyTaskRowAnswerType3Type1(data)



                return answer_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgencyTaskRowAnswerType1 | AgencyTaskRowAnswerType2Type1 | AgencyTaskRowAnswerType3Type1 | None, data)

        answer = _parse_answer(d.pop("answer"))


        def _parse_answered_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answered_at_type_0 = datetime.datetime.fromisoformat(data)



                return answered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        answered_at = _parse_answered_at(d.pop("answered_at"))


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


        def _parse_first_delivered_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                first_delivered_at_type_0 = datetime.datetime.fromisoformat(data)



                return first_delivered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        first_delivered_at = _parse_first_delivered_at(d.pop("first_delivered_at"))


        def _parse_approved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                approved_at_type_0 = datetime.datetime.fromisoformat(data)



                return approved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        approved_at = _parse_approved_at(d.pop("approved_at"))


        def _parse_approved_round(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        approved_round = _parse_approved_round(d.pop("approved_round"))


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


        agency_task_row = cls(
            task_id=task_id,
            task_title=task_title,
            project_id=project_id,
            project_title=project_title,
            offered_at=offered_at,
            answer=answer,
            answered_at=answered_at,
            due_at=due_at,
            first_delivered_at=first_delivered_at,
            approved_at=approved_at,
            approved_round=approved_round,
            fee_minor=fee_minor,
            currency=currency,
        )

        return agency_task_row

