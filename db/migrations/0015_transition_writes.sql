-- A transition's writes in one round trip (issue 17, docs/decisions.md "One round trip for the writes").
--
-- The daemon locks the project and reads it with its tasks (one statement), the machine decides, and everything the decision
-- writes — the project row, comments and approval decisions, tasks, timers, history rows and events with their
-- recipients and outbox rows, the idempotent response — goes to the server as one JSON document, applied by
-- briefd_write_transition in the order the triggers need: the project row first (the task trigger reads the project's
-- state), then the rest. It was one statement and one round trip each (about seven a transition with BEGIN and
-- COMMIT); each cost the daemon a socket write and a wake-up and PostgreSQL a message to parse, bind and answer.
--
-- The functions run as their caller (SECURITY INVOKER, the default): the runtime role's privileges and every trigger
-- apply as before. Timestamps arrive as ISO 8601 text to the microsecond, JSON values as JSON; the strategy, KPI
-- results, outcome and deliveries as JSON text, present only when they changed (absent or null keeps the stored value).

-- Appends events in the order given, each with its history row when it has one, its position in each recipient's
-- stream (migration 0014: the transaction id * 1024 + its ordinal) and a delivery row per matching enabled endpoint of
-- its recipients (the outbox; migration 0004's trigger wakes the dispatchers at commit).
CREATE FUNCTION briefd_append_events(evs jsonb) RETURNS void LANGUAGE plpgsql AS $$
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
                                     actor_api_key_id, actor_side, data, occurred_at)
            VALUES ((h->>'project_id')::uuid, (h->>'sequence')::int8, h->>'action', h->>'from_state', h->>'to_state',
                    (h->>'task_id')::uuid, (h->>'actor_org_id')::uuid, (h->>'actor_api_key_id')::uuid,
                    h->>'actor_side', h->'data', (e->>'occurred_at')::timestamptz);
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

