-- Per-offer facts (and project closures and time in each state) for the reports, kept by the transition transaction itself: a trigger on the history writes
-- them as each transition is recorded, so the scorecards aggregate one row per offer instead of reading the
-- whole history (150,000 rows for 10,000 projects) with a lookup per task. They are derived data: the history
-- stays the record, and briefd_rebuild_task_facts() rebuilds them from it (this migration, fixtures that load
-- history with triggers off).

-- One offer of a task to an agency: a brief issued with the task in it (to the agency holding it then) or a
-- reassignment (to the new agency), with its answer — that agency's first accept or decline after it — the
-- agency's first delivery of the task, and the first approval after an accepted answer.
CREATE TABLE task_offers (
    task_id            uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    offer_sequence     integer NOT NULL,
    project_id         uuid NOT NULL,
    brand_id           uuid NOT NULL,
    agency_id          uuid NOT NULL,
    offered_at         timestamptz NOT NULL,
    answer             text CHECK (answer IN ('accept', 'decline')),
    answered_at        timestamptz,
    answer_sequence    integer,
    first_delivered_at timestamptz,
    approved_at        timestamptz,
    approved_round     integer,
    PRIMARY KEY (task_id, offer_sequence)
);
CREATE INDEX task_offers_brand ON task_offers (brand_id, offered_at);
CREATE INDEX task_offers_agency ON task_offers (agency_id, offered_at);

-- Each delivery of a task with the brand's first review (approve or request_changes) after it.
CREATE TABLE task_reviews (
    task_id            uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    delivery_sequence  integer NOT NULL,
    delivered_at       timestamptz NOT NULL,
    reviewed_at        timestamptz,
    PRIMARY KEY (task_id, delivery_sequence)
);

-- When each project closed (the KPI figures count projects closed in the period).
CREATE TABLE project_closures (
    project_id  uuid PRIMARY KEY REFERENCES projects(id),
    brand_id    uuid NOT NULL,
    closed_at   timestamptz NOT NULL
);
CREATE INDEX project_closures_brand ON project_closures (brand_id, closed_at);

-- Time each project has spent in each state: `seconds` for the stays that ended, `since` while it is there now.
CREATE TABLE project_state_time (
    project_id  uuid NOT NULL REFERENCES projects(id),
    state       text NOT NULL,
    seconds     double precision NOT NULL DEFAULT 0,
    since       timestamptz,
    PRIMARY KEY (project_id, state)
);

