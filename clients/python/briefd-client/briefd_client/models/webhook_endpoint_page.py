from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.webhook_endpoint import WebhookEndpoint





T = TypeVar("T", bound="WebhookEndpointPage")



@_attrs_define
class WebhookEndpointPage:
    """ 
        Attributes:
            data (list[WebhookEndpoint]):
            has_more (bool):
     """

    data: list[WebhookEndpoint]
    has_more: bool





    def to_dict(self) -> dict[str, Any]:
        from ..models.webhook_endpoint import WebhookEndpoint # noqa: PLC0415
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)



        has_more = self.has_more


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "data": data,
            "has_more": has_more,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_endpoint import WebhookEndpoint # noqa: PLC0415
        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in (_data):
            data_item = WebhookEndpoint.from_dict(data_item_data)



            data.append(data_item)


        has_more = d.pop("has_more")

        webhook_endpoint_page = cls(
            data=data,
            has_more=has_more,
        )

        return webhook_endpoint_page