-- A transition's writes, in order: the project row; the comment and approval decisions; the tasks removed, changed
-- and added; the timers cancelled and armed; the events; the idempotent response.
--
-- The decision was made on the project as it was at `expected_last_sequence` (every transition of a project moves
-- its last_sequence, whatever it writes), and the project row's update checks that number: when the project moved on
-- since it was read, nothing is written and the call fails with SQLSTATE BFD01. The daemon calls it holding the row
-- lock of its `SELECT … FOR UPDATE`, so it cannot fail there; the check keeps a write decided on a stale read from
-- ever landing.
CREATE FUNCTION briefd_write_transition(w jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    p jsonb := w->'project';
    project uuid := (w#>>'{project,id}')::uuid;
    changed record;
    cancelled record;
BEGIN
    UPDATE projects SET title = p->>'title', state = p->>'state', version = (p->>'version')::int8,
        last_sequence = (p->>'last_sequence')::int8,
        strategy = COALESCE((p->>'strategy')::jsonb, strategy),
        kpi_results = COALESCE((p->>'kpi_results')::jsonb, kpi_results),
        outcome = CASE WHEN p ? 'outcome' THEN (p->>'outcome')::jsonb ELSE outcome END,
        cancel_reason = p->>'cancel_reason', updated_at = (p->>'updated_at')::timestamptz
    WHERE id = project AND last_sequence = (w->>'expected_last_sequence')::int8;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'briefd: project % changed since it was read (or is gone)', project USING ERRCODE = 'BFD01';
    END IF;

    -- Before the tasks: a task approved with mode `all` is checked against its decisions.
    IF jsonb_array_length(w->'decisions') > 0 THEN
        INSERT INTO task_decisions (task_id, round, api_key_id, verdict, decided_at)
        SELECT d.task_id, d.round, d.api_key_id, d.verdict, d.decided_at
        FROM jsonb_to_recordset(w->'decisions') AS d(task_id uuid, round integer, api_key_id uuid, verdict text,
                                                     decided_at timestamptz);
    END IF;
    -- A comment is inserted unresolved and only ever changed to resolve it: an unresolved one here is new.
    IF jsonb_typeof(w->'comment') = 'object' THEN
        IF w#>>'{comment,resolved_at}' IS NULL THEN
            INSERT INTO task_comments (id, project_id, task_id, agency_id, round, parent_id, author_org_id,
                                       author_api_key_id, author_side, body, internal, created_at)
            SELECT c.id, c.project_id, c.task_id, c.agency_id, c.round, c.parent_id, c.author_org_id,
                   c.author_api_key_id, c.author_side, c.body, c.internal, c.created_at
            FROM jsonb_to_record(w->'comment') AS c(id uuid, project_id uuid, task_id uuid, agency_id uuid,
                round integer, parent_id uuid, author_org_id uuid, author_api_key_id uuid, author_side text, body text,
                internal boolean, created_at timestamptz);
        ELSE
            UPDATE task_comments SET resolved_at = (w#>>'{comment,resolved_at}')::timestamptz,
                resolved_by_api_key_id = (w#>>'{comment,resolved_by_api_key_id}')::uuid
            WHERE id = (w#>>'{comment,id}')::uuid AND resolved_at IS NULL;
        END IF;
    END IF;

    -- Rows are found by their keys, one statement per row or `= ANY(array)`: a join with the document's rows is
    -- planned for a hundred of them (the estimate of every JSON set function) and chose to scan the table instead
    -- (the pending timers, all of them) — a cost that grows with the table.
    IF jsonb_array_length(w->'removed_tasks') > 0 THEN
        DELETE FROM tasks
        WHERE id = ANY(ARRAY(SELECT jsonb_array_elements_text(w->'removed_tasks')::uuid)) AND project_id = project;
    END IF;
    FOR changed IN SELECT * FROM jsonb_to_recordset(w->'changed_tasks') AS x(
            id uuid, agency_id uuid, state text, decline_reason text, change_note text, deliveries text,
            updated_at timestamptz, due_date date, due_at timestamptz, state_since timestamptz,
            last_reminder_at timestamptz, approval_mode text, approvers uuid[]) LOOP
        UPDATE tasks SET agency_id = changed.agency_id, state = changed.state,
            decline_reason = changed.decline_reason, change_note = changed.change_note,
            deliveries = COALESCE(changed.deliveries::jsonb, deliveries), updated_at = changed.updated_at,
            due_date = changed.due_date, due_at = changed.due_at, state_since = changed.state_since,
            last_reminder_at = changed.last_reminder_at, approval_mode = changed.approval_mode,
            approvers = changed.approvers
        WHERE id = changed.id AND project_id = project;
    END LOOP;
    IF jsonb_array_length(w->'added_tasks') > 0 THEN
        INSERT INTO tasks (id, project_id, agency_id, position, title, description, due_date, state, deliveries,
                           created_at, updated_at, due_at, state_since, last_reminder_at, fee_minor, currency,
                           approval_mode, approvers)
        SELECT a.id, project, a.agency_id, a.position, a.title, a.description, a.due_date, a.state,
               a.deliveries::jsonb, a.created_at, a.updated_at, a.due_at, a.state_since, a.last_reminder_at,
               a.fee_minor, a.currency, a.approval_mode, a.approvers
        FROM jsonb_to_recordset(w->'added_tasks') AS a(
            id uuid, agency_id uuid, position integer, title text, description text, due_date date, state text,
            deliveries text, created_at timestamptz, updated_at timestamptz, due_at timestamptz,
            state_since timestamptz, last_reminder_at timestamptz, fee_minor bigint, currency text,
            approval_mode text, approvers uuid[]);
    END IF;

    FOR cancelled IN SELECT * FROM jsonb_to_recordset(w->'cancelled_timers') AS x(task_id uuid, kind text, basis timestamptz)
    LOOP
        UPDATE timers SET status = 'cancelled', settled_at = now()
        WHERE task_id = cancelled.task_id AND kind = cancelled.kind AND basis = cancelled.basis
          AND status = 'pending';
    END LOOP;
    IF jsonb_array_length(w->'armed_timers') > 0 THEN
        INSERT INTO timers (id, project_id, task_id, kind, basis, due_at)
        SELECT gen_random_uuid(), project, a.task_id, a.kind, a.basis, a.due_at
        FROM jsonb_to_recordset(w->'armed_timers') AS a(task_id uuid, kind text, basis timestamptz,
                                                         due_at timestamptz)
        ON CONFLICT (task_id, kind, basis) DO NOTHING;
    END IF;

    PERFORM briefd_append_events(w->'events');

    IF jsonb_typeof(w->'idempotency') = 'object' THEN
        UPDATE idempotency_keys SET status = (w#>>'{idempotency,status}')::int, headers = w#>'{idempotency,headers}',
            body = decode(w#>>'{idempotency,body}', 'base64'), sealed = (w#>>'{idempotency,sealed}')::bool
        WHERE scope = w#>>'{idempotency,scope}' AND key = w#>>'{idempotency,key}';
    END IF;
END $$;
