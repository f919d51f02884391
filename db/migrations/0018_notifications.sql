-- Notifications and mail (issue 32, docs/notifications.md).
--
-- A transition tells the people who must act next: the daemon decides which organizations (`Workflow.Notices`,
-- from the machine's own inbox) and sends them in the transition's document; briefd_notify, called in the same
-- statement as briefd_write_transition, finds the members, writes their notifications and, for those who want mail
-- at once, the emails to send (the mail outbox). Mentions are found here, where the members' names are.

ALTER TABLE users ADD COLUMN email_notifications text NOT NULL DEFAULT 'immediate'
    CHECK (email_notifications IN ('immediate', 'daily', 'off'));

CREATE TABLE notifications (
    id               uuid PRIMARY KEY,
    -- The order of a person's list and its cursor.
    position         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    user_id          uuid NOT NULL REFERENCES users(id),
    -- The membership it belongs to: a person reads their notifications as a member of one organization.
    organization_id  uuid NOT NULL REFERENCES organizations(id),
    kind             text NOT NULL CHECK (kind IN ('task_offered', 'delivery_due', 'delivery_submitted',
        'changes_requested', 'task_declined', 'project_step', 'response_overdue', 'due_soon', 'overdue',
        'escalated', 'review_overdue', 'reminder', 'mention')),
    project_id       uuid NOT NULL REFERENCES projects(id),
    task_id          uuid,
    event_id         uuid,
    -- Who acted (a person's or a key's name); nil for the engine's own deadline events.
    actor_name       text,
    -- A mention's comment, its first 280 characters.
    excerpt          text,
    created_at       timestamptz NOT NULL,
    read_at          timestamptz
);
CREATE INDEX notifications_list ON notifications (user_id, organization_id, position DESC);
CREATE INDEX notifications_unread ON notifications (user_id, organization_id) WHERE read_at IS NULL;

-- The mail outbox: one row per email, written in the transaction that causes it; the mailer claims due rows
-- (SKIP LOCKED, under a lease), sends them and settles them. The Message-ID is the row's id at the mail domain, so a
-- message sent again (a daemon killed between the server's 250 and the settling) is the same message.
CREATE TABLE email_outbox (
    id               uuid PRIMARY KEY,
    kind             text NOT NULL CHECK (kind IN ('notification', 'invitation', 'password_reset', 'digest')),
    user_id          uuid REFERENCES users(id),
    notification_id  uuid REFERENCES notifications(id),
    -- The thread a mail client groups it in: the project's.
    project_id       uuid,
    to_address       text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
    locale           text NOT NULL CHECK (locale IN ('en', 'fr')),
    -- What the email says (titles, names, the path to act on); a link with a secret (an invitation's, a reset's)
    -- is removed once the email is settled.
    content          jsonb NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    lease_token      uuid,
    last_error       text,
    created_at       timestamptz NOT NULL,
    settled_at       timestamptz,
    CHECK ((status = 'pending') = (settled_at IS NULL))
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE status = 'pending';

CREATE TABLE email_attempts (
    email_id      uuid NOT NULL REFERENCES email_outbox(id) ON DELETE CASCADE,
    attempted_at  timestamptz NOT NULL,
    outcome       text NOT NULL CHECK (outcome IN ('sent', 'refused', 'deferred')),
    detail        text
);
CREATE INDEX email_attempts_email ON email_attempts (email_id, attempted_at);

-- Password resets: the token is given once, in the email; only its hash is kept. Valid one hour, once.
CREATE TABLE password_resets (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users(id),
    token_hash   bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL CHECK (expires_at > created_at),
    used_at      timestamptz
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

-- The people a transition tells, with their emails: the notices the daemon sends (`notices`), each an organization
-- whose admins and managers hear, or the task's named approvers (API key ids or people; a personal key stands for
-- its owner) when they are members; and a new comment's mentions — `@` and a member's name or email, among the
-- members who may read it (the brand's; the task's agency's too unless the comment is internal). The person who
-- acted is never told of their own act. `mail` is whether the daemon mails (BRIEFD_SMTP_URL is set).
CREATE FUNCTION briefd_notify(w jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    project uuid := (w#>>'{project,id}')::uuid;
    actor uuid := (w#>>'{events,0,history,actor_user_id}')::uuid;
    actor_name text := w#>>'{events,0,history,actor_name}';
    new_comment boolean := jsonb_typeof(w->'comment') = 'object' AND w#>>'{comment,resolved_at}' IS NULL;
BEGIN
    IF jsonb_array_length(w->'notices') = 0 AND NOT new_comment THEN
        RETURN;
    END IF;
    WITH notice AS (
        SELECT n.* FROM jsonb_to_recordset(w->'notices') AS n(organization_id uuid, kind text, task_id uuid,
            approvers uuid[], event_id uuid)
    ), named AS (
        -- The people the approvers name, directly or through their personal keys.
        SELECT n.organization_id, n.task_id, n.kind, u.id AS user_id
        FROM notice n JOIN users u ON u.id = ANY(n.approvers)
        UNION
        SELECT n.organization_id, n.task_id, n.kind, k.owner_user_id
        FROM notice n JOIN api_keys k ON k.id = ANY(n.approvers) AND k.owner_user_id IS NOT NULL
    ), told AS (
        SELECT DISTINCT ON (m.user_id, n.organization_id, n.kind, n.task_id)
               m.user_id, n.organization_id, n.kind, n.task_id, n.event_id, NULL::text AS excerpt
        FROM notice n JOIN memberships m ON m.organization_id = n.organization_id
        WHERE m.user_id IS DISTINCT FROM actor
          AND CASE WHEN EXISTS (SELECT 1 FROM named x JOIN memberships y ON y.user_id = x.user_id
                                     AND y.organization_id = x.organization_id
                                WHERE x.organization_id = n.organization_id AND x.task_id IS NOT DISTINCT FROM n.task_id
                                  AND x.kind = n.kind)
              THEN m.user_id IN (SELECT x.user_id FROM named x WHERE x.organization_id = n.organization_id
                                   AND x.task_id IS NOT DISTINCT FROM n.task_id AND x.kind = n.kind)
              ELSE m.role IN ('admin', 'manager') END
        UNION ALL
        SELECT DISTINCT ON (m.user_id) m.user_id, m.organization_id, 'mention', (w#>>'{comment,task_id}')::uuid,
               (w#>>'{events,0,id}')::uuid, left(w#>>'{comment,body}', 280)
        FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE new_comment AND m.user_id IS DISTINCT FROM actor
          AND (m.organization_id = (SELECT brand_id FROM projects WHERE id = project)
               OR (m.organization_id = (w#>>'{comment,agency_id}')::uuid
                   AND NOT (w#>>'{comment,internal}')::boolean))
          AND (position('@' || u.email IN lower(w#>>'{comment,body}')) > 0
               OR position('@' || lower(u.name) IN lower(w#>>'{comment,body}')) > 0)
    ), written AS (
        INSERT INTO notifications (id, user_id, organization_id, kind, project_id, task_id, event_id, actor_name,
                                   excerpt, created_at)
        SELECT gen_random_uuid(), t.user_id, t.organization_id, t.kind, project, t.task_id, t.event_id, actor_name,
               t.excerpt, now()
        FROM told t
        RETURNING *
    )
    INSERT INTO email_outbox (id, kind, user_id, notification_id, project_id, to_address, locale, content,
                              next_attempt_at, created_at)
    SELECT gen_random_uuid(), 'notification', u.id, n.id, project, u.email, u.locale,
           jsonb_build_object('kind', n.kind, 'project_id', project, 'project_title', p.title,
                              'task_id', n.task_id, 'task_title', t.title, 'organization', o.name,
                              'recipient', u.name, 'actor', n.actor_name, 'excerpt', n.excerpt),
           now(), now()
    FROM written n
    JOIN users u ON u.id = n.user_id
    JOIN projects p ON p.id = project
    JOIN organizations o ON o.id = n.organization_id
    LEFT JOIN tasks t ON t.id = n.task_id
    WHERE (w->>'mail')::boolean AND u.email_notifications = 'immediate';
END $$;

-- A transition's writes and the notifications they cause: one statement, one round trip.
CREATE FUNCTION briefd_transition(w jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM briefd_write_transition(w);
    PERFORM briefd_notify(w);
END $$;
