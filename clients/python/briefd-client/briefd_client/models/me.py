from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.me_kind import MeKind
from ..models.me_role import MeRole
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.api_key import ApiKey
  from ..models.membership import Membership
  from ..models.notification_settings import NotificationSettings
  from ..models.organization import Organization
  from ..models.user import User





T = TypeVar("T", bound="Me")



@_attrs_define
class Me:
    """ 
        Attributes:
            kind (MeKind):
            organization (Organization):
            role (MeRole):
            user (User | Unset): A person.
            membership (Membership | Unset):
            api_key (ApiKey | Unset):
            notifications (NotificationSettings | Unset): How the person hears by email: one email per notification, a daily
                digest at 08:00 in their time zone, or none.
     """

    kind: MeKind
    organization: Organization
    role: MeRole
    user: User | Unset = UNSET
    membership: Membership | Unset = UNSET
    api_key: ApiKey | Unset = UNSET
    notifications: NotificationSettings | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.api_key import ApiKey # noqa: PLC0415
        from ..models.membership import Membership # noqa: PLC0415
        from ..models.notification_settings import NotificationSettings # noqa: PLC0415
        from ..models.organization import Organization # noqa: PLC0415
        from ..models.user import User # noqa: PLC0415
        kind = self.kind.value

        organization = self.organization.to_dict()

        role = self.role.value

        user: dict[str, Any] | Unset = UNSET
        if not isinstance(self.user, Unset):
            user = self.user.to_dict()

        membership: dict[str, Any] | Unset = UNSET
        if not isinstance(self.membership, Unset):
            membership = self.membership.to_dict()

        api_key: dict[str, Any] | Unset = UNSET
        if not isinstance(self.api_key, Unset):
            api_key = self.api_key.to_dict()

        notifications: dict[str, Any] | Unset = UNSET
        if not isinstance(self.notifications, Unset):
            notifications = self.notifications.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "kind": kind,
            "organization": organization,
            "role": role,
        })
        if user is not UNSET:
            field_dict["user"] = user
        if membership is not UNSET:
            field_dict["membership"] = membership
        if api_key is not UNSET:
            field_dict["api_key"] = api_key
        if notifications is not UNSET:
            field_dict["notifications"] = notifications

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_key import ApiKey # noqa: PLC0415
        from ..models.membership import Membership # noqa: PLC0415
        from ..models.notification_settings import NotificationSettings # noqa: PLC0415
        from ..models.organization import Organization # noqa: PLC0415
        from ..models.user import User # noqa: PLC0415
        d = dict(src_dict)
        kind = MeKind(d.pop("kind"))




        organization = Organization.from_dict(d.pop("organization"))




        role = MeRole(d.pop("role"))




        _user = d.pop("user", UNSET)
        user: User | Unset
        if isinstance(_user,  Unset):
            user = UNSET
        else:
            user = User.from_dict(_user)




        _membership = d.pop("membership", UNSET)
        membership: Membership | Unset
        if isinstance(_membership,  Unset):
            membership = UNSET
        else:
            membership = Membership.from_dict(_membership)




        _api_key = d.pop("api_key", UNSET)
        api_key: ApiKey | Unset
        if isinstance(_api_key,  Unset):
            api_key = UNSET
        else:
            api_key = ApiKey.from_dict(_api_key)




        _notifications = d.pop("notifications", UNSET)
        notifications: NotificationSettings | Unset
        if isinstance(_notifications,  Unset):
            notifications = UNSET
        else:
            notifications = NotificationSettings.from_dict(_notifications)




        me = cls(
            kind=kind,
            organization=organization,
            role=role,
            user=user,
            membership=membership,
            api_key=api_key,
            notifications=notifications,
        )

        return me

