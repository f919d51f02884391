from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.api_key import ApiKey
  from ..models.invitation import Invitation
  from ..models.organization import Organization





T = TypeVar("T", bound="OrganizationCreated")



@_attrs_define
class OrganizationCreated:
    """ 
        Attributes:
            organization (Organization):
            api_key (ApiKey):
            invitation (Invitation | Unset):
     """

    organization: Organization
    api_key: ApiKey
    invitation: Invitation | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.api_key import ApiKey # noqa: PLC0415
        from ..models.invitation import Invitation # noqa: PLC0415
        from ..models.organization import Organization # noqa: PLC0415
        organization = self.organization.to_dict()

        api_key = self.api_key.to_dict()

        invitation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.invitation, Unset):
            invitation = self.invitation.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "organization": organization,
            "api_key": api_key,
        })
        if invitation is not UNSET:
            field_dict["invitation"] = invitation

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_key import ApiKey # noqa: PLC0415
        from ..models.invitation import Invitation # noqa: PLC0415
        from ..models.organization import Organization # noqa: PLC0415
        d = dict(src_dict)
        organization = Organization.from_dict(d.pop("organization"))




        api_key = ApiKey.from_dict(d.pop("api_key"))




        _invitation = d.pop("invitation", UNSET)
        invitation: Invitation | Unset
        if isinstance(_invitation,  Unset):
            invitation = UNSET
        else:
            invitation = Invitation.from_dict(_invitation)




        organization_created = cls(
            organization=organization,
            api_key=api_key,
            invitation=invitation,
        )

        return organization_created

