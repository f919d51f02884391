from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="InboxItem")



@_attrs_define
class InboxItem:
    """ 
        Attributes:
            cursor (str):
            project_id (UUID):
            project_title (str):
            project_state (str):
            task_id (None | UUID):
            task_title (None | str):
            task_state (None | str):
            agency_id (None | UUID):
            due_at (datetime.datetime | None):
            actions (list[str]):
            waiting_since (datetime.datetime):
            overdue (bool):
     """

    cursor: str
    project_id: UUID
    project_title: str
    project_state: str
    task_id: None | UUID
    task_title: None | str
    task_state: None | str
    agency_id: None | UUID
    due_at: datetime.datetime | None
    actions: list[str]
    waiting_since: datetime.datetime
    overdue: bool





    def to_dict(self) -> dict[str, Any]:
        cursor = self.cursor

        project_id = str(self.project_id)

        project_title = self.project_title

        project_state = self.project_state

        task_id: None | str
        if isinstance(self.task_id, UUID):
            task_id = str(self.task_id)
        else:
            task_id = self.task_id

        task_title: None | str
        task_title = self.task_title

        task_state: None | str
        task_state = self.task_state

        agency_id: None | str
        if isinstance(self.agency_id, UUID):
            agency_id = str(self.agency_id)
        else:
            agency_id = self.agency_id

        due_at: None | str
        if isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        actions = self.actions



        waiting_since = self.waiting_since.isoformat()

        overdue = self.overdue


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "cursor": cursor,
            "project_id": project_id,
            "project_title": project_title,
            "project_state": project_state,
            "task_id": task_id,
            "task_title": task_title,
            "task_state": task_state,
            "agency_id": agency_id,
            "due_at": due_at,
            "actions": actions,
            "waiting_since": waiting_since,
            "overdue": overdue,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cursor = d.pop("cursor")

        project_id = UUID(d.pop("project_id"))




        project_title = d.pop("project_title")

        project_state = d.pop("project_state")

        def _parse_task_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                task_id_type_0 = UUID(data)



                return task_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        task_id = _parse_task_id(d.pop("task_id"))


        def _parse_task_title(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        task_title = _parse_task_title(d.pop("task_title"))


        def _parse_task_state(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        task_state = _parse_task_state(d.pop("task_state"))


        def _parse_agency_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                agency_id_type_0 = UUID(data)



                return agency_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        agency_id = _parse_agency_id(d.pop("agency_id"))


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


        actions = cast(list[str], d.pop("actions"))


        waiting_since = datetime.datetime.fromisoformat(d.pop("waiting_since"))




        overdue = d.pop("overdue")

        inbox_item = cls(
            cursor=cursor,
            project_id=project_id,
            project_title=project_title,
            project_state=project_state,
            task_id=task_id,
            task_title=task_title,
            task_state=task_state,
            agency_id=agency_id,
            due_at=due_at,
            actions=actions,
            waiting_since=waiting_since,
            overdue=overdue,
        )

        return inbox_item

