from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.strategy import Strategy





T = TypeVar("T", bound="BodyUpdateStrategy")



@_attrs_define
class BodyUpdateStrategy:
    """ 
        Attributes:
            strategy (Strategy):
     """

    strategy: Strategy





    def to_dict(self) -> dict[str, Any]:
        from ..models.strategy import Strategy # noqa: PLC0415
        strategy = self.strategy.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "strategy": strategy,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.strategy import Strategy # noqa: PLC0415
        d = dict(src_dict)
        strategy = Strategy.from_dict(d.pop("strategy"))




        body_update_strategy = cls(
            strategy=strategy,
        )

        return body_update_strategy

