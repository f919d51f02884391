-- The daily digest (issue 32, docs/notifications.md): a person who chose `daily` gets one email at 08:00 in their
-- time zone listing what waits on them. Each such person has one row here, kept by a trigger on `users` (so no code
-- path can choose `daily` and forget the schedule); a mailer claims due rows under a lease (SKIP LOCKED), reads the
-- person's inbox, and in one transaction writes the digest email and moves the row to the next 08:00, only if it
-- still holds the lease: one digest per day across every daemon, and a daemon killed midway loses nothing (the
-- lease runs out and another writes it).

-- The next 08:00 in `zone` strictly after `after` (a zone PostgreSQL does not know counts as UTC). 08:00 exists on
-- every day in every zone, so a change of daylight saving time moves the instant, never the wall time.
CREATE FUNCTION briefd_next_digest(zone text, after timestamptz) RETURNS timestamptz LANGUAGE plpgsql STABLE AS $$
DECLARE
    local timestamp;
    candidate timestamp;
BEGIN
    BEGIN
        local := after AT TIME ZONE zone;
    EXCEPTION WHEN invalid_parameter_value THEN
        zone := 'UTC';
        local := after AT TIME ZONE zone;
    END;
    candidate := date_trunc('day', local) + interval '8 hours';
    IF candidate <= local THEN
        candidate := candidate + interval '1 day';
    END IF;
    RETURN candidate AT TIME ZONE zone;
END $$;

CREATE TABLE digests (
    user_id       uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    due_at        timestamptz NOT NULL,
    lease_token   uuid,
    leased_until  timestamptz,
    -- The last digest written (whether or not anything waited): what the operator reads when a person asks.
    last_run_at   timestamptz,
    CHECK ((lease_token IS NULL) = (leased_until IS NULL))
);
CREATE INDEX digests_due ON digests (due_at);

-- Choosing `daily` schedules the next 08:00; leaving it removes the schedule; a new time zone moves it.
CREATE FUNCTION briefd_schedule_digest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.email_notifications = 'daily' THEN
        INSERT INTO digests (user_id, due_at) VALUES (NEW.id, briefd_next_digest(NEW.time_zone, now()))
        ON CONFLICT (user_id) DO UPDATE SET due_at = EXCLUDED.due_at
            WHERE TG_OP = 'INSERT' OR OLD.time_zone IS DISTINCT FROM NEW.time_zone
               OR OLD.email_notifications IS DISTINCT FROM NEW.email_notifications;
    ELSE
        DELETE FROM digests WHERE user_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER users_schedule_digest AFTER INSERT OR UPDATE OF email_notifications, time_zone ON users
    FOR EACH ROW EXECUTE FUNCTION briefd_schedule_digest();
