from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from typing import Literal, cast
import datetime

if TYPE_CHECKING:
  from ..models.event_data import EventData





T = TypeVar("T", bound="WebhookPayloadTaskAccepted")



@_attrs_define
class WebhookPayloadTaskAccepted:
    """ 
        Attributes:
            type_ (Literal['task.accepted']):
            timestamp (datetime.datetime):
            data (EventData): For project events; webhook_endpoint.disabled carries endpoint_id and reason instead (not the
                URL).
     """

    type_: Literal['task.accepted']
    timestamp: datetime.datetime
    data: EventData





    def to_dict(self) -> dict[str, Any]:
        from ..models.event_data import EventData # noqa: PLC0415
        type_ = self.type_

        timestamp = self.timestamp.isoformat()

        data = self.data.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "type": type_,
            "timestamp": timestamp,
            "data": data,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_data import EventData # noqa: PLC0415
        d = dict(src_dict)
        type_ = cast(Literal['task.accepted'] , d.pop("type"))
        if type_ != 'task.accepted':
            raise ValueError(f"type must match const 'task.accepted', got '{type_}'")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))




        data = EventData.from_dict(d.pop("data"))




        webhook_payload_task_accepted = cls(
            type_=type_,
            timestamp=timestamp,
            data=data,
        )

        return webhook_payload_task_accepted

