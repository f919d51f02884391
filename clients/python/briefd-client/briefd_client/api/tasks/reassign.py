from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.body_reassign import BodyReassign
from ...models.problem import Problem
from ...models.project import Project
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    id: UUID,
    task_id: UUID,
    *,
    body: BodyReassign,
    if_match: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/projects/{id}/tasks/{task_id}/actions/reassign".format(id=quote(str(id), safe=""),task_id=quote(str(task_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Project | None:
    if response.status_code == 200:
        response_200 = Project.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())



        return response_412

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Project]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: BodyReassign,
    if_match: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | Project]:
    """ Offer a declined task to another agency (brand, brief)

    Args:
        id (UUID):
        task_id (UUID):
        if_match (str | Unset):
        idempotency_key (str | Unset):
        body (BodyReassign):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Project]
     """


    kwargs = _get_kwargs(
        id=id,
task_id=task_id,
body=body,
if_match=if_match,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    id: UUID,
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: BodyReassign,
    if_match: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Problem | Project | None:
    """ Offer a declined task to another agency (brand, brief)

    Args:
        id (UUID):
        task_id (UUID):
        if_match (str | Unset):
        idempotency_key (str | Unset):
        body (BodyReassign):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Project
     """


    return sync_detailed(
        id=id,
task_id=task_id,
client=client,
body=body,
if_match=if_match,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    id: UUID,
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: BodyReassign,
    if_match: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | Project]:
    """ Offer a declined task to another agency (brand, brief)

    Args:
        id (UUID):
        task_id (UUID):
        if_match (str | Unset):
        idempotency_key (str | Unset):
        body (BodyReassign):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Project]
     """


    kwargs = _get_kwargs(
        id=id,
task_id=task_id,
body=body,
if_match=if_match,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    id: UUID,
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: BodyReassign,
    if_match: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Problem | Project | None:
    """ Offer a declined task to another agency (brand, brief)

    Args:
        id (UUID):
        task_id (UUID):
        if_match (str | Unset):
        idempotency_key (str | Unset):
        body (BodyReassign):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Project
     """


    return (await asyncio_detailed(
        id=id,
task_id=task_id,
client=client,
body=body,
if_match=if_match,
idempotency_key=idempotency_key,

    )).parsed
