from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="Attempt")



@_attrs_define
class Attempt:
    """ 
        Attributes:
            attempted_at (datetime.datetime):
            status_code (int | None):
            latency_ms (int):
            error (None | str):
            response_body (None | str):
     """

    attempted_at: datetime.datetime
    status_code: int | None
    latency_ms: int
    error: None | str
    response_body: None | str





    def to_dict(self) -> dict[str, Any]:
        attempted_at = self.attempted_at.isoformat()

        status_code: int | None
        status_code = self.status_code

        latency_ms = self.latency_ms

        error: None | str
        error = self.error

        response_body: None | str
        response_body = self.response_body


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "attempted_at": attempted_at,
            "status_code": status_code,
            "latency_ms": latency_ms,
            "error": error,
            "response_body": response_body,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempted_at = datetime.datetime.fromisoformat(d.pop("attempted_at"))




        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))


        latency_ms = d.pop("latency_ms")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        def _parse_response_body(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        response_body = _parse_response_body(d.pop("response_body"))


        attempt = cls(
            attempted_at=attempted_at,
            status_code=status_code,
            latency_ms=latency_ms,
            error=error,
            response_body=response_body,
        )

        return attempt

