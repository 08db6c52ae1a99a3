--
-- install: CREATE EXTENSION, the objects it creates, their comments and
-- markings.  The fixture has just run CREATE EXTENSION pointsys (and fixed
-- the node identity that it picks at random: test/data/fixture.sql).
--
\i test/data/fixture.sql

SELECT extname, extversion, extrelocatable, extnamespace::regnamespace AS schema
FROM pg_extension WHERE extname = 'pointsys';

-- pg_temp.implicit_type(classid, objid): a type PostgreSQL creates by itself
-- (an array type, the row type of a table or view); 17 and later record
-- these as members of the extension too, 15 does not: left out below
CREATE FUNCTION pg_temp.implicit_type(classid oid, objid oid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT classid = 'pg_type'::regclass
       AND EXISTS (SELECT FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid
                   WHERE t.oid = objid
                     AND (c.relkind <> 'c'
                          OR EXISTS (SELECT FROM pg_type e WHERE e.typarray = t.oid)))
$$;

-- Every object of the extension, so that an addition, removal or rename
-- shows up here
SELECT (pg_identify_object(classid, objid, objsubid)).type AS kind,
       pg_describe_object(classid, objid, objsubid) COLLATE "C" AS object
FROM pg_depend
WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pointsys')
  AND NOT pg_temp.implicit_type(classid, objid)
ORDER BY object;

-- Objects without a COMMENT (expect none): every member of the extension
-- and every column of its tables and views, except what PostgreSQL creates
-- implicitly (identity sequences, the operator family of an operator class)
WITH member AS (
    SELECT classid, objid, objsubid FROM pg_depend
    WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
      AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pointsys')
      AND NOT pg_temp.implicit_type(classid, objid)
), col AS (
    SELECT m.classid, a.attrelid AS objid, a.attnum::int AS objsubid
    FROM member m
    JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
    JOIN pg_attribute a ON a.attrelid = c.oid
    WHERE c.relkind IN ('r', 'v', 'm', 'p') AND a.attnum > 0 AND NOT a.attisdropped
), obj AS (
    SELECT * FROM member UNION ALL SELECT * FROM col
    UNION ALL SELECT 'pg_namespace'::regclass, 'pointsys'::regnamespace, 0
)
SELECT pg_describe_object(o.classid, o.objid, o.objsubid) COLLATE "C" AS uncommented
FROM obj o
WHERE (pg_identify_object(o.classid, o.objid, o.objsubid)).type
        NOT IN ('sequence', 'operator family')
  AND NOT EXISTS (SELECT FROM pg_description d
                  WHERE d.classoid = o.classid AND d.objoid = o.objid
                    AND d.objsubid = o.objsubid)
ORDER BY 1;

-- Comments carry the Chinese term first: list those that do not start with
-- a CJK character (expect none)
SELECT pg_describe_object(d.classoid, d.objoid, d.objsubid) COLLATE "C" AS not_chinese_first
FROM pg_description d
JOIN pg_depend e ON e.classid = d.classoid AND e.objid = d.objoid
WHERE e.refclassid = 'pg_extension'::regclass AND e.deptype = 'e'
  AND e.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pointsys')
  AND d.objsubid = 0
  AND d.description !~ '^[一-鿿]'
ORDER BY 1;

-- The pure functions of doc/contract.md §2: C, IMMUTABLE, PARALLEL SAFE
SELECT p.oid::regprocedure AS function, l.lanname, p.provolatile, p.proparallel, p.proisstrict
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.oid IN ('pointsys.grade_of(numeric)'::regprocedure,
                'pointsys.annual_total(numeric, numeric)'::regprocedure,
                'pointsys.annual_grade(numeric, numeric, boolean)'::regprocedure,
                'pointsys.quarter_avg(numeric, numeric, numeric)'::regprocedure,
                'pointsys.is_veto_sanction(text)'::regprocedure,
                'pointsys.eligibility(pointsys.grade)'::regprocedure)
ORDER BY p.oid::regprocedure::text COLLATE "C";

-- Type input, output, comparison and hash functions are IMMUTABLE except
-- grade_out, which depends on pointsys.language (STABLE); none is volatile
SELECT p.oid::regprocedure AS function, p.provolatile
FROM pg_proc p
WHERE p.pronamespace = 'pointsys'::regnamespace
  AND p.proname ~ '^(grade|quarter_state|year_state)_'
  AND p.provolatile <> 'i'
ORDER BY p.oid::regprocedure::text COLLATE "C";

-- The aggregates: parallel safe, with a combine function and a fixed-length
-- state type of their own (no internal state, no serialize functions)
SELECT a.aggfnoid::regprocedure AS aggregate, p.proparallel,
       a.aggtransfn, a.aggcombinefn, a.aggfinalfn, a.aggtranstype::regtype,
       t.typlen, a.aggserialfn, a.aggdeserialfn
FROM pg_aggregate a
JOIN pg_proc p ON p.oid = a.aggfnoid
JOIN pg_type t ON t.oid = a.aggtranstype
WHERE p.pronamespace = 'pointsys'::regnamespace
ORDER BY a.aggfnoid::regprocedure::text COLLATE "C";

-- The grade type: one byte, by value, with btree and hash operator classes
SELECT typname, typlen, typbyval, typalign, typstorage, typinput, typoutput,
       typreceive, typsend
FROM pg_type WHERE oid = 'pointsys.grade'::regtype;

SELECT am.amname, opc.opcname, opc.opcdefault
FROM pg_opclass opc JOIN pg_am am ON am.oid = opc.opcmethod
WHERE opc.opcintype = 'pointsys.grade'::regtype
ORDER BY 1;

-- The setting is registered (with its allowed values) once the module is
-- loaded (the fixture's CREATE EXTENSION loaded it in the session before)
LOAD 'pointsys';
SELECT name, setting, vartype, context, enumvals
FROM pg_settings WHERE name LIKE 'pointsys.%' ORDER BY name;
