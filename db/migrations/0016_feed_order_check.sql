-- One project's events in its history's order in every feed, checked rather than assumed (docs/decisions.md "The
-- feed's order").
--
-- An event's position is its transaction's id * 1024 + ordinal (0014), and a project's transitions take turns on its
-- row lock, so their events sort in sequence order only when each transaction's id is higher than that of the one
-- before it. 0014 assumed PostgreSQL gives a transaction its id once the row lock is granted; the feed-order test
-- found otherwise under load (sequence 7 written by transaction 4296, sequence 6 by 4303, after it): a transaction
-- can hold an id from before its wait. So the write now checks, holding the lock, that the project row's last writer
-- (its xmin) has a lower id than this transaction; when it has not, the transaction fails with a serialization
-- failure, which the daemon retries at once (Database.transaction) under a new, higher id. age(xid) counts from this
-- transaction's own id once it has one (the lock gave it one): negative means the last writer's id is above ours. A
-- frozen row's xmin reads as frozen, whose age is the largest integer, so an old project never fails the check.
ALTER FUNCTION briefd_write_transition(jsonb) RENAME TO briefd_write_transition_unchecked;

CREATE FUNCTION briefd_write_transition(w jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF age((SELECT xmin FROM projects WHERE id = (w#>>'{project,id}')::uuid)) < 0 THEN
        RAISE EXCEPTION 'briefd: project % was last written by a later transaction; its events would sort first',
            w#>>'{project,id}' USING ERRCODE = 'serialization_failure';
    END IF;
    PERFORM briefd_write_transition_unchecked(w);
END $$;
