-- People (issue 31, docs/people.md): persons who sign in as themselves, their memberships, sessions and invitations;
-- a brand's roster of agencies; every decision signed with who made it.

-- A person. The email is kept lowercased: one account per address, however it is typed.
CREATE TABLE users (
    id             uuid PRIMARY KEY,
    email          text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254
                                               AND position('@' IN email) > 1),
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    locale         text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fr')),
    time_zone      text NOT NULL DEFAULT 'UTC' CHECK (length(time_zone) BETWEEN 1 AND 64),
    -- Self-describing (`scrypt$ln=…,r=…,p=…$salt$hash`), so the cost can rise; the token is never stored.
    password_hash  text CHECK (password_hash LIKE 'scrypt$%'),
    created_at     timestamptz NOT NULL
);

-- A person's place in an organization, with the keys' roles and rules.
CREATE TABLE memberships (
    organization_id  uuid NOT NULL REFERENCES organizations(id),
    user_id          uuid NOT NULL REFERENCES users(id),
    role             text NOT NULL CHECK (role IN ('admin', 'manager', 'viewer')),
    joined_at        timestamptz NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- An organization with members keeps an admin among them (the API answers 409 `last_admin` first).
CREATE FUNCTION briefd_keep_an_admin() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.role = 'admin' AND NOT EXISTS (
        SELECT 1 FROM memberships WHERE organization_id = OLD.organization_id AND role = 'admin') THEN
        RAISE EXCEPTION 'briefd: an organization keeps at least one admin' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER memberships_keep_an_admin AFTER UPDATE OF role OR DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION briefd_keep_an_admin();

-- A person's session, acting as one membership: the API's `bfs_` bearer token and the console's cookie. Only the
-- SHA-256 of the token is kept. Removing the membership ends its sessions (the cascade); so does a password change.
CREATE TABLE person_sessions (
    id_hash          bytea PRIMARY KEY CHECK (length(id_hash) = 32),
    organization_id  uuid NOT NULL,
    user_id          uuid NOT NULL,
    -- The token every console form of this session carries.
    csrf_token       text NOT NULL CHECK (length(csrf_token) >= 32),
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL CHECK (expires_at > created_at),
    FOREIGN KEY (organization_id, user_id) REFERENCES memberships ON DELETE CASCADE
);
CREATE INDEX person_sessions_user ON person_sessions (user_id);
CREATE INDEX person_sessions_expiry ON person_sessions (expires_at);

-- Failed sign-ins in a row per email (known or not, alike): past ten, one attempt per 30 s until a success.
CREATE TABLE sign_in_failures (
    email            text PRIMARY KEY,
    failures         integer NOT NULL CHECK (failures >= 1),
    last_failure_at  timestamptz NOT NULL
);

-- A personal API key belongs to a person; removing them from the organization revokes it.
ALTER TABLE api_keys ADD COLUMN owner_user_id uuid REFERENCES users(id);
CREATE INDEX api_keys_owner ON api_keys (owner_user_id) WHERE owner_user_id IS NOT NULL;

-- An invitation to join an organization, or (with `agency_name`) to create an agency on a brand's roster.
-- Single use: accepted, revoked or expired, its token opens nothing.
CREATE TABLE invitations (
    id               uuid PRIMARY KEY,
    organization_id  uuid REFERENCES organizations(id),
    email            text NOT NULL CHECK (email = lower(email)),
    role             text NOT NULL CHECK (role IN ('admin', 'manager', 'viewer')),
    token_hash       bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    -- Who invited: {kind, id, name, organization_id}.
    invited_by       jsonb NOT NULL,
    -- An agency's invitation: the brand that invites it, and the agency's name.
    brand_id         uuid REFERENCES organizations(id),
    agency_name      text CHECK (length(agency_name) BETWEEN 1 AND 200),
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL CHECK (expires_at > created_at),
    accepted_at      timestamptz,
    accepted_by      uuid REFERENCES users(id),
    revoked_at       timestamptz,
    CHECK ((organization_id IS NULL) = (agency_name IS NOT NULL)),
    CHECK ((brand_id IS NULL) = (agency_name IS NULL)),
    CHECK (accepted_at IS NULL OR revoked_at IS NULL)
);
CREATE INDEX invitations_organization ON invitations (organization_id, id);
CREATE INDEX invitations_brand ON invitations (brand_id, id) WHERE brand_id IS NOT NULL;

-- A brand's roster: the agencies it works with. One live relationship (invited or active) per pair; declined and
-- ended ones stay as history, and a new invitation is a new row.
CREATE TABLE agency_relationships (
    id           uuid PRIMARY KEY,
    brand_id     uuid NOT NULL REFERENCES organizations(id),
    agency_id    uuid NOT NULL REFERENCES organizations(id),
    state        text NOT NULL CHECK (state IN ('invited', 'active', 'declined', 'ended')),
    -- Who decided each step: {kind, id, name, organization_id}.
    invited_by   jsonb NOT NULL,
    answered_by  jsonb,
    ended_by     jsonb,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    CHECK (brand_id <> agency_id)
);
CREATE UNIQUE INDEX agency_relationships_live ON agency_relationships (brand_id, agency_id)
    WHERE state IN ('invited', 'active');
CREATE INDEX agency_relationships_agency ON agency_relationships (agency_id, id);
CREATE INDEX agency_relationships_brand ON agency_relationships (brand_id, id);

-- The roster's state rules: invited → active | declined, active → ended; the two sides are a brand and an agency.
CREATE FUNCTION briefd_check_relationship() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state NOT IN ('invited', 'active') THEN
            RAISE EXCEPTION 'briefd: a relationship starts invited or active' USING ERRCODE = 'check_violation';
        END IF;
        IF (SELECT kind FROM organizations WHERE id = NEW.brand_id) IS DISTINCT FROM 'brand'
           OR (SELECT kind FROM organizations WHERE id = NEW.agency_id) IS DISTINCT FROM 'agency' THEN
            RAISE EXCEPTION 'briefd: a relationship joins a brand and an agency' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.brand_id <> OLD.brand_id OR NEW.agency_id <> OLD.agency_id
       OR NOT ((OLD.state = 'invited' AND NEW.state IN ('active', 'declined'))
               OR (OLD.state = 'active' AND NEW.state = 'ended')) THEN
        RAISE EXCEPTION 'briefd: a relationship cannot go from % to %', OLD.state, NEW.state
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER agency_relationships_guard BEFORE INSERT OR UPDATE ON agency_relationships
    FOR EACH ROW EXECUTE FUNCTION briefd_check_relationship();

-- Every (brand, agency) pair that already shares a task is on the brand's roster, so running projects go on.
INSERT INTO agency_relationships (id, brand_id, agency_id, state, invited_by, answered_by, created_at, updated_at)
SELECT gen_random_uuid(), pair.brand_id, pair.agency_id, 'active',
       '{"kind": "system", "id": null, "name": "migration 0017", "organization_id": null}',
       '{"kind": "system", "id": null, "name": "migration 0017", "organization_id": null}', now(), now()
FROM (SELECT DISTINCT p.brand_id, t.agency_id FROM tasks t JOIN projects p ON p.id = t.project_id) pair;

-- A task is given only to an agency on its brand's roster (the engine answers 422 `agency_not_on_roster` first).
CREATE FUNCTION briefd_check_task_roster() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.agency_id IS NOT DISTINCT FROM OLD.agency_id THEN
        RETURN NEW;
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM agency_relationships r JOIN projects p ON p.brand_id = r.brand_id
        WHERE p.id = NEW.project_id AND r.agency_id = NEW.agency_id AND r.state = 'active') THEN
        RAISE EXCEPTION 'briefd: agency % is not on the brand''s roster', NEW.agency_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER tasks_roster_guard BEFORE INSERT OR UPDATE OF agency_id ON tasks
    FOR EACH ROW EXECUTE FUNCTION briefd_check_task_roster();

