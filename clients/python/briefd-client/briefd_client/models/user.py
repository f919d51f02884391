from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.user_locale import UserLocale
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.notification_settings import NotificationSettings





T = TypeVar("T", bound="User")



@_attrs_define
class User:
    """ A person.

        Attributes:
            id (UUID):
            email (str):
            name (str):
            locale (UserLocale):
            time_zone (str):
            created_at (datetime.datetime):
            notifications (NotificationSettings | Unset): How the person hears by email: one email per notification, a daily
                digest at 08:00 in their time zone, or none.
     """

    id: UUID
    email: str
    name: str
    locale: UserLocale
    time_zone: str
    created_at: datetime.datetime
    notifications: NotificationSettings | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.notification_settings import NotificationSettings # noqa: PLC0415
        id = str(self.id)

        email = self.email

        name = self.name

        locale = self.locale.value

        time_zone = self.time_zone

        created_at = self.created_at.isoformat()

        notifications: dict[str, Any] | Unset = UNSET
        if not isinstance(self.notifications, Unset):
            notifications = self.notifications.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "email": email,
            "name": name,
            "locale": locale,
            "time_zone": time_zone,
            "created_at": created_at,
        })
        if notifications is not UNSET:
            field_dict["notifications"] = notifications

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.notification_settings import NotificationSettings # noqa: PLC0415
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        email = d.pop("email")

        name = d.pop("name")

        locale = UserLocale(d.pop("locale"))




        time_zone = d.pop("time_zone")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        _notifications = d.pop("notifications", UNSET)
        notifications: NotificationSettings | Unset
        if isinstance(_notifications,  Unset):
            notifications = UNSET
        else:
            notifications = NotificationSettings.from_dict(_notifications)




        user = cls(
            id=id,
            email=email,
            name=name,
            locale=locale,
            time_zone=time_zone,
            created_at=created_at,
            notifications=notifications,
        )

        return user

