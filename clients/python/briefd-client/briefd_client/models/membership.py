from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.membership_role import MembershipRole
from typing import cast

if TYPE_CHECKING:
  from ..models.membership_organization import MembershipOrganization





T = TypeVar("T", bound="Membership")



@_attrs_define
class Membership:
    """ 
        Attributes:
            organization (MembershipOrganization):
            role (MembershipRole):
     """

    organization: MembershipOrganization
    role: MembershipRole





    def to_dict(self) -> dict[str, Any]:
        from ..models.membership_organization import MembershipOrganization # noqa: PLC0415
        organization = self.organization.to_dict()

        role = self.role.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "organization": organization,
            "role": role,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.membership_organization import MembershipOrganization # noqa: PLC0415
        d = dict(src_dict)
        organization = MembershipOrganization.from_dict(d.pop("organization"))




        role = MembershipRole(d.pop("role"))




        membership = cls(
            organization=organization,
            role=role,
        )

        return membership

