"""docs/api.md's walk-through through the generated Python client: a brand, two agencies, one project from
strategy to close, with a webhook receiver verifying every delivery with the Standard Webhooks library.

    PYTHONPATH=clients/python:clients/python/briefd-client python clients/python/walkthrough.py URL OPERATOR_TOKEN

Exits non-zero at the first step that does not go as documented.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Any

from briefd_client import AuthenticatedClient
from briefd_client.api.keys import create_api_key
from briefd_client.api.organizations import create_organization
from briefd_client.api.projects import (
    add_task,
    close,
    create_project,
    get_history,
    get_project,
    issue_brief,
    record_kpi_results,
    start_kpi_review,
)
from briefd_client.api.review import add_comment, list_comments
from briefd_client.api.roster import accept_relationship, create_relationship
from briefd_client.api.tasks import accept, approve, decline, reassign, request_changes, submit_delivery
from briefd_client.api.webhooks import create_webhook_endpoint
from briefd_client.models import (
    BodyAddTask,
    BodyComment,
    BodyCreateApiKey,
    BodyCreateRelationship,
    BodyCreateOrganization,
    BodyCreateProject,
    BodyCreateWebhookEndpoint,
    BodyDecline,
    BodyReassign,
    BodyRecordKpiResults,
    BodyRequestChanges,
    BodySubmitDelivery,
)

from briefd_extras import BriefdError, call, retries_sent
from receiver import serve

STRATEGY = {
    "objectives": ["Grow sign-ups in Lyon"],
    "audience": "Urban cyclists 25-40",
    "channels": ["social", "outdoor"],
    "budget": {"amount_minor": 5_000_000, "currency": "EUR"},
    "kpis": [
        {"key": "signups", "name": "Sign-ups", "target": 1000, "unit": "count", "comparator": "gte"},
        {"key": "cpa", "name": "Cost per acquisition", "target": 20, "unit": "EUR", "comparator": "lte"},
    ],
}


def step(message: str) -> None:
    print(f"  python  {message}", flush=True)


def main(base: str, operator: str) -> None:
    op = AuthenticatedClient(base_url=base, token=operator)

    def organization(name: str, kind: str) -> tuple[str, AuthenticatedClient]:
        created = call(create_organization, client=op, body=BodyCreateOrganization.from_dict({"name": name, "kind": kind}))
        return str(created.organization.id), AuthenticatedClient(base_url=base, token=created.api_key.token)

    brand_id, brand_admin = organization("Velo", "brand")
    a1, agency1 = organization("Northwind Studio", "agency")
    a2, agency2 = organization("Blue Harbor", "agency")
    # The brand chooses its agencies: each accepts its place on the brand's roster before any task.
    for agency_id, agency in ((a1, agency1), (a2, agency2)):
        invited = call(create_relationship, client=brand_admin, body=BodyCreateRelationship.from_dict({"agency_id": agency_id}))
        call(accept_relationship, client=agency, id=invited.relationship.id)
    manager_key = call(create_api_key, client=brand_admin, body=BodyCreateApiKey.from_dict({"name": "Maya", "role": "manager"}))
    brand = AuthenticatedClient(base_url=base, token=manager_key.token)
    step(f"organizations: the brand {brand_id}, two agencies on its roster, a manager key")

    # The brand's webhook endpoint; a receiver verifies each delivery with the reference library.
    events: list[dict[str, Any]] = []
    secret: dict[str, str] = {}
    server = serve(0, lambda: secret["key"], events.append)
    endpoint = call(
        create_webhook_endpoint,
        client=brand_admin,
        body=BodyCreateWebhookEndpoint.from_dict({"url": f"http://127.0.0.1:{server.server_port}/hooks"}),
    )
    secret["key"] = endpoint.secret

    project = call(create_project, client=brand, body=BodyCreateProject.from_dict({"title": "Spring launch", "strategy": STRATEGY}))
    pid = project.id
    film = call(add_task, client=brand, id=pid, body=BodyAddTask.from_dict(
        {"agency_id": a1, "title": "Launch film", "description": "30 s", "fee_minor": 1_200_000, "currency": "EUR"}))
    posters = call(add_task, client=brand, id=pid, body=BodyAddTask.from_dict(
        {"agency_id": a2, "title": "Posters", "description": "A1 and A3"}))
    t1, t2 = film.tasks[0].id, posters.tasks[1].id
    assert posters.version == 3, posters.version

    # A stale If-Match is refused with a typed error; the current version issues the brief.
    try:
        call(issue_brief, client=brand, id=pid, if_match='"1"')
        raise AssertionError("a stale If-Match was accepted")
    except BriefdError as e:
        assert e.status == 412 and e.code == "version_mismatch", e
    issued = call(issue_brief, client=brand, id=pid, if_match=f'"{posters.version}"')
    assert issued.state.value == "brief"
    step("brief issued under If-Match; a stale version was a typed 412 version_mismatch")

    # Agency 2 declines; the brand reassigns to agency 1, which accepts both: delivery starts.
    call(decline, client=agency2, id=pid, task_id=t2, body=BodyDecline.from_dict({"reason": "No capacity in May"}))
    call(reassign, client=brand, id=pid, task_id=t2, body=BodyReassign.from_dict({"agency_id": a1}))
    call(accept, client=agency1, id=pid, task_id=t1)
    started = call(accept, client=agency1, id=pid, task_id=t2)
    assert started.state.value == "delivery", started.state
    step("declined, reassigned, accepted: the project is in delivery")

    # A refused transition names what the caller may do instead.
    try:
        call(close, client=brand, id=pid)
        raise AssertionError("close was accepted in delivery")
    except BriefdError as e:
        assert e.status == 409 and e.code == "invalid_transition" and "cancel" in e.allowed_actions, e
        step(f"close in delivery: 409 invalid_transition, allowed {e.allowed_actions}")

    # Deliveries, a comment thread, a change request, a second round, approvals.
    for task in (t1, t2):
        call(submit_delivery, client=agency1, id=pid, task_id=task, body=BodySubmitDelivery.from_dict(
            {"summary": "First cut", "links": ["https://files.example/cut-1"]}))
    call(add_comment, client=brand, id=pid, task_id=t1, body=BodyComment.from_dict({"body": "Hook comes late", "round": 1}))
    call(add_comment, client=brand, id=pid, task_id=t1, body=BodyComment.from_dict({"body": "Legal note", "internal": True}))
    seen = call(list_comments, client=agency1, id=pid, task_id=t1)
    assert [c.body for c in seen.data] == ["Hook comes late"], [c.body for c in seen.data]
    call(request_changes, client=brand, id=pid, task_id=t1, body=BodyRequestChanges.from_dict({"note": "Shorter"}))
    call(submit_delivery, client=agency1, id=pid, task_id=t1, body=BodySubmitDelivery.from_dict(
        {"summary": "Second cut", "links": ["https://files.example/cut-2"]}))
    for task in (t1, t2):
        call(approve, client=brand, id=pid, task_id=task)
    step("two rounds on the film, a thread the agency reads without the internal note, both tasks approved")

    # KPI review, results, close: the outcome with ROI.
    call(start_kpi_review, client=brand, id=pid)
    call(record_kpi_results, client=brand, id=pid, body=BodyRecordKpiResults.from_dict(
        {"results": {"signups": 1240, "cpa": 18.5}, "spend_minor": 4_600_000, "revenue_minor": 9_200_000}))
    closed = call(close, client=brand, id=pid)
    assert closed.state.value == "closed" and closed.outcome.all_met and abs(closed.outcome.roi - 1.0) < 1e-9
    agency_view = call(get_project, client=agency1, id=pid)
    assert agency_view.outcome is None and agency_view.kpi_results is None, "an agency never reads the economics"
    step(f"closed: all KPIs met, ROI {closed.outcome.roi:.0%}; the agency's view has no economics")

    # Each transition once, however often a throttled request was sent again (with its Idempotency-Key).
    history = call(get_history, client=brand, id=pid)
    assert len(history.data) == 20, f"{len(history.data)} transitions, 20 expected"
    if os.environ.get("BRIEFD_EXPECT_RETRIES"):
        assert retries_sent() > 0, "the daemon's rate limit never answered 429"
    step(f"20 transitions in the history, each once; {retries_sent()} requests sent again after a 429 or 503")

    # Every transition reached the brand's receiver, signed: the last is project.closed.
    deadline = time.time() + 15
    while time.time() < deadline and not any(e["type"] == "project.closed" for e in events):
        time.sleep(0.1)
    types = [e["type"] for e in events]
    assert "project.closed" in types and "task.commented" in types, types
    server.shutdown()
    step(f"{len(events)} webhooks received and verified with standardwebhooks, the last {types[-1]}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
    print("python client walk-through: passed")
    threading.Event().set()
