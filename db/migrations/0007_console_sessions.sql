-- Console sessions: a person signed in to /console with an API key. Only the SHA-256 of the session id is kept
-- (a database dump signs nobody in); the key's token is never stored. Revoking the key ends its sessions, because
-- every read joins the key and asks that it is not revoked; deleting the key row deletes them.
CREATE TABLE console_sessions (
    id_hash     bytea PRIMARY KEY CHECK (length(id_hash) = 32),
    api_key_id  uuid NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
    -- The token every form of this session carries (synchronizer token: compared with the form's field).
    csrf_token  text NOT NULL CHECK (length(csrf_token) >= 32),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL CHECK (expires_at > created_at)
);
-- Expired sessions are pruned by the housekeeper.
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
CREATE INDEX console_sessions_key ON console_sessions (api_key_id);
