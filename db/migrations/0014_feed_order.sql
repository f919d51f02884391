-- The feed's order without a lock per organization (issue 17, docs/decisions.md "The feed's order").
--
-- Until now each recipient organization's row was locked to hand out the next gap-free position, and held through
-- the commit: one brand's transitions, across all its projects, committed one at a time. From here on an event's
-- position in every recipient's stream is
--
--     position = pg_current_xact_id() * 1024 + ordinal
--
-- where the ordinal is the event's place among the events its transaction appends (0, 1, … at most 1023). Positions
-- are unique per organization (the primary key) and increase with the writing transactions' ids; a reader lists only
-- positions below briefd_feed_horizon() * 1024: every transaction that could still commit has an id at least that
-- high, so nothing can appear behind a cursor. Positions are no longer consecutive: they increase, with gaps. They
-- stay below 2^53 (exact in a JavaScript number) for 2^43 transactions: 278 years at a thousand a second.
--
-- Existing positions (1, 2, … per organization) stay as they are: they are all below the first new one (checked here),
-- so an old cursor keeps its meaning and goes on from where it was.
DO $$
DECLARE
    highest bigint := (SELECT COALESCE(max(position), 0) FROM event_recipients);
BEGIN
    IF highest >= pg_current_xact_id()::text::bigint * 1024 THEN
        RAISE EXCEPTION 'event positions up to % do not fit below the new positions', highest;
    END IF;
END
$$;

-- The counter is gone: a daemon of an older version, which would still hand out positions from it, fails on its first
-- transition instead of writing a position a reader may already have passed. Stop older daemons before this migration.
ALTER TABLE organizations DROP COLUMN event_seq;

COMMENT ON COLUMN event_recipients.position IS
    'Writing transaction id * 1024 + the event''s ordinal in it (0014_feed_order.sql); readers stay below the horizon.';

-- The oldest transaction id that may still commit in this database: no transaction of ours still running has a lower
-- one, and none that starts later will. Readers of the feed list positions below it (times 1024) in a statement that
-- begins after this one returned: a transaction below the horizon had finished when this one looked, so the later
-- statement sees all it committed.
--
-- pg_snapshot_xmin(pg_current_snapshot()) would be the same bound for the whole cluster: any long transaction of
-- another database there (a CREATE or DROP DATABASE takes seconds) would hold every feed back. Transactions of other
-- databases cannot write our rows, so only this database's are counted: the running ones (pg_stat_activity shows each
-- backend's transaction id to every role), the prepared ones, and the next id to be assigned as of this statement's
-- snapshot (taken before the activity is read, so a transaction that got its id after it is above the bound).
-- backend_xid is 32 bits: it is widened to 64 below the next id, as PostgreSQL's own xid8 arithmetic does.
CREATE FUNCTION briefd_feed_horizon() RETURNS bigint LANGUAGE sql VOLATILE AS $$
    WITH next AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xid),
    running AS (
        SELECT backend_xid::text::bigint AS xid FROM pg_stat_activity
        WHERE datname = current_database() AND backend_xid IS NOT NULL
        UNION ALL
        SELECT transaction::text::bigint FROM pg_prepared_xacts WHERE database = current_database()
    )
    SELECT LEAST(next.xid, min(next.xid - ((next.xid % 4294967296 - running.xid + 4294967296) % 4294967296)))
    FROM next LEFT JOIN running ON true
    GROUP BY next.xid
$$;
