from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.problem_code import ProblemCode
from ..models.problem_state_type_1 import ProblemStateType1
from ..models.problem_state_type_2_type_1 import ProblemStateType2Type1
from ..models.problem_state_type_3_type_1 import ProblemStateType3Type1
from ..models.problem_task_state import ProblemTaskState
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.problem_errors_item import ProblemErrorsItem





T = TypeVar("T", bound="Problem")



@_attrs_define
class Problem:
    """ RFC 9457 problem details with a stable code.

        Attributes:
            type_ (str):
            title (str):
            status (int):
            detail (str):
            code (ProblemCode):
            state (None | ProblemStateType1 | ProblemStateType2Type1 | ProblemStateType3Type1 | Unset):
            task_state (ProblemTaskState | Unset):
            allowed_actions (list[str] | Unset):
            current_version (int | Unset):
            errors (list[ProblemErrorsItem] | Unset):
     """

    type_: str
    title: str
    status: int
    detail: str
    code: ProblemCode
    state: None | ProblemStateType1 | ProblemStateType2Type1 | ProblemStateType3Type1 | Unset = UNSET
    task_state: ProblemTaskState | Unset = UNSET
    allowed_actions: list[str] | Unset = UNSET
    current_version: int | Unset = UNSET
    errors: list[ProblemErrorsItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.problem_errors_item import ProblemErrorsItem # noqa: PLC0415
        type_ = self.type_

        title = self.title

        status = self.status

        detail = self.detail

        code = self.code.value

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        elif isinstance(self.state, ProblemStateType1):
            state = self.state.value
        elif isinstance(self.state, ProblemStateType2Type1):
            state = self.state.value
        elif isinstance(self.state, ProblemStateType3Type1):
            state = self.state.value
        else:
            state = self.state

        task_state: str | Unset = UNSET
        if not isinstance(self.task_state, Unset):
            task_state = self.task_state.value


        allowed_actions: list[str] | Unset = UNSET
        if not isinstance(self.allowed_actions, Unset):
            allowed_actions = self.allowed_actions



        current_version = self.current_version

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
            "title": title,
            "status": status,
            "detail": detail,
            "code": code,
        })
        if state is not UNSET:
            field_dict["state"] = state
        if task_state is not UNSET:
            field_dict["task_state"] = task_state
        if allowed_actions is not UNSET:
            field_dict["allowed_actions"] = allowed_actions
        if current_version is not UNSET:
            field_dict["current_version"] = current_version
        if errors is not UNSET:
            field_dict["errors"] = errors

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.problem_errors_item import ProblemErrorsItem # noqa: PLC0415
        d = dict(src_dict)
        type_ = d.pop("type")

        title = d.pop("title")

        status = d.pop("status")

        detail = d.pop("detail")

        code = ProblemCode(d.pop("code"))




        def _parse_state(data: object) -> None | ProblemStateType1 | ProblemStateType2Type1 | ProblemStateType3Type1 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                state_type_1 = ProblemStateType1(data)



                return state_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                state_type_2_type_1 = ProblemStateType2Type1(data)



                return state_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                state_type_3_type_1 = ProblemStateType3Type1(data)



                return state_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProblemStateType1 | ProblemStateType2Type1 | ProblemStateType3Type1 | Unset, data)

        state = _parse_state(d.pop("state", UNSET))


        _task_state = d.pop("task_state", UNSET)
        task_state: ProblemTaskState | Unset
        if isinstance(_task_state,  Unset):
            task_state = UNSET
        else:
            task_state = ProblemTaskState(_task_state)




        allowed_actions = cast(list[str], d.pop("allowed_actions", UNSET))


        current_version = d.pop("current_version", UNSET)

        _errors = d.pop("errors", UNSET)
        errors: list[ProblemErrorsItem] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = ProblemErrorsItem.from_dict(errors_item_data)



                errors.append(errors_item)


        problem = cls(
            type_=type_,
            title=title,
            status=status,
            detail=detail,
            code=code,
            state=state,
            task_state=task_state,
            allowed_actions=allowed_actions,
            current_version=current_version,
            errors=errors,
        )


        problem.additional_properties = d
        return problem

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
