from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.body_update_me_locale import BodyUpdateMeLocale
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.body_update_me_notifications import BodyUpdateMeNotifications





T = TypeVar("T", bound="BodyUpdateMe")



@_attrs_define
class BodyUpdateMe:
    """ 
        Attributes:
            name (str | Unset):
            locale (BodyUpdateMeLocale | Unset):
            time_zone (str | Unset):
            password (str | Unset):
            current_password (str | Unset):
            notifications (BodyUpdateMeNotifications | Unset):
     """

    name: str | Unset = UNSET
    locale: BodyUpdateMeLocale | Unset = UNSET
    time_zone: str | Unset = UNSET
    password: str | Unset = UNSET
    current_password: str | Unset = UNSET
    notifications: BodyUpdateMeNotifications | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.body_update_me_notifications import BodyUpdateMeNotifications # noqa: PLC0415
        name = self.name

        locale: str | Unset = UNSET
        if not isinstance(self.locale, Unset):
            locale = self.locale.value


        time_zone = self.time_zone

        password = self.password

        current_password = self.current_password

        notifications: dict[str, Any] | Unset = UNSET
        if not isinstance(self.notifications, Unset):
            notifications = self.notifications.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if locale is not UNSET:
            field_dict["locale"] = locale
        if time_zone is not UNSET:
            field_dict["time_zone"] = time_zone
        if password is not UNSET:
            field_dict["password"] = password
        if current_password is not UNSET:
            field_dict["current_password"] = current_password
        if notifications is not UNSET:
            field_dict["notifications"] = notifications

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.body_update_me_notifications import BodyUpdateMeNotifications # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        _locale = d.pop("locale", UNSET)
        locale: BodyUpdateMeLocale | Unset
        if isinstance(_locale,  Unset):
            locale = UNSET
        else:
            locale = BodyUpdateMeLocale(_locale)




        time_zone = d.pop("time_zone", UNSET)

        password = d.pop("password", UNSET)

        current_password = d.pop("current_password", UNSET)

        _notifications = d.pop("notifications", UNSET)
        notifications: BodyUpdateMeNotifications | Unset
        if isinstance(_notifications,  Unset):
            notifications = UNSET
        else:
            notifications = BodyUpdateMeNotifications.from_dict(_notifications)




        body_update_me = cls(
            name=name,
            locale=locale,
            time_zone=time_zone,
            password=password,
            current_password=current_password,
            notifications=notifications,
        )

        return body_update_me

