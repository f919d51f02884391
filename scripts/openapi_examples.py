"""Fills the `examples` of the OpenAPI document's response schemas with answers a live daemon gave: a brand, an
agency, a project walked to close, a webhook endpoint. Schemas that already have examples keep them; the document
is rewritten in its own format. scripts/check_examples.py (run by the OpenAPI test) validates every example.

    .venv/bin/python scripts/openapi_examples.py URL OPERATOR_TOKEN Sources/API/Resources/openapi.json

The daemon needs BRIEFD_WEBHOOK_ALLOW_PRIVATE=true (the endpoint points at a closed loopback port).
"""
import copy
import json
import sys
import time

import httpx

STRATEGY = {
    "objectives": ["Grow sign-ups in Lyon"], "audience": "Urban cyclists 25-40", "channels": ["social", "outdoor"],
    "budget": {"amount_minor": 5000000, "currency": "EUR"},
    "kpis": [{"key": "signups", "name": "Sign-ups", "target": 1000, "unit": "count", "comparator": "gte"}],
}


def main(base, operator, path):
    def call(method, url, token, body=None, ok=(200, 201, 202, 204)):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = httpx.request(method, base + url, headers=headers, json=body, timeout=10)
        assert r.status_code in ok, (method, url, r.status_code, r.text[:300])
        return r.json() if r.content else None

    seen = {}
    created = call("POST", "/v1/organizations", operator, {"name": "Velo", "kind": "brand"})
    agency = call("POST", "/v1/organizations", operator, {"name": "Northwind Studio", "kind": "agency"})
    seen["OrganizationCreated"] = created
    b, a = created["api_key"]["token"], agency["api_key"]["token"]
    a_id = agency["organization"]["id"]
    seen["Me"] = call("GET", "/v1/organizations/me", b)
    # The roster: the brand invites the agency, the agency accepts; people: an invited manager signs in.
    rel = call("POST", "/v1/agency-relationships", b, {"agency_id": a_id})
    seen["RelationshipAnswer"] = call("POST", f"/v1/agency-relationships/{rel['relationship']['id']}/accept", a)
    seen["RelationshipCreated"] = call("POST", "/v1/agency-relationships", b,
                                       {"agency_name": "Blue Harbor Media", "admin_email": "bea@harbor.example"})
    seen["RelationshipPage"] = call("GET", "/v1/agency-relationships", b)
    seen["InvitationCreated"] = call("POST", "/v1/invitations", b, {"email": "maya@velo.example", "role": "manager"})
    token = seen["InvitationCreated"]["invitation"]["accept_url"].rsplit("/", 1)[1]
    seen["Session"] = call("POST", "/v1/invitations/accept", "",
                           {"token": token, "name": "Maya Dupont", "password": "correct horse battery"})
    seen["InvitationPage"] = call("GET", "/v1/invitations", b)
    seen["MemberPage"] = call("GET", "/v1/members", b)
    seen["ApiKeyPage"] = call("GET", "/v1/api-keys", b)
    endpoint = call("POST", "/v1/webhook-endpoints", b, {"url": "http://127.0.0.1:9/hooks", "description": "ERP"})
    p = call("POST", "/v1/projects", b, {"title": "Spring launch", "strategy": STRATEGY})["id"]
    task = call("POST", f"/v1/projects/{p}/actions/add_task", b,
                {"agency_id": a_id, "title": "Launch film", "description": "30 s", "fee_minor": 1200000,
                 "currency": "EUR", "due_date": "2099-03-01"})["tasks"][0]["id"]
    call("POST", f"/v1/projects/{p}/actions/issue_brief", b)
    call("POST", f"/v1/projects/{p}/tasks/{task}/actions/accept", a)
    call("POST", f"/v1/projects/{p}/tasks/{task}/actions/submit_delivery", a,
         {"summary": "First cut", "links": ["https://files.example.com/cut-1.mp4"]})
    seen["Comment"] = call("POST", f"/v1/projects/{p}/tasks/{task}/comments", b, {"body": "Hook comes late", "round": 1})
    seen["CommentPage"] = call("GET", f"/v1/projects/{p}/tasks/{task}/comments", b)
    seen["InboxPage"] = call("GET", "/v1/inbox", b)
    delivered = call("GET", f"/v1/projects/{p}", b)
    call("POST", f"/v1/projects/{p}/tasks/{task}/actions/approve", b)
    seen["ApprovalDecision"] = call("GET", f"/v1/projects/{p}", b)["tasks"][0]["deliveries"][0]["decisions"][0]
    call("POST", f"/v1/projects/{p}/actions/start_kpi_review", b)
    call("POST", f"/v1/projects/{p}/actions/record_kpi_results", b,
         {"results": {"signups": 1240}, "spend_minor": 4600000, "revenue_minor": 9200000})
    seen["Project"] = call("POST", f"/v1/projects/{p}/actions/close", b)
    seen["Task"] = delivered["tasks"][0]
    seen["ProjectPage"] = call("GET", "/v1/projects?limit=1", b)
    seen["History"] = call("GET", f"/v1/projects/{p}/history?limit=3", b)
    seen["EventPage"] = call("GET", "/v1/events?limit=2", b)
    seen["WebhookEndpointPage"] = call("GET", "/v1/webhook-endpoints", b)
    time.sleep(1.5)  # the first delivery attempts (refused: nothing listens on port 9)
    seen["DeliveryPage"] = call("GET", f"/v1/webhook-endpoints/{endpoint['id']}/deliveries?limit=1", b)
    seen["Replayed"] = call("POST", f"/v1/webhook-endpoints/{endpoint['id']}/replay", b,
                            {"since": "2020-01-01T00:00:00Z", "until": "2100-01-01T00:00:00Z"}, ok=(200, 202))
    seen["Workflow"] = call("GET", "/v1/workflow", b)
    seen["Health"] = httpx.get(base + "/healthz").json()
    seen["Readiness"] = httpx.get(base + "/readyz").json()
    seen["Index"] = httpx.get(base + "/").json()
    period = "from=2026-01-01&to=2030-01-01"
    seen["AgencyReport"] = call("GET", f"/v1/reports/agencies?{period}", b)
    seen["AgencyTaskReport"] = call("GET", f"/v1/reports/agencies/{a_id}/tasks?{period}", b)
    seen["PortfolioReport"] = call("GET", f"/v1/reports/projects?{period}", b)
    events = call("GET", "/v1/events?limit=100", b)["data"]

    # Parts of what was seen.
    seen["Organization"] = seen["Me"]["organization"]
    seen["ApiKey"] = seen["Me"]["api_key"]
    seen["User"] = seen["Session"]["user"]
    seen["Membership"] = seen["Session"]["membership"]
    seen["Invitation"] = seen["InvitationCreated"]["invitation"]
    seen["Member"] = seen["MemberPage"]["data"][0]
    seen["Relationship"] = seen["RelationshipAnswer"]["relationship"]
    seen["Strategy"] = seen["Project"]["strategy"]
    seen["Budget"] = seen["Strategy"]["budget"]
    seen["KPI"] = seen["Strategy"]["kpis"][0]
    seen["DeliveryRound"] = seen["Project"]["tasks"][0]["deliveries"][0]
    seen["HistoryEntry"] = seen["History"]["data"][0]
    seen["Actor"] = seen["HistoryEntry"]["actor"]
    seen["Event"] = events[-1]
    seen["EventData"] = events[-1]["data"]
    seen["WebhookEndpoint"] = seen["WebhookEndpointPage"]["data"][0]
    if seen["DeliveryPage"]["data"]:
        seen["Delivery"] = seen["DeliveryPage"]["data"][0]
        if seen["Delivery"].get("attempts"):
            seen["Attempt"] = seen["Delivery"]["attempts"][0]
    seen["InboxItem"] = seen["InboxPage"]["data"][0] if seen["InboxPage"]["data"] else None
    seen["AgencyScorecard"] = seen["AgencyReport"]["data"][0]
    seen["AgencyTaskRow"] = seen["AgencyTaskReport"]["data"][0]
    seen["ProjectReportRow"] = seen["PortfolioReport"]["data"][0]
    # A webhook's body is the event without its feed cursor and id; every type has the same data shape.
    by_type = {e["type"]: e for e in events}
    sample = events[-1]

    doc = json.load(open(path))
    schemas = doc["components"]["schemas"]
    for name, schema in schemas.items():
        if "examples" in schema:
            continue
        if name.startswith("WebhookPayload_"):
            kind = schema["properties"]["type"]["const"]
            event = copy.deepcopy(by_type.get(kind, sample))
            seen[name] = {"type": kind, "timestamp": event["timestamp"], "data": event["data"]}
        if seen.get(name) is not None:
            schema["examples"] = [shorten(seen[name])]
    open(path, "w").write(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    missing = [n for n, s in schemas.items() if "examples" not in s and "oneOf" not in s]
    print(f"examples written; schemas without one: {missing or 'none'}")


def shorten(value):
    """Lists of more than two items are cut to two, so the document stays readable."""
    if isinstance(value, dict):
        return {k: shorten(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shorten(v) for v in value[:2]]
    return value


if __name__ == "__main__":
    main(*sys.argv[1:4])
