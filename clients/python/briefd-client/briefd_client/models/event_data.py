from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.actor import Actor
  from ..models.event_data_details import EventDataDetails
  from ..models.event_data_project import EventDataProject
  from ..models.event_data_task_type_0 import EventDataTaskType0





T = TypeVar("T", bound="EventData")



@_attrs_define
class EventData:
    """ For project events; webhook_endpoint.disabled carries endpoint_id and reason instead (not the URL).

        Attributes:
            project_id (UUID | Unset):
            task_id (None | Unset | UUID):
            action (str | Unset):
            from_state (None | str | Unset):
            to_state (str | Unset):
            sequence (int | Unset):
            actor (Actor | Unset):
            details (EventDataDetails | Unset):
            project (EventDataProject | Unset):
            task (EventDataTaskType0 | None | Unset):
            endpoint_id (UUID | Unset):
            url (str | Unset):
            reason (str | Unset):
     """

    project_id: UUID | Unset = UNSET
    task_id: None | Unset | UUID = UNSET
    action: str | Unset = UNSET
    from_state: None | str | Unset = UNSET
    to_state: str | Unset = UNSET
    sequence: int | Unset = UNSET
    actor: Actor | Unset = UNSET
    details: EventDataDetails | Unset = UNSET
    project: EventDataProject | Unset = UNSET
    task: EventDataTaskType0 | None | Unset = UNSET
    endpoint_id: UUID | Unset = UNSET
    url: str | Unset = UNSET
    reason: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.actor import Actor # noqa: PLC0415
        from ..models.event_data_details import EventDataDetails # noqa: PLC0415
        from ..models.event_data_project import EventDataProject # noqa: PLC0415
        from ..models.event_data_task_type_0 import EventDataTaskType0 # noqa: PLC0415
        project_id: str | Unset = UNSET
        if not isinstance(self.project_id, Unset):
            project_id = str(self.project_id)

        task_id: None | str | Unset
        if isinstance(self.task_id, Unset):
            task_id = UNSET
        elif isinstance(self.task_id, UUID):
            task_id = str(self.task_id)
        else:
            task_id = self.task_id

        action = self.action

        from_state: None | str | Unset
        if isinstance(self.from_state, Unset):
            from_state = UNSET
        else:
            from_state = self.from_state

        to_state = self.to_state

        sequence = self.sequence

        actor: dict[str, Any] | Unset = UNSET
        if not isinstance(self.actor, Unset):
            actor = self.actor.to_dict()

        details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = self.details.to_dict()

        project: dict[str, Any] | Unset = UNSET
        if not isinstance(self.project, Unset):
            project = self.project.to_dict()

        task: dict[str, Any] | None | Unset
        if isinstance(self.task, Unset):
            task = UNSET
        elif isinstance(self.task, EventDataTaskType0):
            task = self.task.to_dict()
        else:
            task = self.task

        endpoint_id: str | Unset = UNSET
        if not isinstance(self.endpoint_id, Unset):
            endpoint_id = str(self.endpoint_id)

        url = self.url

        reason = self.reason


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if action is not UNSET:
            field_dict["action"] = action
        if from_state is not UNSET:
            field_dict["from_state"] = from_state
        if to_state is not UNSET:
            field_dict["to_state"] = to_state
        if sequence is not UNSET:
            field_dict["sequence"] = sequence
        if actor is not UNSET:
            field_dict["actor"] = actor
        if details is not UNSET:
            field_dict["details"] = details
        if project is not UNSET:
            field_dict["project"] = project
        if task is not UNSET:
            field_dict["task"] = task
        if endpoint_id is not UNSET:
            field_dict["endpoint_id"] = endpoint_id
        if url is not UNSET:
            field_dict["url"] = url
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor import Actor # noqa: PLC0415
        from ..models.event_data_details import EventDataDetails # noqa: PLC0415
        from ..models.event_data_project import EventDataProject # noqa: PLC0415
        from ..models.event_data_task_type_0 import EventDataTaskType0 # noqa: PLC0415
        d = dict(src_dict)
        _project_id = d.pop("project_id", UNSET)
        project_id: UUID | Unset
        if isinstance(_project_id,  Unset):
            project_id = UNSET
        else:
            project_id = UUID(_project_id)




        def _parse_task_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                task_id_type_0 = UUID(data)



                return task_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        task_id = _parse_task_id(d.pop("task_id", UNSET))


        action = d.pop("action", UNSET)

        def _parse_from_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_state = _parse_from_state(d.pop("from_state", UNSET))


        to_state = d.pop("to_state", UNSET)

        sequence = d.pop("sequence", UNSET)

        _actor = d.pop("actor", UNSET)
        actor: Actor | Unset
        if isinstance(_actor,  Unset):
            actor = UNSET
        else:
            actor = Actor.from_dict(_actor)




        _details = d.pop("details", UNSET)
        details: EventDataDetails | Unset
        if isinstance(_details,  Unset):
            details = UNSET
        else:
            details = EventDataDetails.from_dict(_details)




        _project = d.pop("project", UNSET)
        project: EventDataProject | Unset
        if isinstance(_project,  Unset):
            project = UNSET
        else:
            project = EventDataProject.from_dict(_project)




        def _parse_task(data: object) -> EventDataTaskType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                task_type_0 = EventDataTaskType0.from_dict(data)



                return task_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EventDataTaskType0 | None | Unset, data)

        task = _parse_task(d.pop("task", UNSET))


        _endpoint_id = d.pop("endpoint_id", UNSET)
        endpoint_id: UUID | Unset
        if isinstance(_endpoint_id,  Unset):
            endpoint_id = UNSET
        else:
            endpoint_id = UUID(_endpoint_id)




        url = d.pop("url", UNSET)

        reason = d.pop("reason", UNSET)

        event_data = cls(
            project_id=project_id,
            task_id=task_id,
            action=action,
            from_state=from_state,
            to_state=to_state,
            sequence=sequence,
            actor=actor,
            details=details,
            project=project,
            task=task,
            endpoint_id=endpoint_id,
            url=url,
            reason=reason,
        )


        event_data.additional_properties = d
        return event_data

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