-- A decision signed by a person: history rows name the person (or the key) and the name they had then.
ALTER TABLE transitions ADD COLUMN actor_user_id uuid REFERENCES users(id);
ALTER TABLE transitions ADD COLUMN actor_name text;

-- Approval decisions and comments name the deciding identity: an API key, or a person (their user id). Both are
-- UUIDv7 ids of briefd's own, so one column holds either; the key-only foreign key goes.
ALTER TABLE task_decisions DROP CONSTRAINT task_decisions_api_key_id_fkey;

-- briefd_append_events (migration 0015) writes the history row's person and name too.
CREATE OR REPLACE FUNCTION briefd_append_events(evs jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    e jsonb;
    h jsonb;
    recipients uuid[];
BEGIN
    FOR e IN SELECT value FROM jsonb_array_elements(evs) LOOP
        -- An ordinal past the scale would take a position of a later transaction.
        IF (e->>'ordinal')::int8 NOT BETWEEN 0 AND 1023 THEN
            RAISE EXCEPTION 'briefd: event ordinal % is outside 0…1023', e->>'ordinal' USING ERRCODE = 'check_violation';
        END IF;
        h := e->'history';
        IF jsonb_typeof(h) = 'object' THEN
            INSERT INTO transitions (project_id, sequence, action, from_state, to_state, task_id, actor_org_id,
                                     actor_api_key_id, actor_user_id, actor_name, actor_side, data, occurred_at)
            VALUES ((h->>'project_id')::uuid, (h->>'sequence')::int8, h->>'action', h->>'from_state', h->>'to_state',
                    (h->>'task_id')::uuid, (h->>'actor_org_id')::uuid, (h->>'actor_api_key_id')::uuid,
                    (h->>'actor_user_id')::uuid, h->>'actor_name', h->>'actor_side', h->'data',
                    (e->>'occurred_at')::timestamptz);
        ELSE
            h := NULL;
        END IF;
        INSERT INTO events (id, type, project_id, sequence, organization_id, occurred_at, data)
        VALUES ((e->>'id')::uuid, e->>'type', (h->>'project_id')::uuid, (h->>'sequence')::int8,
                (e->>'organization_id')::uuid, (e->>'occurred_at')::timestamptz, e->'data');
        recipients := ARRAY(SELECT jsonb_array_elements_text(e->'recipients')::uuid);
        INSERT INTO event_recipients (organization_id, position, event_id)
        SELECT r, pg_current_xact_id()::text::int8 * 1024 + (e->>'ordinal')::int8, (e->>'id')::uuid
        FROM unnest(recipients) r;
        INSERT INTO webhook_deliveries (id, endpoint_id, event_id, next_attempt_at)
        SELECT gen_random_uuid(), w.id, (e->>'id')::uuid, now()
        FROM webhook_endpoints w
        WHERE w.organization_id = ANY(recipients) AND w.enabled
          AND (cardinality(w.event_types) = 0 OR e->>'type' = ANY(w.event_types));
    END LOOP;
END $$;
