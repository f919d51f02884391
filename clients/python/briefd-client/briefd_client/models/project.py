from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.project_state import ProjectState
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.project_kpi_results_type_0 import ProjectKpiResultsType0
  from ..models.project_outcome_type_0 import ProjectOutcomeType0
  from ..models.strategy import Strategy
  from ..models.task import Task





T = TypeVar("T", bound="Project")



@_attrs_define
class Project:
    """ 
        Attributes:
            id (UUID):
            brand_id (UUID):
            title (str):
            state (ProjectState):
            version (int):
            strategy (Strategy):
            tasks (list[Task]): All tasks for the brand; an agency's own tasks only.
            kpi_results (None | ProjectKpiResultsType0): The brand's measured results; null for an agency (the brand's
                economics).
            outcome (None | ProjectOutcomeType0): Computed at close; null before, and for an agency.
            cancel_reason (None | str):
            allowed_actions (list[str]):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
     """

    id: UUID
    brand_id: UUID
    title: str
    state: ProjectState
    version: int
    strategy: Strategy
    tasks: list[Task]
    kpi_results: None | ProjectKpiResultsType0
    outcome: None | ProjectOutcomeType0
    cancel_reason: None | str
    allowed_actions: list[str]
    created_at: datetime.datetime
    updated_at: datetime.datetime





    def to_dict(self) -> dict[str, Any]:
        from ..models.project_kpi_results_type_0 import ProjectKpiResultsType0 # noqa: PLC0415
        from ..models.project_outcome_type_0 import ProjectOutcomeType0 # noqa: PLC0415
        from ..models.strategy import Strategy # noqa: PLC0415
        from ..models.task import Task # noqa: PLC0415
        id = str(self.id)

        brand_id = str(self.brand_id)

        title = self.title

        state = self.state.value

        version = self.version

        strategy = self.strategy.to_dict()

        tasks = []
        for tasks_item_data in self.tasks:
            tasks_item = tasks_item_data.to_dict()
            tasks.append(tasks_item)



        kpi_results: dict[str, Any] | None
        if isinstance(self.kpi_results, ProjectKpiResultsType0):
            kpi_results = self.kpi_results.to_dict()
        else:
            kpi_results = self.kpi_results

        outcome: dict[str, Any] | None
        if isinstance(self.outcome, ProjectOutcomeType0):
            outcome = self.outcome.to_dict()
        else:
            outcome = self.outcome

        cancel_reason: None | str
        cancel_reason = self.cancel_reason

        allowed_actions = self.allowed_actions



        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "brand_id": brand_id,
            "title": title,
            "state": state,
            "version": version,
            "strategy": strategy,
            "tasks": tasks,
            "kpi_results": kpi_results,
            "outcome": outcome,
            "cancel_reason": cancel_reason,
            "allowed_actions": allowed_actions,
            "created_at": created_at,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.project_kpi_results_type_0 import ProjectKpiResultsType0 # noqa: PLC0415
        from ..models.project_outcome_type_0 import ProjectOutcomeType0 # noqa: PLC0415
        from ..models.strategy import Strategy # noqa: PLC0415
        from ..models.task import Task # noqa: PLC0415
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        brand_id = UUID(d.pop("brand_id"))




        title = d.pop("title")

        state = ProjectState(d.pop("state"))




        version = d.pop("version")

        strategy = Strategy.from_dict(d.pop("strategy"))




        tasks = []
        _tasks = d.pop("tasks")
        for tasks_item_data in (_tasks):
            tasks_item = Task.from_dict(tasks_item_data)



            tasks.append(tasks_item)


        def _parse_kpi_results(data: object) -> None | ProjectKpiResultsType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                kpi_results_type_0 = ProjectKpiResultsType0.from_dict(data)



                return kpi_results_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProjectKpiResultsType0, data)

        kpi_results = _parse_kpi_results(d.pop("kpi_results"))


        def _parse_outcome(data: object) -> None | ProjectOutcomeType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                outcome_type_0 = ProjectOutcomeType0.from_dict(data)



                return outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProjectOutcomeType0, data)

        outcome = _parse_outcome(d.pop("outcome"))


        def _parse_cancel_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cancel_reason = _parse_cancel_reason(d.pop("cancel_reason"))


        allowed_actions = cast(list[str], d.pop("allowed_actions"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        project = cls(
            id=id,
            brand_id=brand_id,
            title=title,
            state=state,
            version=version,
            strategy=strategy,
            tasks=tasks,
            kpi_results=kpi_results,
            outcome=outcome,
            cancel_reason=cancel_reason,
            allowed_actions=allowed_actions,
            created_at=created_at,
            updated_at=updated_at,
        )

        return project

