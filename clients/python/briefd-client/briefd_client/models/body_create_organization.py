from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.body_create_organization_admin_locale import BodyCreateOrganizationAdminLocale
from ..models.body_create_organization_kind import BodyCreateOrganizationKind
from ..types import UNSET, Unset






T = TypeVar("T", bound="BodyCreateOrganization")



@_attrs_define
class BodyCreateOrganization:
    """ 
        Attributes:
            name (str):
            kind (BodyCreateOrganizationKind):
            admin_email (str | Unset):
            admin_locale (BodyCreateOrganizationAdminLocale | Unset): The language of the first admin's invitation email
                (with admin_email; en when absent). Their own choice wins once they have an account.
     """

    name: str
    kind: BodyCreateOrganizationKind
    admin_email: str | Unset = UNSET
    admin_locale: BodyCreateOrganizationAdminLocale | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        kind = self.kind.value

        admin_email = self.admin_email

        admin_locale: str | Unset = UNSET
        if not isinstance(self.admin_locale, Unset):
            admin_locale = self.admin_locale.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "kind": kind,
        })
        if admin_email is not UNSET:
            field_dict["admin_email"] = admin_email
        if admin_locale is not UNSET:
            field_dict["admin_locale"] = admin_locale

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        kind = BodyCreateOrganizationKind(d.pop("kind"))




        admin_email = d.pop("admin_email", UNSET)

        _admin_locale = d.pop("admin_locale", UNSET)
        admin_locale: BodyCreateOrganizationAdminLocale | Unset
        if isinstance(_admin_locale,  Unset):
            admin_locale = UNSET
        else:
            admin_locale = BodyCreateOrganizationAdminLocale(_admin_locale)




        body_create_organization = cls(
            name=name,
            kind=kind,
            admin_email=admin_email,
            admin_locale=admin_locale,
        )

        return body_create_organization

