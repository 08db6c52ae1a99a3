-- test/data/try.sql: the pg_regress tests' one helper (\i test/data/try.sql).
-- try(statement): 'ok', or the SQLSTATE, message, detail and hint of the
-- statement's error, so that a test shows a refusal and goes on.  It lives
-- in pg_temp: any role the test switches to may call it, and it goes with
-- the session.  test/data/fixture.sql loads it for every test (OR REPLACE:
-- a test may load it again).
CREATE OR REPLACE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    state text; msg text; detail text; hint text;
BEGIN
    EXECUTE stmt;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
        detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RETURN state || ' ' || msg || coalesce(' DETAIL: ' || nullif(detail, ''), '')
        || coalesce(' HINT: ' || nullif(hint, ''), '');
END
$$;
