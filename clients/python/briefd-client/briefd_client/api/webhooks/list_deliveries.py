from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.delivery_page import DeliveryPage
from ...models.list_deliveries_status import ListDeliveriesStatus
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    id: UUID,
    *,
    status: ListDeliveriesStatus | Unset = UNSET,
    limit: int | Unset = UNSET,
    starting_after: UUID | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["limit"] = limit

    json_starting_after: str | Unset = UNSET
    if not isinstance(starting_after, Unset):
        json_starting_after = str(starting_after)
    params["starting_after"] = json_starting_after


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/webhook-endpoints/{id}/deliveries".format(id=quote(str(id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DeliveryPage | Problem | None:
    if response.status_code == 200:
        response_200 = DeliveryPage.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[DeliveryPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    status: ListDeliveriesStatus | Unset = UNSET,
    limit: int | Unset = UNSET,
    starting_after: UUID | Unset = UNSET,

) -> Response[DeliveryPage | Problem]:
    """ Deliveries with their attempts (admin)

    Args:
        id (UUID):
        status (ListDeliveriesStatus | Unset):
        limit (int | Unset):
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryPage | Problem]
     """


    kwargs = _get_kwargs(
        id=id,
status=status,
limit=limit,
starting_after=starting_after,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    status: ListDeliveriesStatus | Unset = UNSET,
    limit: int | Unset = UNSET,
    starting_after: UUID | Unset = UNSET,

) -> DeliveryPage | Problem | None:
    """ Deliveries with their attempts (admin)

    Args:
        id (UUID):
        status (ListDeliveriesStatus | Unset):
        limit (int | Unset):
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryPage | Problem
     """


    return sync_detailed(
        id=id,
client=client,
status=status,
limit=limit,
starting_after=starting_after,

    ).parsed

async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    status: ListDeliveriesStatus | Unset = UNSET,
    limit: int | Unset = UNSET,
    starting_after: UUID | Unset = UNSET,

) -> Response[DeliveryPage | Problem]:
    """ Deliveries with their attempts (admin)

    Args:
        id (UUID):
        status (ListDeliveriesStatus | Unset):
        limit (int | Unset):
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryPage | Problem]
     """


    kwargs = _get_kwargs(
        id=id,
status=status,
limit=limit,
starting_after=starting_after,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    status: ListDeliveriesStatus | Unset = UNSET,
    limit: int | Unset = UNSET,
    starting_after: UUID | Unset = UNSET,

) -> DeliveryPage | Problem | None:
    """ Deliveries with their attempts (admin)

    Args:
        id (UUID):
        status (ListDeliveriesStatus | Unset):
        limit (int | Unset):
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryPage | Problem
     """


    return (await asyncio_detailed(
        id=id,
client=client,
status=status,
limit=limit,
starting_after=starting_after,

    )).parsed
