-- Review (issue 19): who signs off a task's deliveries, each approver's decision per round, and comment threads.
-- The machine decides (Sources/Workflow/Review.swift); these rules hold in the database as well, whatever writes.

-- Approval policy per task: `any` (the first decision settles a round; with no approvers listed, any brand key
-- that may act decides — the behaviour before this migration) or `all` (every listed approver approves).
ALTER TABLE tasks
    ADD COLUMN approval_mode text NOT NULL DEFAULT 'any' CHECK (approval_mode IN ('any', 'all')),
    ADD COLUMN approvers uuid[] NOT NULL DEFAULT '{}',
    ADD CONSTRAINT tasks_all_needs_approvers CHECK (approval_mode = 'any' OR cardinality(approvers) > 0);

-- One decision per approver per round; written in the transition's transaction before the task row moves.
CREATE TABLE task_decisions (
    task_id     uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    round       integer NOT NULL CHECK (round >= 1),
    api_key_id  uuid NOT NULL REFERENCES api_keys(id),
    verdict     text NOT NULL CHECK (verdict IN ('approve', 'request_changes')),
    decided_at  timestamptz NOT NULL,
    PRIMARY KEY (task_id, round, api_key_id)
);

-- A settled round takes no more decisions: a decision is for the round under review (the task delivered, the
-- round its last delivery). The settling decision is inserted while the task is still delivered; once the task
-- has moved on (approved, changes requested), nothing more is taken for that round.
CREATE FUNCTION briefd_check_decision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = NEW.task_id AND t.state = 'delivered'
                   AND jsonb_array_length(t.deliveries) = NEW.round) THEN
        RAISE EXCEPTION 'briefd: round % of task % is not under review: it takes no decision', NEW.round, NEW.task_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER task_decisions_open_round BEFORE INSERT ON task_decisions
    FOR EACH ROW EXECUTE FUNCTION briefd_check_decision();
CREATE TRIGGER task_decisions_append_only BEFORE UPDATE ON task_decisions
    FOR EACH ROW EXECUTE FUNCTION briefd_append_only();

-- With mode `all`, a task is approved only when every listed approver approved its last round.
CREATE FUNCTION briefd_check_all_approved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM task_decisions d
        WHERE d.task_id = NEW.id AND d.round = jsonb_array_length(NEW.deliveries) AND d.verdict = 'approve'
          AND d.api_key_id = ANY(NEW.approvers)) < cardinality(NEW.approvers) THEN
        RAISE EXCEPTION 'briefd: task % is approved only when every listed approver approved', NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER tasks_all_approved BEFORE UPDATE ON tasks
    FOR EACH ROW WHEN (NEW.approval_mode = 'all' AND NEW.state = 'approved' AND OLD.state = 'delivered')
    EXECUTE FUNCTION briefd_check_all_approved();

-- Comments on a task: optionally about a delivery round, optionally a reply to a thread (one level). `agency_id`
-- is the agency holding the task when it was written: an agency reads the comments of its own conversation with
-- the brand, never `internal` ones. Never edited (a correction is a new comment); a thread is resolved once.
CREATE TABLE task_comments (
    id                      uuid PRIMARY KEY,
    project_id              uuid NOT NULL REFERENCES projects(id),
    task_id                 uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    agency_id               uuid NOT NULL,
    round                   integer CHECK (round >= 1),
    parent_id               uuid,
    author_org_id           uuid NOT NULL REFERENCES organizations(id),
    author_api_key_id       uuid,
    author_side             text NOT NULL CHECK (author_side IN ('brand', 'agency')),
    body                    text NOT NULL CHECK (octet_length(body) BETWEEN 1 AND 10000),
    internal                boolean NOT NULL DEFAULT false,
    created_at              timestamptz NOT NULL,
    resolved_at             timestamptz,
    resolved_by_api_key_id  uuid,
    UNIQUE (id, task_id),
    -- A reply answers a comment of the same task.
    FOREIGN KEY (parent_id, task_id) REFERENCES task_comments (id, task_id),
    CHECK (NOT internal OR author_side = 'brand'),
    CHECK (parent_id IS NULL OR resolved_at IS NULL)
);
CREATE INDEX task_comments_task ON task_comments (task_id, id);

CREATE FUNCTION briefd_check_comment() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent task_comments;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.parent_id IS NOT NULL THEN
            SELECT * INTO parent FROM task_comments WHERE id = NEW.parent_id;
            IF parent.parent_id IS NOT NULL THEN
                RAISE EXCEPTION 'briefd: a reply has no replies' USING ERRCODE = 'check_violation';
            END IF;
            IF parent.internal AND NOT NEW.internal THEN
                RAISE EXCEPTION 'briefd: a reply to an internal thread is internal' USING ERRCODE = 'check_violation';
            END IF;
        END IF;
        RETURN NEW;
    END IF;
    -- Only the resolution is ever written after the insert, once.
    IF OLD.resolved_at IS NOT NULL OR NEW.resolved_at IS NULL
       OR (to_jsonb(NEW) - 'resolved_at' - 'resolved_by_api_key_id') <> (to_jsonb(OLD) - 'resolved_at' - 'resolved_by_api_key_id') THEN
        RAISE EXCEPTION 'briefd: comments are never edited; a thread is resolved once' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER task_comments_rules BEFORE INSERT OR UPDATE ON task_comments
    FOR EACH ROW EXECUTE FUNCTION briefd_check_comment();

-- Decisions are history: the daemon's role may add them, never change or remove them (a task's removal, for a
-- draft that has none, cascades as the owner).
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'briefd_runtime') THEN
        EXECUTE 'REVOKE UPDATE, DELETE ON task_decisions FROM briefd_runtime';
    END IF;
END
$$;
