from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="WorkflowActionsItem")



@_attrs_define
class WorkflowActionsItem:
    """ 
        Attributes:
            name (str | Unset):
            scope (str | Unset):
            who (str | Unset):
            from_ (list[str] | Unset):
            to (None | str | Unset):
            task_from (list[str] | Unset):
            task_to (None | str | Unset):
            event_type (str | Unset):
            guard (None | str | Unset):
            automatic (bool | Unset):
     """

    name: str | Unset = UNSET
    scope: str | Unset = UNSET
    who: str | Unset = UNSET
    from_: list[str] | Unset = UNSET
    to: None | str | Unset = UNSET
    task_from: list[str] | Unset = UNSET
    task_to: None | str | Unset = UNSET
    event_type: str | Unset = UNSET
    guard: None | str | Unset = UNSET
    automatic: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        scope = self.scope

        who = self.who

        from_: list[str] | Unset = UNSET
        if not isinstance(self.from_, Unset):
            from_ = self.from_



        to: None | str | Unset
        if isinstance(self.to, Unset):
            to = UNSET
        else:
            to = self.to

        task_from: list[str] | Unset = UNSET
        if not isinstance(self.task_from, Unset):
            task_from = self.task_from



        task_to: None | str | Unset
        if isinstance(self.task_to, Unset):
            task_to = UNSET
        else:
            task_to = self.task_to

        event_type = self.event_type

        guard: None | str | Unset
        if isinstance(self.guard, Unset):
            guard = UNSET
        else:
            guard = self.guard

        automatic = self.automatic


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if scope is not UNSET:
            field_dict["scope"] = scope
        if who is not UNSET:
            field_dict["who"] = who
        if from_ is not UNSET:
            field_dict["from"] = from_
        if to is not UNSET:
            field_dict["to"] = to
        if task_from is not UNSET:
            field_dict["task_from"] = task_from
        if task_to is not UNSET:
            field_dict["task_to"] = task_to
        if event_type is not UNSET:
            field_dict["event_type"] = event_type
        if guard is not UNSET:
            field_dict["guard"] = guard
        if automatic is not UNSET:
            field_dict["automatic"] = automatic

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        scope = d.pop("scope", UNSET)

        who = d.pop("who", UNSET)

        from_ = cast(list[str], d.pop("from", UNSET))


        def _parse_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to = _parse_to(d.pop("to", UNSET))


        task_from = cast(list[str], d.pop("task_from", UNSET))


        def _parse_task_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        task_to = _parse_task_to(d.pop("task_to", UNSET))


        event_type = d.pop("event_type", UNSET)

        def _parse_guard(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        guard = _parse_guard(d.pop("guard", UNSET))


        automatic = d.pop("automatic", UNSET)

        workflow_actions_item = cls(
            name=name,
            scope=scope,
            who=who,
            from_=from_,
            to=to,
            task_from=task_from,
            task_to=task_to,
            event_type=event_type,
            guard=guard,
            automatic=automatic,
        )


        workflow_actions_item.additional_properties = d
        return workflow_actions_item

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
