from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="BodyServiceLevels")



@_attrs_define
class BodyServiceLevels:
    """ 
        Attributes:
            timezone (str | Unset):
            response_sla (str | Unset):
            review_sla (str | Unset):
            due_soon (str | Unset):
            escalate_after (str | Unset):
     """

    timezone: str | Unset = UNSET
    response_sla: str | Unset = UNSET
    review_sla: str | Unset = UNSET
    due_soon: str | Unset = UNSET
    escalate_after: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        timezone = self.timezone

        response_sla = self.response_sla

        review_sla = self.review_sla

        due_soon = self.due_soon

        escalate_after = self.escalate_after


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if response_sla is not UNSET:
            field_dict["response_sla"] = response_sla
        if review_sla is not UNSET:
            field_dict["review_sla"] = review_sla
        if due_soon is not UNSET:
            field_dict["due_soon"] = due_soon
        if escalate_after is not UNSET:
            field_dict["escalate_after"] = escalate_after

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        timezone = d.pop("timezone", UNSET)

        response_sla = d.pop("response_sla", UNSET)

        review_sla = d.pop("review_sla", UNSET)

        due_soon = d.pop("due_soon", UNSET)

        escalate_after = d.pop("escalate_after", UNSET)

        body_service_levels = cls(
            timezone=timezone,
            response_sla=response_sla,
            review_sla=review_sla,
            due_soon=due_soon,
            escalate_after=escalate_after,
        )

        return body_service_levels

