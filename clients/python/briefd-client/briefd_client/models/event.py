from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.event_type import EventType
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.event_data import EventData





T = TypeVar("T", bound="Event")



@_attrs_define
class Event:
    """ 
        Attributes:
            id (UUID):
            type_ (EventType):
            timestamp (datetime.datetime):
            cursor (int): The event's position in the organization's stream: increasing, not consecutive.
            data (EventData): For project events; webhook_endpoint.disabled carries endpoint_id and reason instead (not the
                URL).
     """

    id: UUID
    type_: EventType
    timestamp: datetime.datetime
    cursor: int
    data: EventData





    def to_dict(self) -> dict[str, Any]:
        from ..models.event_data import EventData # noqa: PLC0415
        id = str(self.id)

        type_ = self.type_.value

        timestamp = self.timestamp.isoformat()

        cursor = self.cursor

        data = self.data.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "type": type_,
            "timestamp": timestamp,
            "cursor": cursor,
            "data": data,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_data import EventData # noqa: PLC0415
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        type_ = EventType(d.pop("type"))




        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))




        cursor = d.pop("cursor")

        data = EventData.from_dict(d.pop("data"))




        event = cls(
            id=id,
            type_=type_,
            timestamp=timestamp,
            cursor=cursor,
            data=data,
        )

        return event

