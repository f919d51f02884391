-- Least privilege at run time. Migrations run as the schema's owner (`briefd migrate`); the daemon may connect
-- as a login role that is a member of `briefd_runtime`, which can read and write rows and nothing else: no DDL
-- (it owns nothing, so it cannot ALTER, DROP or disable a trigger), and on the append-only tables (history,
-- events, their recipients) only SELECT and INSERT. docs/operations.md shows the two roles.
--
-- Roles belong to the cluster, not the database: the role is created once if the migrating user may create
-- roles; without that right (some managed services) the operator creates it and runs `briefd migrate` again
-- after, and this migration only grants. Several databases of one cluster may migrate at once: a concurrent
-- creation is not an error.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'briefd_runtime') THEN
        BEGIN
            CREATE ROLE briefd_runtime NOLOGIN;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL;
            WHEN insufficient_privilege THEN
                RAISE NOTICE 'briefd: cannot create the role briefd_runtime; create it (NOLOGIN) to run with least privilege';
        END;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'briefd_runtime') THEN
        EXECUTE 'GRANT USAGE ON SCHEMA public TO briefd_runtime';
        EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO briefd_runtime';
        EXECUTE 'REVOKE UPDATE, DELETE ON transitions, events, event_recipients FROM briefd_runtime';
        EXECUTE 'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO briefd_runtime';
        -- Tables and sequences of later migrations (created by the same owner) get the same rights.
        EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO briefd_runtime';
        EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO briefd_runtime';
    END IF;
END
$$;

-- The recipients of an event are history too: nothing rewrites or removes them.
CREATE TRIGGER event_recipients_append_only BEFORE UPDATE OR DELETE ON event_recipients
    FOR EACH ROW EXECUTE FUNCTION briefd_append_only();
CREATE TRIGGER event_recipients_no_truncate BEFORE TRUNCATE ON event_recipients
    FOR EACH STATEMENT EXECUTE FUNCTION briefd_append_only();
