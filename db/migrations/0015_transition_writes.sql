-- A transition's writes in one round trip (issue 17, docs/decisions.md "One round trip for the writes").
--
-- The daemon locks the project and reads it (one statement), the machine decides, and everything the decision
-- writes — the project row, its tasks, its timers, its history rows and events with their recipients and outbox rows —
-- goes to the server as one JSON document, applied by briefd_write_transition in the order the triggers need: the
-- project row first (the task trigger reads the project's state), then the tasks, the timers, the events. It was one
-- statement and one round trip each (about seven a transition with BEGIN and COMMIT); each cost the daemon a socket
-- write and a wake-up and PostgreSQL a message to parse, bind and answer.
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

-- A transition's writes, in order: the project row; the tasks removed, changed and added; the timers cancelled and
-- armed; the events. The caller holds the project row's lock (the transition's first statement).
CREATE FUNCTION briefd_write_transition(w jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    p jsonb := w->'project';
    project uuid := (w#>>'{project,id}')::uuid;
    c record;
    t record;
BEGIN
    UPDATE projects SET title = p->>'title', state = p->>'state', version = (p->>'version')::int8,
        last_sequence = (p->>'last_sequence')::int8,
        strategy = COALESCE((p->>'strategy')::jsonb, strategy),
        kpi_results = COALESCE((p->>'kpi_results')::jsonb, kpi_results),
        outcome = CASE WHEN p ? 'outcome' THEN (p->>'outcome')::jsonb ELSE outcome END,
        cancel_reason = p->>'cancel_reason', updated_at = (p->>'updated_at')::timestamptz
    WHERE id = project;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'briefd: no project %', project USING ERRCODE = 'no_data_found';
    END IF;

    -- Rows are found by their keys, one statement per row or `= ANY(array)`: a join with the document's rows is
    -- planned for a hundred of them (the estimate of every JSON set function) and chose to scan the table instead
    -- (the pending timers, all of them) — a cost that grows with the table.
    IF jsonb_array_length(w->'removed_tasks') > 0 THEN
        DELETE FROM tasks
        WHERE id = ANY(ARRAY(SELECT jsonb_array_elements_text(w->'removed_tasks')::uuid)) AND project_id = project;
    END IF;
    FOR c IN SELECT * FROM jsonb_to_recordset(w->'changed_tasks') AS x(
            id uuid, agency_id uuid, state text, decline_reason text, change_note text, deliveries text,
            updated_at timestamptz, due_date date, due_at timestamptz, state_since timestamptz,
            last_reminder_at timestamptz, approval_mode text, approvers uuid[]) LOOP
        UPDATE tasks SET agency_id = c.agency_id, state = c.state, decline_reason = c.decline_reason,
            change_note = c.change_note, deliveries = COALESCE(c.deliveries::jsonb, deliveries),
            updated_at = c.updated_at, due_date = c.due_date, due_at = c.due_at, state_since = c.state_since,
            last_reminder_at = c.last_reminder_at, approval_mode = c.approval_mode, approvers = c.approvers
        WHERE id = c.id AND project_id = project;
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

    FOR t IN SELECT * FROM jsonb_to_recordset(w->'cancelled_timers') AS x(task_id uuid, kind text, basis timestamptz)
    LOOP
        UPDATE timers SET status = 'cancelled', settled_at = now()
        WHERE task_id = t.task_id AND kind = t.kind AND basis = t.basis AND status = 'pending';
    END LOOP;
    IF jsonb_array_length(w->'armed_timers') > 0 THEN
        INSERT INTO timers (id, project_id, task_id, kind, basis, due_at)
        SELECT gen_random_uuid(), project, a.task_id, a.kind, a.basis, a.due_at
        FROM jsonb_to_recordset(w->'armed_timers') AS a(task_id uuid, kind text, basis timestamptz,
                                                         due_at timestamptz)
        ON CONFLICT (task_id, kind, basis) DO NOTHING;
    END IF;

    PERFORM briefd_append_events(w->'events');
END $$;
