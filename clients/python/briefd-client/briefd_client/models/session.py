from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.membership import Membership
  from ..models.session_session import SessionSession
  from ..models.user import User





T = TypeVar("T", bound="Session")



@_attrs_define
class Session:
    """ A person signed in, as one membership.

        Attributes:
            session (SessionSession):
            user (User): A person.
            membership (Membership):
     """

    session: SessionSession
    user: User
    membership: Membership





    def to_dict(self) -> dict[str, Any]:
        from ..models.membership import Membership # noqa: PLC0415
        from ..models.session_session import SessionSession # noqa: PLC0415
        from ..models.user import User # noqa: PLC0415
        session = self.session.to_dict()

        user = self.user.to_dict()

        membership = self.membership.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "session": session,
            "user": user,
            "membership": membership,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.membership import Membership # noqa: PLC0415
        from ..models.session_session import SessionSession # noqa: PLC0415
        from ..models.user import User # noqa: PLC0415
        d = dict(src_dict)
        session = SessionSession.from_dict(d.pop("session"))




        user = User.from_dict(d.pop("user"))




        membership = Membership.from_dict(d.pop("membership"))




        session = cls(
            session=session,
            user=user,
            membership=membership,
        )

        return session

