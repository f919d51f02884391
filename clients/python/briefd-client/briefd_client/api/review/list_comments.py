from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.comment_page import CommentPage
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    id: UUID,
    task_id: UUID,
    *,
    limit: int | Unset = UNSET,
    starting_after: UUID | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_starting_after: str | Unset = UNSET
    if not isinstance(starting_after, Unset):
        json_starting_after = str(starting_after)
    params["starting_after"] = json_starting_after


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/projects/{id}/tasks/{task_id}/comments".format(id=quote(str(id), safe=""),task_id=quote(str(task_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CommentPage | Problem | None:
    if response.status_code == 200:
        response_200 = CommentPage.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CommentPage | Problem]:
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
    limit: int | Unset = UNSET,
    starting_after: UUID | Unset = UNSET,

) -> Response[CommentPage | Problem]:
    """ The task's comments the caller sees, oldest first (an agency: its own conversation, never internal
    ones)

    Args:
        id (UUID):
        task_id (UUID):
        limit (int | Unset):
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommentPage | Problem]
     """


    kwargs = _get_kwargs(
        id=id,
task_id=task_id,
limit=limit,
starting_after=starting_after,

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
    limit: int | Unset = UNSET,
    starting_after: UUID | Unset = UNSET,

) -> CommentPage | Problem | None:
    """ The task's comments the caller sees, oldest first (an agency: its own conversation, never internal
    ones)

    Args:
        id (UUID):
        task_id (UUID):
        limit (int | Unset):
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommentPage | Problem
     """


    return sync_detailed(
        id=id,
task_id=task_id,
client=client,
limit=limit,
starting_after=starting_after,

    ).parsed

async def asyncio_detailed(
    id: UUID,
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    starting_after: UUID | Unset = UNSET,

) -> Response[CommentPage | Problem]:
    """ The task's comments the caller sees, oldest first (an agency: its own conversation, never internal
    ones)

    Args:
        id (UUID):
        task_id (UUID):
        limit (int | Unset):
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommentPage | Problem]
     """


    kwargs = _get_kwargs(
        id=id,
task_id=task_id,
limit=limit,
starting_after=starting_after,

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
    limit: int | Unset = UNSET,
    starting_after: UUID | Unset = UNSET,

) -> CommentPage | Problem | None:
    """ The task's comments the caller sees, oldest first (an agency: its own conversation, never internal
    ones)

    Args:
        id (UUID):
        task_id (UUID):
        limit (int | Unset):
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommentPage | Problem
     """


    return (await asyncio_detailed(
        id=id,
task_id=task_id,
client=client,
limit=limit,
starting_after=starting_after,

    )).parsed
