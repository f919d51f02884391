from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.actor_side import ActorSide
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="Actor")



@_attrs_define
class Actor:
    """ 
        Attributes:
            organization_id (None | UUID):
            api_key_id (None | UUID):
            side (ActorSide):
     """

    organization_id: None | UUID
    api_key_id: None | UUID
    side: ActorSide





    def to_dict(self) -> dict[str, Any]:
        organization_id: None | str
        if isinstance(self.organization_id, UUID):
            organization_id = str(self.organization_id)
        else:
            organization_id = self.organization_id

        api_key_id: None | str
        if isinstance(self.api_key_id, UUID):
            api_key_id = str(self.api_key_id)
        else:
            api_key_id = self.api_key_id

        side = self.side.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "organization_id": organization_id,
            "api_key_id": api_key_id,
            "side": side,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_organization_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                organization_id_type_0 = UUID(data)



                return organization_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        organization_id = _parse_organization_id(d.pop("organization_id"))


        def _parse_api_key_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                api_key_id_type_0 = UUID(data)



                return api_key_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        api_key_id = _parse_api_key_id(d.pop("api_key_id"))


        side = ActorSide(d.pop("side"))




        actor = cls(
            organization_id=organization_id,
            api_key_id=api_key_id,
            side=side,
        )

        return actor

