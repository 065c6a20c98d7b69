-- Removes change tracking (docs/sync-engine.md §3): triggers, functions, sequences and every unionsync_ sync table.
-- The data tables and unionsync_schema_version (the schema migrator's) stay.
DO $$
DECLARE
    item record;
BEGIN
    PERFORM pg_advisory_xact_lock(6155973667975297391);
    FOR item IN
        SELECT t.tgname, c.relname
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE NOT t.tgisinternal AND t.tgname LIKE 'unionsync\_%' AND c.relnamespace = current_schema()::regnamespace
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', item.tgname, item.relname);
    END LOOP;

    FOR item IN
        SELECT p.oid::regprocedure AS signature
        FROM pg_proc p
        WHERE p.proname LIKE 'unionsync\_%' AND p.pronamespace = current_schema()::regnamespace
    LOOP
        EXECUTE format('DROP FUNCTION IF EXISTS %s', item.signature);
    END LOOP;

    FOR item IN
        SELECT c.relname
        FROM pg_class c
        WHERE c.relkind IN ('r', 'p') AND c.relname LIKE 'unionsync\_%' AND c.relname <> 'unionsync_schema_version'
          AND c.relnamespace = current_schema()::regnamespace
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.relname);
    END LOOP;

    FOR item IN
        SELECT c.relname
        FROM pg_class c
        WHERE c.relkind = 'S' AND c.relname LIKE 'unionsync\_%' AND c.relnamespace = current_schema()::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
    LOOP
        EXECUTE format('DROP SEQUENCE IF EXISTS %I', item.relname);
    END LOOP;
END
$$;
-- The retention tables (unionsync_watermark_marks, unionsync_retention), the base rows (unionsync_base_<table>) and the
-- tables whose base rows are kept (unionsync_base_capture), and the policies' tables (unionsync_policy_fallbacks,
-- unionsync_column_owners) go with every other unionsync_ table above.
