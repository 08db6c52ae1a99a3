-- test/data/hostile.sql: traps a hostile role plants in schema public, for
-- the tests that install, update and use pointsys next to them
-- (sql/security.sql, test/t/004_upgrade.pl).  Comparison, arithmetic,
-- range and text operators on the common types, and overloads that match
-- common calls better than pg_catalog's own; each raises an error naming
-- itself when called.  Run as the hostile role; it needs CREATE on public.
DO $do$
DECLARE
    t text;
    op text;
BEGIN
    FOREACH t IN ARRAY ARRAY['text', 'name', 'oid', 'smallint', 'integer', 'bigint',
                             'numeric', 'date', 'boolean', 'timestamptz', 'jsonb',
                             'regclass', 'regrole', 'regnamespace'] LOOP
        EXECUTE format($f$CREATE FUNCTION public.hostile_cmp(%1$s, %1$s) RETURNS boolean
                         LANGUAGE plpgsql AS $b$BEGIN RAISE EXCEPTION 'hostile %1$s comparison called'; END$b$$f$, t);
        FOREACH op IN ARRAY ARRAY['=', '<>', '<', '<=', '>', '>='] LOOP
            EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.hostile_cmp)',
                           op, t, t);
        END LOOP;
    END LOOP;
    FOREACH t IN ARRAY ARRAY['integer', 'bigint', 'numeric'] LOOP
        EXECUTE format($f$CREATE FUNCTION public.hostile_arith(%1$s, %1$s) RETURNS %1$s
                         LANGUAGE plpgsql AS $b$BEGIN RAISE EXCEPTION 'hostile %1$s arithmetic called'; END$b$$f$, t);
        FOREACH op IN ARRAY ARRAY['+', '-', '*', '/', '%'] LOOP
            EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.hostile_arith)',
                           op, t, t);
        END LOOP;
    END LOOP;
END
$do$;
CREATE FUNCTION public.hostile_text(text, text) RETURNS text LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile text operator called'; END$$;
CREATE OPERATOR public.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = public.hostile_text);
-- overloads that match common calls better than pg_catalog's own
CREATE FUNCTION public.date_trunc(text, date) RETURNS date LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile date_trunc called'; END$$;
CREATE FUNCTION public.format(text, text) RETURNS text LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile format called'; END$$;
CREATE FUNCTION public.concat(text, text) RETURNS text LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile concat called'; END$$;
CREATE FUNCTION public.jsonb_build_object(text, text) RETURNS jsonb LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile jsonb_build_object called'; END$$;
CREATE FUNCTION public.make_date(integer, integer, smallint) RETURNS date LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile make_date called'; END$$;
CREATE FUNCTION public.current_setting(text, boolean) RETURNS text LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile current_setting called'; END$$;
-- the operators and functions the reports use on dates and ranges
CREATE FUNCTION public.hostile_overlaps(datemultirange, daterange) RETURNS boolean LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile && called'; END$$;
CREATE OPERATOR public.&& (LEFTARG = datemultirange, RIGHTARG = daterange,
                           FUNCTION = public.hostile_overlaps);
CREATE FUNCTION public.daterange(date, date) RETURNS daterange LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile daterange called'; END$$;
CREATE FUNCTION public.make_date(integer, integer, integer) RETURNS date LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile make_date called'; END$$;
