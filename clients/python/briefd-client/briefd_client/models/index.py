from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Index")



@_attrs_define
class Index:
    """ 
        Attributes:
            name (str):
            description (str):
            openapi (str):
            workflow (str):
            health (str):
            readiness (str):
            docs (str):
     """

    name: str
    description: str
    openapi: str
    workflow: str
    health: str
    readiness: str
    docs: str





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        openapi = self.openapi

        workflow = self.workflow

        health = self.health

        readiness = self.readiness

        docs = self.docs


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "description": description,
            "openapi": openapi,
            "workflow": workflow,
            "health": health,
            "readiness": readiness,
            "docs": docs,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description")

        openapi = d.pop("openapi")

        workflow = d.pop("workflow")

        health = d.pop("health")

        readiness = d.pop("readiness")

        docs = d.pop("docs")

        index = cls(
            name=name,
            description=description,
            openapi=openapi,
            workflow=workflow,
            health=health,
            readiness=readiness,
            docs=docs,
        )

        return index

