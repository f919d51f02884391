-- briefd core schema: organizations, API keys, projects, tasks, the transition history, events.
-- State rules are enforced here a second time, so no bug and no hand-written SQL can break them.

CREATE TABLE organizations (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind        text NOT NULL CHECK (kind IN ('brand', 'agency')),
    -- Position of the last event this organization received: its event cursor, gap-free.
    event_seq   bigint NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id),
    name             text NOT NULL,
    role             text NOT NULL CHECK (role IN ('admin', 'manager', 'viewer')),
    -- SHA-256 of the token; the token itself is never stored.
    token_hash       bytea NOT NULL UNIQUE,
    created_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz
);
CREATE INDEX api_keys_org ON api_keys (organization_id, created_at, id);

CREATE TABLE projects (
    id              uuid PRIMARY KEY,
    brand_id        uuid NOT NULL REFERENCES organizations(id),
    title           text NOT NULL,
    state           text NOT NULL CHECK (state IN ('strategy', 'brief', 'delivery', 'kpi_review', 'closed', 'cancelled')),
    version         integer NOT NULL CHECK (version >= 1),
    last_sequence   integer NOT NULL CHECK (last_sequence >= 1),
    strategy        jsonb NOT NULL,
    kpi_results     jsonb NOT NULL DEFAULT '{"actuals": {}}',
    outcome         jsonb,
    cancel_reason   text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX projects_brand ON projects (brand_id, id);

CREATE TABLE tasks (
    id              uuid PRIMARY KEY,
    project_id      uuid NOT NULL REFERENCES projects(id),
    agency_id       uuid NOT NULL REFERENCES organizations(id),
    position        integer NOT NULL,
    title           text NOT NULL,
    description     text NOT NULL,
    due_date        date,
    state           text NOT NULL CHECK (state IN ('draft', 'issued', 'accepted', 'declined', 'delivered', 'changes_requested', 'approved')),
    decline_reason  text,
    change_note     text,
    deliveries      jsonb NOT NULL DEFAULT '[]',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX tasks_project ON tasks (project_id, position);
CREATE INDEX tasks_agency ON tasks (agency_id, project_id) WHERE state <> 'draft';

CREATE TABLE transitions (
    project_id       uuid NOT NULL REFERENCES projects(id),
    sequence         integer NOT NULL CHECK (sequence >= 1),
    action           text NOT NULL,
    from_state       text,
    to_state         text NOT NULL,
    task_id          uuid,
    actor_org_id     uuid REFERENCES organizations(id),
    actor_api_key_id uuid,
    actor_side       text NOT NULL CHECK (actor_side IN ('brand', 'agency', 'system')),
    data             jsonb NOT NULL DEFAULT '{}',
    occurred_at      timestamptz NOT NULL,
    PRIMARY KEY (project_id, sequence)
);

CREATE TABLE events (
    id           uuid PRIMARY KEY,
    type         text NOT NULL,
    project_id   uuid NOT NULL,
    sequence     integer NOT NULL,
    occurred_at  timestamptz NOT NULL,
    -- The `data` member of the webhook body and of GET /v1/events.
    data         jsonb NOT NULL,
    FOREIGN KEY (project_id, sequence) REFERENCES transitions (project_id, sequence),
    UNIQUE (project_id, sequence)
);

-- Which organizations receive an event, at which position of their own gap-free stream.
CREATE TABLE event_recipients (
    organization_id  uuid NOT NULL REFERENCES organizations(id),
    position         bigint NOT NULL,
    event_id         uuid NOT NULL REFERENCES events(id),
    PRIMARY KEY (organization_id, position),
    UNIQUE (event_id, organization_id)
);

CREATE TABLE idempotency_keys (
    scope          text NOT NULL,          -- organization id, or 'operator'
    key            text NOT NULL,
    request_hash   bytea NOT NULL,
    status         integer,                -- null while the first request runs
    headers        jsonb,
    body           bytea,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- The machine's allowed project state changes; the daemon's Workflow module holds the same table.
CREATE FUNCTION briefd_check_project_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'strategy' THEN
            RAISE EXCEPTION 'briefd: a project starts in strategy, not %', NEW.state USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.brand_id <> OLD.brand_id THEN
        RAISE EXCEPTION 'briefd: a project never changes brand' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.state = OLD.state THEN
        IF OLD.state <> 'strategy' AND NEW.strategy IS DISTINCT FROM OLD.strategy THEN
            RAISE EXCEPTION 'briefd: the strategy is frozen once the brief is issued' USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.state IN ('closed', 'cancelled') AND (NEW.kpi_results, NEW.outcome, NEW.title) IS DISTINCT FROM (OLD.kpi_results, OLD.outcome, OLD.title) THEN
            RAISE EXCEPTION 'briefd: a % project is final', OLD.state USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF (OLD.state, NEW.state) IN (('strategy', 'brief'), ('brief', 'strategy'), ('brief', 'delivery'),
                                  ('delivery', 'kpi_review'), ('kpi_review', 'closed'))
       OR (NEW.state = 'cancelled' AND OLD.state NOT IN ('closed', 'cancelled')) THEN
        IF NEW.strategy IS DISTINCT FROM OLD.strategy THEN
            RAISE EXCEPTION 'briefd: the strategy is frozen once the brief is issued' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'briefd: a project cannot go from % to %', OLD.state, NEW.state USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER projects_state_guard BEFORE INSERT OR UPDATE ON projects
    FOR EACH ROW EXECUTE FUNCTION briefd_check_project_state();

-- Task state changes the machine allows, and the project state each needs.
CREATE FUNCTION briefd_check_task_state() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    project_state text;
BEGIN
    SELECT state INTO project_state FROM projects WHERE id = COALESCE(NEW.project_id, OLD.project_id);
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'draft' OR project_state <> 'strategy' THEN
            RAISE EXCEPTION 'briefd: tasks are added as drafts while the project is in strategy' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.state <> 'draft' OR project_state <> 'strategy' THEN
            RAISE EXCEPTION 'briefd: only draft tasks are removed, while the project is in strategy' USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF NEW.project_id <> OLD.project_id THEN
        RAISE EXCEPTION 'briefd: a task never changes project' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.agency_id <> OLD.agency_id AND NOT (OLD.state = 'declined' AND NEW.state = 'issued') AND project_state <> 'strategy' THEN
        RAISE EXCEPTION 'briefd: a task changes agency only by reassignment' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.state = OLD.state THEN
        RETURN NEW;
    END IF;
    -- The project row is updated before its tasks, so project_state is the state after the action.
    IF (OLD.state = 'draft' AND NEW.state = 'issued' AND project_state = 'brief')
       OR (OLD.state IN ('issued', 'accepted', 'declined') AND NEW.state = 'draft' AND project_state = 'strategy')
       OR (OLD.state = 'issued' AND NEW.state = 'accepted' AND project_state IN ('brief', 'delivery'))
       OR (OLD.state = 'issued' AND NEW.state = 'declined' AND project_state = 'brief')
       OR (OLD.state = 'declined' AND NEW.state = 'issued' AND project_state = 'brief')
       OR (OLD.state IN ('accepted', 'changes_requested') AND NEW.state = 'delivered' AND project_state = 'delivery')
       OR (OLD.state = 'delivered' AND NEW.state IN ('approved', 'changes_requested') AND project_state = 'delivery') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'briefd: a task cannot go from % to % while the project is in %', OLD.state, NEW.state, project_state
        USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER tasks_state_guard BEFORE INSERT OR UPDATE OR DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION briefd_check_task_state();

-- History and events are append-only.
CREATE FUNCTION briefd_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'briefd: % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER transitions_append_only BEFORE UPDATE OR DELETE ON transitions
    FOR EACH ROW EXECUTE FUNCTION briefd_append_only();
CREATE TRIGGER transitions_no_truncate BEFORE TRUNCATE ON transitions
    FOR EACH STATEMENT EXECUTE FUNCTION briefd_append_only();
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION briefd_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION briefd_append_only();

-- The history is gap-free per project: each new row follows the previous one.
CREATE FUNCTION briefd_check_sequence() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last integer;
BEGIN
    SELECT max(sequence) INTO last FROM transitions WHERE project_id = NEW.project_id;
    IF NEW.sequence <> COALESCE(last, 0) + 1 THEN
        RAISE EXCEPTION 'briefd: transition % of project % does not follow %', NEW.sequence, NEW.project_id, COALESCE(last, 0)
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER transitions_gap_free BEFORE INSERT ON transitions
    FOR EACH ROW EXECUTE FUNCTION briefd_check_sequence();
