from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.notification_settings import NotificationSettings





T = TypeVar("T", bound="Unsubscribed")



@_attrs_define
class Unsubscribed:
    """ 
        Attributes:
            notifications (NotificationSettings): How the person hears by email: one email per notification, a daily digest
                at 08:00 in their time zone, or none.
     """

    notifications: NotificationSettings





    def to_dict(self) -> dict[str, Any]:
        from ..models.notification_settings import NotificationSettings # noqa: PLC0415
        notifications = self.notifications.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "notifications": notifications,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.notification_settings import NotificationSettings # noqa: PLC0415
        d = dict(src_dict)
        notifications = NotificationSettings.from_dict(d.pop("notifications"))




        unsubscribed = cls(
            notifications=notifications,
        )

        return unsubscribed

