-- Responses kept for an Idempotency-Key that carry a secret (an API key's token, a webhook signing secret) are
-- stored sealed with the daemon's secret key (AES-GCM), never in clear: not in the table, not in a backup.
ALTER TABLE idempotency_keys ADD COLUMN sealed boolean NOT NULL DEFAULT false;
