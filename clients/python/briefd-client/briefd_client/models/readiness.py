from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.readiness_status import ReadinessStatus






T = TypeVar("T", bound="Readiness")



@_attrs_define
class Readiness:
    """ 
        Attributes:
            status (ReadinessStatus):
            database (bool):
            migrations (bool):
     """

    status: ReadinessStatus
    database: bool
    migrations: bool





    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        database = self.database

        migrations = self.migrations


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "status": status,
            "database": database,
            "migrations": migrations,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = ReadinessStatus(d.pop("status"))




        database = d.pop("database")

        migrations = d.pop("migrations")

        readiness = cls(
            status=status,
            database=database,
            migrations=migrations,
        )

        return readiness

