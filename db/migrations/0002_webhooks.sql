-- Webhook endpoints, the delivery outbox and the log of attempts.

-- Organization-level events (webhook_endpoint.disabled) belong to no project transition.
ALTER TABLE events ALTER COLUMN project_id DROP NOT NULL, ALTER COLUMN sequence DROP NOT NULL;
ALTER TABLE events ADD COLUMN organization_id uuid REFERENCES organizations(id);
ALTER TABLE events ADD CONSTRAINT events_belong_somewhere CHECK ((project_id IS NOT NULL AND sequence IS NOT NULL) OR organization_id IS NOT NULL);

CREATE TABLE webhook_endpoints (
    id                          uuid PRIMARY KEY,
    organization_id             uuid NOT NULL REFERENCES organizations(id),
    url                         text NOT NULL,
    description                 text NOT NULL DEFAULT '',
    -- Empty means every event type.
    event_types                 text[] NOT NULL DEFAULT '{}',
    enabled                     boolean NOT NULL DEFAULT true,
    disabled_reason             text,
    -- AES-GCM sealed with BRIEFD_SECRET_KEY; the plain secret is never stored.
    secret_sealed               bytea NOT NULL,
    previous_secret_sealed      bytea,
    previous_secret_expires_at  timestamptz,
    -- First failure since the last success; the endpoint is disabled when this gets too old.
    failing_since               timestamptz,
    last_success_at             timestamptz,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints (organization_id, id);

CREATE TABLE webhook_deliveries (
    id                uuid PRIMARY KEY,
    endpoint_id       uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    event_id          uuid NOT NULL REFERENCES events(id),
    -- pending: due at next_attempt_at (a claimed delivery is pending with a lease pushed into the future);
    -- succeeded; failed (retries exhausted, 410, or the endpoint was disabled).
    status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    next_attempt_at   timestamptz NOT NULL,
    -- Set while a dispatcher holds the delivery; a result is recorded only with the matching token.
    lease_token       uuid,
    attempts          integer NOT NULL DEFAULT 0,
    -- Attempts since the last manual retry: the index into the retry schedule.
    cycle_attempts    integer NOT NULL DEFAULT 0,
    last_status_code  integer,
    last_error        text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    completed_at      timestamptz
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);

CREATE TABLE webhook_attempts (
    id             bigserial PRIMARY KEY,
    delivery_id    uuid NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    attempted_at   timestamptz NOT NULL,
    status_code    integer,
    latency_ms     integer NOT NULL,
    error          text,
    response_body  text
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