-- Applies one history row to the facts. Called by the trigger for each new row, and in sequence order by the
-- rebuild.
CREATE FUNCTION briefd_apply_task_fact(h transitions) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- A change of the project's state (task transitions keep it): the stay in the old state ends, one begins.
    IF h.from_state IS DISTINCT FROM h.to_state THEN
        UPDATE project_state_time SET seconds = seconds + EXTRACT(EPOCH FROM h.occurred_at - since), since = NULL
        WHERE project_id = h.project_id AND state = h.from_state AND since IS NOT NULL;
        INSERT INTO project_state_time (project_id, state, since) VALUES (h.project_id, h.to_state, h.occurred_at)
        ON CONFLICT (project_id, state) DO UPDATE SET since = excluded.since;
    END IF;
    IF h.action = 'close' THEN
        INSERT INTO project_closures (project_id, brand_id, closed_at)
        SELECT h.project_id, p.brand_id, h.occurred_at FROM projects p WHERE p.id = h.project_id
        ON CONFLICT DO NOTHING;
    ELSIF h.action = 'issue_brief' THEN
        INSERT INTO task_offers (task_id, offer_sequence, project_id, brand_id, agency_id, offered_at, first_delivered_at)
        -- The agency that held the task then: the one a later reassignment took it from, else the task's own
        -- (always the task's own when the trigger runs; the rebuild reads a finished history).
        SELECT o.task_id, h.sequence, o.project_id, o.brand_id, o.agency_id, h.occurred_at,
               (SELECT min(d.occurred_at) FROM transitions d WHERE d.task_id = o.task_id
                  AND d.action = 'submit_delivery' AND d.actor_org_id = o.agency_id AND d.sequence < h.sequence)
        FROM (
            SELECT t.id AS task_id, t.project_id, p.brand_id,
                   COALESCE((SELECT (r.data->>'previous_agency_id')::uuid FROM transitions r
                             WHERE r.task_id = t.id AND r.action = 'reassign' AND r.sequence > h.sequence
                             ORDER BY r.sequence LIMIT 1), t.agency_id) AS agency_id
            FROM tasks t JOIN projects p ON p.id = t.project_id
            WHERE t.project_id = h.project_id AND t.created_at <= h.occurred_at
        ) o
        ON CONFLICT DO NOTHING;
    ELSIF h.action = 'reassign' AND h.task_id IS NOT NULL THEN
        INSERT INTO task_offers (task_id, offer_sequence, project_id, brand_id, agency_id, offered_at, first_delivered_at)
        SELECT h.task_id, h.sequence, h.project_id, p.brand_id, (h.data->>'agency_id')::uuid, h.occurred_at,
               (SELECT min(d.occurred_at) FROM transitions d WHERE d.task_id = h.task_id
                  AND d.action = 'submit_delivery' AND d.actor_org_id = (h.data->>'agency_id')::uuid
                  AND d.sequence < h.sequence)
        FROM projects p WHERE p.id = h.project_id
        ON CONFLICT DO NOTHING;
    ELSIF h.action IN ('accept', 'decline') AND h.task_id IS NOT NULL THEN
        UPDATE task_offers SET answer = h.action, answered_at = h.occurred_at, answer_sequence = h.sequence
        WHERE task_id = h.task_id AND agency_id = h.actor_org_id AND answer IS NULL AND offer_sequence < h.sequence;
    ELSIF h.action = 'submit_delivery' AND h.task_id IS NOT NULL THEN
        UPDATE task_offers SET first_delivered_at = h.occurred_at
        WHERE task_id = h.task_id AND agency_id = h.actor_org_id AND first_delivered_at IS NULL;
        INSERT INTO task_reviews (task_id, delivery_sequence, delivered_at) VALUES (h.task_id, h.sequence, h.occurred_at)
        ON CONFLICT DO NOTHING;
    ELSIF h.action IN ('approve', 'request_changes') AND h.task_id IS NOT NULL THEN
        UPDATE task_reviews SET reviewed_at = h.occurred_at
        WHERE task_id = h.task_id AND reviewed_at IS NULL AND delivery_sequence < h.sequence;
        IF h.action = 'approve' THEN
            UPDATE task_offers SET approved_at = h.occurred_at, approved_round = (h.data->>'round')::int
            WHERE task_id = h.task_id AND answer = 'accept' AND approved_at IS NULL AND answer_sequence < h.sequence;
        END IF;
    END IF;
END
$$;

CREATE FUNCTION briefd_task_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM briefd_apply_task_fact(NEW);
    RETURN NULL;
END
$$;
-- The WHEN clause is checked without entering PL/pgSQL: other transitions (add_task, update_strategy, timers'
-- notices, …) cost nothing here.
CREATE TRIGGER transitions_task_facts AFTER INSERT ON transitions
    FOR EACH ROW
    WHEN (NEW.action IN ('issue_brief', 'reassign', 'accept', 'decline', 'submit_delivery', 'approve',
                         'request_changes', 'close')
          OR NEW.from_state IS DISTINCT FROM NEW.to_state)
    EXECUTE FUNCTION briefd_task_facts();

-- Rebuilds every fact from the history, in the order it was recorded.
CREATE FUNCTION briefd_rebuild_task_facts() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    h transitions;
BEGIN
    DELETE FROM task_offers;
    DELETE FROM task_reviews;
    DELETE FROM project_closures;
    DELETE FROM project_state_time;
    FOR h IN SELECT * FROM transitions
             WHERE action IN ('issue_brief', 'reassign', 'accept', 'decline', 'submit_delivery', 'approve',
                              'request_changes', 'close')
                OR from_state IS DISTINCT FROM to_state
             ORDER BY project_id, sequence
    LOOP
        PERFORM briefd_apply_task_fact(h);
    END LOOP;
END
$$;

SELECT briefd_rebuild_task_facts();
