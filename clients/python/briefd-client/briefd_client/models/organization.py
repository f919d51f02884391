from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.organization_kind import OrganizationKind
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Organization")



@_attrs_define
class Organization:
    """ 
        Attributes:
            id (UUID):
            name (str):
            kind (OrganizationKind):
            created_at (datetime.datetime):
            timezone (str): IANA time zone; a due_date means the end of that day here.
            response_sla (str): How long an agency has to accept or decline an issued task (ISO 8601 duration)
            review_sla (str): How long the brand has to review a delivery (ISO 8601 duration)
            due_soon (str): Lead time of the reminder before due_at (ISO 8601 duration)
            escalate_after (str): Time past due_at, without a delivery, before escalation (ISO 8601 duration)
     """

    id: UUID
    name: str
    kind: OrganizationKind
    created_at: datetime.datetime
    timezone: str
    response_sla: str
    review_sla: str
    due_soon: str
    escalate_after: str





    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        kind = self.kind.value

        created_at = self.created_at.isoformat()

        timezone = self.timezone

        response_sla = self.response_sla

        review_sla = self.review_sla

        due_soon = self.due_soon

        escalate_after = self.escalate_after


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "name": name,
            "kind": kind,
            "created_at": created_at,
            "timezone": timezone,
            "response_sla": response_sla,
            "review_sla": review_sla,
            "due_soon": due_soon,
            "escalate_after": escalate_after,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        name = d.pop("name")

        kind = OrganizationKind(d.pop("kind"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        timezone = d.pop("timezone")

        response_sla = d.pop("response_sla")

        review_sla = d.pop("review_sla")

        due_soon = d.pop("due_soon")

        escalate_after = d.pop("escalate_after")

        organization = cls(
            id=id,
            name=name,
            kind=kind,
            created_at=created_at,
            timezone=timezone,
            response_sla=response_sla,
            review_sla=review_sla,
            due_soon=due_soon,
            escalate_after=escalate_after,
        )

        return organization

