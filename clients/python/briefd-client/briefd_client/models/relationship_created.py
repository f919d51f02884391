from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.invitation import Invitation
  from ..models.relationship import Relationship





T = TypeVar("T", bound="RelationshipCreated")



@_attrs_define
class RelationshipCreated:
    """ A relationship for an agency of briefd; an invitation for one that is not in briefd yet.

        Attributes:
            relationship (Relationship | Unset):
            invitation (Invitation | Unset):
     """

    relationship: Relationship | Unset = UNSET
    invitation: Invitation | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.invitation import Invitation # noqa: PLC0415
        from ..models.relationship import Relationship # noqa: PLC0415
        relationship: dict[str, Any] | Unset = UNSET
        if not isinstance(self.relationship, Unset):
            relationship = self.relationship.to_dict()

        invitation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.invitation, Unset):
            invitation = self.invitation.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if relationship is not UNSET:
            field_dict["relationship"] = relationship
        if invitation is not UNSET:
            field_dict["invitation"] = invitation

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invitation import Invitation # noqa: PLC0415
        from ..models.relationship import Relationship # noqa: PLC0415
        d = dict(src_dict)
        _relationship = d.pop("relationship", UNSET)
        relationship: Relationship | Unset
        if isinstance(_relationship,  Unset):
            relationship = UNSET
        else:
            relationship = Relationship.from_dict(_relationship)




        _invitation = d.pop("invitation", UNSET)
        invitation: Invitation | Unset
        if isinstance(_invitation,  Unset):
            invitation = UNSET
        else:
            invitation = Invitation.from_dict(_invitation)




        relationship_created = cls(
            relationship=relationship,
            invitation=invitation,
        )

        return relationship_created

