from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.actor import Actor





T = TypeVar("T", bound="Comment")



@_attrs_define
class Comment:
    """ A comment on a task. Markdown stored as text, never rendered by the daemon. internal comments reach the brand only.

        Attributes:
            id (UUID):
            project_id (UUID):
            task_id (UUID):
            round_ (int | None):
            parent_id (None | UUID):
            body (str):
            internal (bool):
            author (Actor):
            created_at (datetime.datetime):
            resolved_at (datetime.datetime | None):
            resolved_by (None | UUID): The API key that resolved the thread.
     """

    id: UUID
    project_id: UUID
    task_id: UUID
    round_: int | None
    parent_id: None | UUID
    body: str
    internal: bool
    author: Actor
    created_at: datetime.datetime
    resolved_at: datetime.datetime | None
    resolved_by: None | UUID





    def to_dict(self) -> dict[str, Any]:
        from ..models.actor import Actor # noqa: PLC0415
        id = str(self.id)

        project_id = str(self.project_id)

        task_id = str(self.task_id)

        round_: int | None
        round_ = self.round_

        parent_id: None | str
        if isinstance(self.parent_id, UUID):
            parent_id = str(self.parent_id)
        else:
            parent_id = self.parent_id

        body = self.body

        internal = self.internal

        author = self.author.to_dict()

        created_at = self.created_at.isoformat()

        resolved_at: None | str
        if isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        resolved_by: None | str
        if isinstance(self.resolved_by, UUID):
            resolved_by = str(self.resolved_by)
        else:
            resolved_by = self.resolved_by


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "project_id": project_id,
            "task_id": task_id,
            "round": round_,
            "parent_id": parent_id,
            "body": body,
            "internal": internal,
            "author": author,
            "created_at": created_at,
            "resolved_at": resolved_at,
            "resolved_by": resolved_by,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor import Actor # noqa: PLC0415
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        project_id = UUID(d.pop("project_id"))




        task_id = UUID(d.pop("task_id"))




        def _parse_round_(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        round_ = _parse_round_(d.pop("round"))


        def _parse_parent_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                parent_id_type_0 = UUID(data)



                return parent_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        parent_id = _parse_parent_id(d.pop("parent_id"))


        body = d.pop("body")

        internal = d.pop("internal")

        author = Actor.from_dict(d.pop("author"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_resolved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)



                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))


        def _parse_resolved_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_by_type_0 = UUID(data)



                return resolved_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        resolved_by = _parse_resolved_by(d.pop("resolved_by"))


        comment = cls(
            id=id,
            project_id=project_id,
            task_id=task_id,
            round_=round_,
            parent_id=parent_id,
            body=body,
            internal=internal,
            author=author,
            created_at=created_at,
            resolved_at=resolved_at,
            resolved_by=resolved_by,
        )

        return comment

