-- A failing endpoint is paused between attempts (a circuit breaker), so receivers that hang, reset or
-- answer errors cannot take the dispatchers' slots from healthy endpoints: after each failed attempt no
-- delivery of the endpoint is claimed until `paused_until` (5 s doubling per consecutive failure, at
-- most 5 min); a success, or a manual retry, clears it. Compatible with the previous daemon: it
-- ignores both columns.
ALTER TABLE webhook_endpoints
    ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    ADD COLUMN paused_until timestamptz;
