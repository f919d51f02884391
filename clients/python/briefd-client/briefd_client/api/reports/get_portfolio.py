from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.get_portfolio_state import GetPortfolioState
from ...models.portfolio_report import PortfolioReport
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    *,
    state: GetPortfolioState | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    starting_after: UUID | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_state: str | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = state.value

    params["state"] = json_state

    params["from"] = from_

    params["to"] = to

    params["limit"] = limit

    json_starting_after: str | Unset = UNSET
    if not isinstance(starting_after, Unset):
        json_starting_after = str(starting_after)
    params["starting_after"] = json_starting_after


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/projects",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PortfolioReport | Problem | None:
    if response.status_code == 200:
        response_200 = PortfolioReport.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PortfolioReport | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: GetPortfolioState | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    starting_after: UUID | Unset = UNSET,

) -> Response[PortfolioReport | Problem]:
    """ The portfolio: per project economics, KPIs, time in each state (brand)

    Args:
        state (GetPortfolioState | Unset):
        from_ (str | Unset):
        to (str | Unset):
        limit (int | Unset):
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PortfolioReport | Problem]
     """


    kwargs = _get_kwargs(
        state=state,
from_=from_,
to=to,
limit=limit,
starting_after=starting_after,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    state: GetPortfolioState | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    starting_after: UUID | Unset = UNSET,

) -> PortfolioReport | Problem | None:
    """ The portfolio: per project economics, KPIs, time in each state (brand)

    Args:
        state (GetPortfolioState | Unset):
        from_ (str | Unset):
        to (str | Unset):
        limit (int | Unset):
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PortfolioReport | Problem
     """


    return sync_detailed(
        client=client,
state=state,
from_=from_,
to=to,
limit=limit,
starting_after=starting_after,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: GetPortfolioState | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    starting_after: UUID | Unset = UNSET,

) -> Response[PortfolioReport | Problem]:
    """ The portfolio: per project economics, KPIs, time in each state (brand)

    Args:
        state (GetPortfolioState | Unset):
        from_ (str | Unset):
        to (str | Unset):
        limit (int | Unset):
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PortfolioReport | Problem]
     """


    kwargs = _get_kwargs(
        state=state,
from_=from_,
to=to,
limit=limit,
starting_after=starting_after,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    state: GetPortfolioState | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    starting_after: UUID | Unset = UNSET,

) -> PortfolioReport | Problem | None:
    """ The portfolio: per project economics, KPIs, time in each state (brand)

    Args:
        state (GetPortfolioState | Unset):
        from_ (str | Unset):
        to (str | Unset):
        limit (int | Unset):
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PortfolioReport | Problem
     """


    return (await asyncio_detailed(
        client=client,
state=state,
from_=from_,
to=to,
limit=limit,
starting_after=starting_after,

    )).parsed
