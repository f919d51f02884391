from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.get_inbox_overdue import GetInboxOverdue
from ...models.inbox_page import InboxPage
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    overdue: GetInboxOverdue | Unset = UNSET,
    limit: int | Unset = UNSET,
    after: str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_overdue: str | Unset = UNSET
    if not isinstance(overdue, Unset):
        json_overdue = overdue.value

    params["overdue"] = json_overdue

    params["limit"] = limit

    params["after"] = after


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/inbox",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> InboxPage | Problem | None:
    if response.status_code == 200:
        response_200 = InboxPage.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[InboxPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    overdue: GetInboxOverdue | Unset = UNSET,
    limit: int | Unset = UNSET,
    after: str | Unset = UNSET,

) -> Response[InboxPage | Problem]:
    """ Waiting on you: what the caller's organization must do next, oldest wait first

    Args:
        overdue (GetInboxOverdue | Unset):
        limit (int | Unset):
        after (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InboxPage | Problem]
     """


    kwargs = _get_kwargs(
        overdue=overdue,
limit=limit,
after=after,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    overdue: GetInboxOverdue | Unset = UNSET,
    limit: int | Unset = UNSET,
    after: str | Unset = UNSET,

) -> InboxPage | Problem | None:
    """ Waiting on you: what the caller's organization must do next, oldest wait first

    Args:
        overdue (GetInboxOverdue | Unset):
        limit (int | Unset):
        after (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InboxPage | Problem
     """


    return sync_detailed(
        client=client,
overdue=overdue,
limit=limit,
after=after,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    overdue: GetInboxOverdue | Unset = UNSET,
    limit: int | Unset = UNSET,
    after: str | Unset = UNSET,

) -> Response[InboxPage | Problem]:
    """ Waiting on you: what the caller's organization must do next, oldest wait first

    Args:
        overdue (GetInboxOverdue | Unset):
        limit (int | Unset):
        after (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InboxPage | Problem]
     """


    kwargs = _get_kwargs(
        overdue=overdue,
limit=limit,
after=after,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    overdue: GetInboxOverdue | Unset = UNSET,
    limit: int | Unset = UNSET,
    after: str | Unset = UNSET,

) -> InboxPage | Problem | None:
    """ Waiting on you: what the caller's organization must do next, oldest wait first

    Args:
        overdue (GetInboxOverdue | Unset):
        limit (int | Unset):
        after (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InboxPage | Problem
     """


    return (await asyncio_detailed(
        client=client,
overdue=overdue,
limit=limit,
after=after,

    )).parsed
