-- Calendar feeds (issue 32, docs/notifications.md): a person's secret `.ics` URL with the due dates of what their
-- organization must act on. Only the token's hash is kept; one feed per membership (a new one replaces it, so the
-- old URL stops); a feed answers only while its person is still a member.
CREATE TABLE calendar_feeds (
    user_id          uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id  uuid NOT NULL REFERENCES organizations(id),
    token_hash       bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (user_id, organization_id)
);
