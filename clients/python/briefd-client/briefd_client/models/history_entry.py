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
  from ..models.history_entry_data import HistoryEntryData





T = TypeVar("T", bound="HistoryEntry")



@_attrs_define
class HistoryEntry:
    """ 
        Attributes:
            sequence (int):
            action (str):
            from_state (None | str):
            to_state (str):
            task_id (None | UUID):
            actor (Actor):
            data (HistoryEntryData):
            occurred_at (datetime.datetime):
     """

    sequence: int
    action: str
    from_state: None | str
    to_state: str
    task_id: None | UUID
    actor: Actor
    data: HistoryEntryData
    occurred_at: datetime.datetime





    def to_dict(self) -> dict[str, Any]:
        from ..models.actor import Actor # noqa: PLC0415
        from ..models.history_entry_data import HistoryEntryData # noqa: PLC0415
        sequence = self.sequence

        action = self.action

        from_state: None | str
        from_state = self.from_state

        to_state = self.to_state

        task_id: None | str
        if isinstance(self.task_id, UUID):
            task_id = str(self.task_id)
        else:
            task_id = self.task_id

        actor = self.actor.to_dict()

        data = self.data.to_dict()

        occurred_at = self.occurred_at.isoformat()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "sequence": sequence,
            "action": action,
            "from_state": from_state,
            "to_state": to_state,
            "task_id": task_id,
            "actor": actor,
            "data": data,
            "occurred_at": occurred_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor import Actor # noqa: PLC0415
        from ..models.history_entry_data import HistoryEntryData # noqa: PLC0415
        d = dict(src_dict)
        sequence = d.pop("sequence")

        action = d.pop("action")

        def _parse_from_state(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_state = _parse_from_state(d.pop("from_state"))


        to_state = d.pop("to_state")

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


        actor = Actor.from_dict(d.pop("actor"))




        data = HistoryEntryData.from_dict(d.pop("data"))




        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))




        history_entry = cls(
            sequence=sequence,
            action=action,
            from_state=from_state,
            to_state=to_state,
            task_id=task_id,
            actor=actor,
            data=data,
            occurred_at=occurred_at,
        )

        return history_entry

