from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.body_create_webhook_endpoint_event_types_item import BodyCreateWebhookEndpointEventTypesItem
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="BodyCreateWebhookEndpoint")



@_attrs_define
class BodyCreateWebhookEndpoint:
    """ 
        Attributes:
            url (str):
            event_types (list[BodyCreateWebhookEndpointEventTypesItem] | Unset):
            description (str | Unset):
            enabled (bool | Unset):
     """

    url: str
    event_types: list[BodyCreateWebhookEndpointEventTypesItem] | Unset = UNSET
    description: str | Unset = UNSET
    enabled: bool | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        url = self.url

        event_types: list[str] | Unset = UNSET
        if not isinstance(self.event_types, Unset):
            event_types = []
            for event_types_item_data in self.event_types:
                event_types_item = event_types_item_data.value
                event_types.append(event_types_item)



        description = self.description

        enabled = self.enabled


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "url": url,
        })
        if event_types is not UNSET:
            field_dict["event_types"] = event_types
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        _event_types = d.pop("event_types", UNSET)
        event_types: list[BodyCreateWebhookEndpointEventTypesItem] | Unset = UNSET
        if _event_types is not UNSET:
            event_types = []
            for event_types_item_data in _event_types:
                event_types_item = BodyCreateWebhookEndpointEventTypesItem(event_types_item_data)



                event_types.append(event_types_item)


        description = d.pop("description", UNSET)

        enabled = d.pop("enabled", UNSET)

        body_create_webhook_endpoint = cls(
            url=url,
            event_types=event_types,
            description=description,
            enabled=enabled,
        )

        return body_create_webhook_endpoint

