from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.body_update_me_notifications_email import BodyUpdateMeNotificationsEmail






T = TypeVar("T", bound="BodyUpdateMeNotifications")



@_attrs_define
class BodyUpdateMeNotifications:
    """ 
        Attributes:
            email (BodyUpdateMeNotificationsEmail):
     """

    email: BodyUpdateMeNotificationsEmail





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
        email = BodyUpdateMeNotificationsEmail(d.pop("email"))




        body_update_me_notifications = cls(
            email=email,
        )

        return body_update_me_notifications

