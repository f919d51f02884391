-- Deadlines: service levels per organization, deadlines and waits on tasks, and durable timers armed and
-- cancelled inside the transition's own transaction (like the outbox), fired by every daemon's timer service.

ALTER TABLE organizations
    ADD COLUMN timezone text NOT NULL DEFAULT 'UTC' CHECK (length(timezone) BETWEEN 1 AND 64),
    ADD COLUMN response_sla_seconds double precision NOT NULL DEFAULT 172800 CHECK (response_sla_seconds >= 1),
    ADD COLUMN review_sla_seconds double precision NOT NULL DEFAULT 259200 CHECK (review_sla_seconds >= 1),
    ADD COLUMN due_soon_seconds double precision NOT NULL DEFAULT 172800 CHECK (due_soon_seconds >= 1),
    ADD COLUMN escalate_after_seconds double precision NOT NULL DEFAULT 86400 CHECK (escalate_after_seconds >= 1);

ALTER TABLE tasks
    ADD COLUMN due_at timestamptz,
    -- When the task entered its current state: the start of the current wait.
    ADD COLUMN state_since timestamptz,
    ADD COLUMN last_reminder_at timestamptz;
UPDATE tasks SET state_since = updated_at,
    due_at = CASE WHEN due_date IS NULL THEN NULL ELSE (due_date + 1)::timestamp AT TIME ZONE 'UTC' END;
ALTER TABLE tasks ALTER COLUMN state_since SET NOT NULL;

-- One row per wait: (task, kind, basis) is the wait's identity, so it is armed once and fires at most once.
-- pending → fired | cancelled; a claimed timer carries a lease, and a daemon that dies mid-firing loses it.
CREATE TABLE timers (
    id            uuid PRIMARY KEY,
    project_id    uuid NOT NULL REFERENCES projects(id),
    task_id       uuid NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('response_overdue', 'due_soon', 'overdue', 'escalate', 'review_overdue')),
    basis         timestamptz NOT NULL,
    due_at        timestamptz NOT NULL,
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fired', 'cancelled')),
    lease_until   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    settled_at    timestamptz,
    UNIQUE (task_id, kind, basis)
);
CREATE INDEX timers_due ON timers (due_at) WHERE status = 'pending';
CREATE INDEX timers_task ON timers (task_id) WHERE status = 'pending';

-- A fired or cancelled timer is settled for good.
CREATE FUNCTION briefd_check_timer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'pending' AND NEW.status IS DISTINCT FROM OLD.status THEN
        RAISE EXCEPTION 'briefd: a % timer is settled', OLD.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER timers_settled_once BEFORE UPDATE ON timers FOR EACH ROW EXECUTE FUNCTION briefd_check_timer();

-- Overdue lists and the inbox read tasks by deadline.
CREATE INDEX tasks_due ON tasks (due_at) WHERE due_at IS NOT NULL AND state IN ('issued', 'accepted', 'changes_requested');
