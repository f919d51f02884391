from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.notification_kind import NotificationKind
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.notification_project import NotificationProject
  from ..models.notification_task_type_0 import NotificationTaskType0





T = TypeVar("T", bound="Notification")



@_attrs_define
class Notification:
    """ Something that waits on the person's organization, a deadline, or a mention.

        Attributes:
            id (UUID):
            kind (NotificationKind):
            project (NotificationProject):
            task (None | NotificationTaskType0):
            actor_name (None | str):
            excerpt (None | str):
            url (str): The console page where the person acts.
            created_at (datetime.datetime):
            read_at (datetime.datetime | None):
     """

    id: UUID
    kind: NotificationKind
    project: NotificationProject
    task: None | NotificationTaskType0
    actor_name: None | str
    excerpt: None | str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None





    def to_dict(self) -> dict[str, Any]:
        from ..models.notification_project import NotificationProject # noqa: PLC0415
        from ..models.notification_task_type_0 import NotificationTaskType0 # noqa: PLC0415
        id = str(self.id)

        kind = self.kind.value

        project = self.project.to_dict()

        task: dict[str, Any] | None
        if isinstance(self.task, NotificationTaskType0):
            task = self.task.to_dict()
        else:
            task = self.task

        actor_name: None | str
        actor_name = self.actor_name

        excerpt: None | str
        excerpt = self.excerpt

        url = self.url

        created_at = self.created_at.isoformat()

        read_at: None | str
        if isinstance(self.read_at, datetime.datetime):
            read_at = self.read_at.isoformat()
        else:
            read_at = self.read_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "kind": kind,
            "project": project,
            "task": task,
            "actor_name": actor_name,
            "excerpt": excerpt,
            "url": url,
            "created_at": created_at,
            "read_at": read_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.notification_project import NotificationProject # noqa: PLC0415
        from ..models.notification_task_type_0 import NotificationTaskType0 # noqa: PLC0415
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        kind = NotificationKind(d.pop("kind"))




        project = NotificationProject.from_dict(d.pop("project"))




        def _parse_task(data: object) -> None | NotificationTaskType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                task_type_0 = NotificationTaskType0.from_dict(data)



                return task_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | NotificationTaskType0, data)

        task = _parse_task(d.pop("task"))


        def _parse_actor_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actor_name = _parse_actor_name(d.pop("actor_name"))


        def _parse_excerpt(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        excerpt = _parse_excerpt(d.pop("excerpt"))


        url = d.pop("url")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_read_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                read_at_type_0 = datetime.datetime.fromisoformat(data)



                return read_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        read_at = _parse_read_at(d.pop("read_at"))


        notification = cls(
            id=id,
            kind=kind,
            project=project,
            task=task,
            actor_name=actor_name,
            excerpt=excerpt,
            url=url,
            created_at=created_at,
            read_at=read_at,
        )

        return notification

