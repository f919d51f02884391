from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.invitation_role import InvitationRole
from ..models.invitation_state import InvitationState
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.invitation_organization import InvitationOrganization





T = TypeVar("T", bound="Invitation")



@_attrs_define
class Invitation:
    """ 
        Attributes:
            id (UUID):
            email (str):
            role (InvitationRole):
            organization (InvitationOrganization):
            state (InvitationState):
            created_at (datetime.datetime):
            expires_at (datetime.datetime):
            accepted_at (datetime.datetime | None):
            revoked_at (datetime.datetime | None):
            agency_name (str | Unset):
            accept_url (str | Unset): Only in the answer that creates it: <public URL>/console/invitations/<token>.
     """

    id: UUID
    email: str
    role: InvitationRole
    organization: InvitationOrganization
    state: InvitationState
    created_at: datetime.datetime
    expires_at: datetime.datetime
    accepted_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    agency_name: str | Unset = UNSET
    accept_url: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.invitation_organization import InvitationOrganization # noqa: PLC0415
        id = str(self.id)

        email = self.email

        role = self.role.value

        organization = self.organization.to_dict()

        state = self.state.value

        created_at = self.created_at.isoformat()

        expires_at = self.expires_at.isoformat()

        accepted_at: None | str
        if isinstance(self.accepted_at, datetime.datetime):
            accepted_at = self.accepted_at.isoformat()
        else:
            accepted_at = self.accepted_at

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        agency_name = self.agency_name

        accept_url = self.accept_url


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "email": email,
            "role": role,
            "organization": organization,
            "state": state,
            "created_at": created_at,
            "expires_at": expires_at,
            "accepted_at": accepted_at,
            "revoked_at": revoked_at,
        })
        if agency_name is not UNSET:
            field_dict["agency_name"] = agency_name
        if accept_url is not UNSET:
            field_dict["accept_url"] = accept_url

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invitation_organization import InvitationOrganization # noqa: PLC0415
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        email = d.pop("email")

        role = InvitationRole(d.pop("role"))




        organization = InvitationOrganization.from_dict(d.pop("organization"))




        state = InvitationState(d.pop("state"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))




        def _parse_accepted_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                accepted_at_type_0 = datetime.datetime.fromisoformat(data)



                return accepted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        accepted_at = _parse_accepted_at(d.pop("accepted_at"))


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


        agency_name = d.pop("agency_name", UNSET)

        accept_url = d.pop("accept_url", UNSET)

        invitation = cls(
            id=id,
            email=email,
            role=role,
            organization=organization,
            state=state,
            created_at=created_at,
            expires_at=expires_at,
            accepted_at=accepted_at,
            revoked_at=revoked_at,
            agency_name=agency_name,
            accept_url=accept_url,
        )

        return invitation

