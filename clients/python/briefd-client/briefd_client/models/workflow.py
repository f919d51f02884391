from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.workflow_actions_item import WorkflowActionsItem





T = TypeVar("T", bound="Workflow")



@_attrs_define
class Workflow:
    """ 
        Attributes:
            project_states (list[str]):
            task_states (list[str]):
            terminal_states (list[str]):
            actions (list[WorkflowActionsItem]):
     """

    project_states: list[str]
    task_states: list[str]
    terminal_states: list[str]
    actions: list[WorkflowActionsItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.workflow_actions_item import WorkflowActionsItem # noqa: PLC0415
        project_states = self.project_states



        task_states = self.task_states



        terminal_states = self.terminal_states



        actions = []
        for actions_item_data in self.actions:
            actions_item = actions_item_data.to_dict()
            actions.append(actions_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "project_states": project_states,
            "task_states": task_states,
            "terminal_states": terminal_states,
            "actions": actions,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.workflow_actions_item import WorkflowActionsItem # noqa: PLC0415
        d = dict(src_dict)
        project_states = cast(list[str], d.pop("project_states"))


        task_states = cast(list[str], d.pop("task_states"))


        terminal_states = cast(list[str], d.pop("terminal_states"))


        actions = []
        _actions = d.pop("actions")
        for actions_item_data in (_actions):
            actions_item = WorkflowActionsItem.from_dict(actions_item_data)



            actions.append(actions_item)


        workflow = cls(
            project_states=project_states,
            task_states=task_states,
            terminal_states=terminal_states,
            actions=actions,
        )


        workflow.additional_properties = d
        return workflow

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
