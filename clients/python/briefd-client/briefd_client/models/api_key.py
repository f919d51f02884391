from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.api_key_role import ApiKeyRole
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="ApiKey")



@_attrs_define
class ApiKey:
    """ 
        Attributes:
            id (UUID):
            name (str):
            role (ApiKeyRole):
            created_at (datetime.datetime):
            revoked_at (datetime.datetime | None):
            token (str | Unset): Only in the response that creates the key.
     """

    id: UUID
    name: str
    role: ApiKeyRole
    created_at: datetime.datetime
    revoked_at: datetime.datetime | None
    token: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        role = self.role.value

        created_at = self.created_at.isoformat()

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        token = self.token


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "name": name,
            "role": role,
            "created_at": created_at,
            "revoked_at": revoked_at,
        })
        if token is not UNSET:
            field_dict["token"] = token

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        name = d.pop("name")

        role = ApiKeyRole(d.pop("role"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)



                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))


        token = d.pop("token", UNSET)

        api_key = cls(
            id=id,
            name=name,
            role=role,
            created_at=created_at,
            revoked_at=revoked_at,
            token=token,
        )

        return api_key

