-- Dispatchers LISTEN on `briefd_deliveries`; the database itself now sends the NOTIFY, so every path that
-- queues a delivery wakes them without writing it again: an inserted delivery (transitions, endpoint
-- disabling, replays), and a delivery made due at once with no lease (a manual retry, a lease given back).
-- PostgreSQL folds identical notifications of one transaction into one, and sends it at commit, never
-- for a transaction that rolls back. Compatible with the previous daemon: its own NOTIFYs only add wake-ups.
CREATE FUNCTION briefd_wake_dispatchers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('briefd_deliveries', '');
    RETURN NULL;
END $$;

CREATE TRIGGER webhook_deliveries_queued AFTER INSERT ON webhook_deliveries
    FOR EACH ROW EXECUTE FUNCTION briefd_wake_dispatchers();

CREATE TRIGGER webhook_deliveries_due_now AFTER UPDATE OF status, next_attempt_at, lease_token ON webhook_deliveries
    FOR EACH ROW
    WHEN (NEW.status = 'pending' AND NEW.lease_token IS NULL AND NEW.next_attempt_at <= now())
    EXECUTE FUNCTION briefd_wake_dispatchers();
