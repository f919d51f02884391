"""The hand-written layer over the generated `briefd_client`: typed errors, idempotent retries, webhook checks.

    from briefd_client import AuthenticatedClient
    from briefd_client.api.tasks import approve
    from briefd_extras import call, BriefdError

    api = AuthenticatedClient(base_url="http://127.0.0.1:8080", token=key)
    project = call(approve, client=api, id=project_id, task_id=task_id, if_match='"7"')
"""

from __future__ import annotations

import inspect
import json
import time
import uuid
from typing import Any

from standardwebhooks.webhooks import Webhook

__all__ = ["BriefdError", "call", "retries_sent", "verify_webhook"]

_retried = 0


def retries_sent() -> int:
    """How many requests this process sent again after a 429 or 503 (each with its first Idempotency-Key)."""
    return _retried


class BriefdError(Exception):
    """A problem+json answer (RFC 9457) as an exception: `status`, the stable `code`, `detail`, and for a refused
    transition `allowed_actions` (what the caller may do instead) and `state`; for bad input, `errors` per field."""

    def __init__(self, status: int, problem: dict[str, Any], retry_after: float | None = None):
        self.status = status
        self.code: str = problem.get("code", "unknown")
        self.detail: str = problem.get("detail", "")
        self.allowed_actions: list[str] = problem.get("allowed_actions", [])
        self.state: str | None = problem.get("state")
        self.errors: list[dict[str, str]] = problem.get("errors", [])
        self.retry_after = retry_after
        super().__init__(f"{status} {self.code}: {self.detail}")


def _retry_after(headers: Any) -> float:
    try:
        return max(0.0, min(float(headers.get("retry-after", "1")), 30.0))
    except ValueError:
        return 1.0


def call(operation: Any, *, retries: int = 3, **kwargs: Any) -> Any:
    """Runs a generated operation (`module.sync_detailed`) and returns its parsed 2xx body, or raises `BriefdError`.

    An operation that takes an `Idempotency-Key` gets one (unless given), kept across retries: a 429 or 503 is
    retried after its `Retry-After`, and a retried transition is applied once.
    """
    if "idempotency_key" in inspect.signature(operation.sync_detailed).parameters:
        kwargs.setdefault("idempotency_key", str(uuid.uuid4()))
    for attempt in range(retries + 1):
        response = operation.sync_detailed(**kwargs)
        status = int(response.status_code)
        if 200 <= status < 300:
            return response.parsed
        try:
            problem = json.loads(response.content or b"{}")
        except ValueError:
            problem = {"code": "unknown", "detail": response.content.decode("utf-8", "replace")[:200]}
        delay = _retry_after(response.headers) if status in (429, 503) else None
        if delay is not None and attempt < retries:
            global _retried
            _retried += 1
            time.sleep(delay)
            continue
        raise BriefdError(status, problem if isinstance(problem, dict) else {}, delay)
    raise AssertionError("unreachable")


def verify_webhook(secret: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """The webhook's payload when its Standard Webhooks signature is valid for `secret` (`whsec_…`) and fresh;
    raises `standardwebhooks.WebhookVerificationError` otherwise. `headers` are the request's, any case."""
    lowered = {k.lower(): v for k, v in headers.items()}
    return Webhook(secret).verify(body, lowered)
