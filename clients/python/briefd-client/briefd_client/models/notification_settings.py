from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.notification_settings_email import NotificationSettingsEmail






T = TypeVar("T", bound="NotificationSettings")



@_attrs_define
class NotificationSettings:
    """ How the person hears by email: one email per notification, a daily digest at 08:00 in their time zone, or none.

        Attributes:
            email (NotificationSettingsEmail):
     """

    email: NotificationSettingsEmail





    def to_dict(self) -> dict[str, Any]:
        email = self.email.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "email": email,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = NotificationSettingsEmail(d.pop("email"))




        notification_settings = cls(
            email=email,
        )

        return notification_settings

