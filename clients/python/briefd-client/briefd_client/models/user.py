from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.user_locale import UserLocale
from typing import cast
from uuid import UUID
import datetime






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
     """

    id: UUID
    email: str
    name: str
    locale: UserLocale
    time_zone: str
    created_at: datetime.datetime





    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        email = self.email

        name = self.name

        locale = self.locale.value

        time_zone = self.time_zone

        created_at = self.created_at.isoformat()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "email": email,
            "name": name,
            "locale": locale,
            "time_zone": time_zone,
            "created_at": created_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        email = d.pop("email")

        name = d.pop("name")

        locale = UserLocale(d.pop("locale"))




        time_zone = d.pop("time_zone")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        user = cls(
            id=id,
            email=email,
            name=name,
            locale=locale,
            time_zone=time_zone,
            created_at=created_at,
        )

        return user

