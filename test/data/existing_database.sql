-- test/data/existing_database.sql: a database an HR application already
-- uses, as README's "Joining an existing database" finds it (issue 24):
-- tables public.member, branch, score, audit and a function
-- public.grade_of, a schema hr with a table claim, the database's
-- search_path, an existing reporting login report with its own path in
-- the database, and an existing HR login wang.  Run as a superuser,
-- connected to any database of a cluster (psql -v ON_ERROR_STOP=1); it
-- creates the roles and the database bureau.  Used by
-- test/t/011_existing_database.pl and test/pg_upgrade.sh.
CREATE ROLE hr_owner LOGIN;
CREATE ROLE hr_app LOGIN;     -- the HR application
CREATE ROLE wang LOGIN;       -- an HR clerk, soon a recorder
CREATE ROLE report LOGIN;     -- the reporting tool, already reading HR
CREATE DATABASE bureau OWNER hr_owner ENCODING 'UTF8' TEMPLATE template0;
\connect bureau
SET ROLE hr_owner;
CREATE TABLE public.branch (branch_id text PRIMARY KEY, name text);
CREATE TABLE public.member (member_id text PRIMARY KEY, name text, branch_id text REFERENCES public.branch);
CREATE TABLE public.score (member_id text REFERENCES public.member, year int, points numeric);
CREATE TABLE public.audit (at timestamptz DEFAULT now(), what text);
CREATE FUNCTION public.grade_of(numeric) RETURNS text LANGUAGE sql IMMUTABLE
	AS $$SELECT CASE WHEN $1 >= 90 THEN '优秀' WHEN $1 >= 70 THEN '称职' ELSE '基本称职' END$$;
CREATE SCHEMA hr;
CREATE TABLE hr.claim (claim_id int PRIMARY KEY, member_id text REFERENCES public.member, amount numeric);
INSERT INTO public.branch VALUES ('HR1', '人事处'), ('HR2', '财务处');
INSERT INTO public.member VALUES ('e01', '王芳', 'HR1'), ('e02', '李明', 'HR2');
INSERT INTO public.score VALUES ('e01', 2025, 85), ('e02', 2025, 72);
INSERT INTO hr.claim VALUES (1, 'e01', 120.50);
GRANT USAGE ON SCHEMA hr TO hr_app, wang, report;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, hr TO hr_app, wang;
GRANT SELECT ON ALL TABLES IN SCHEMA public, hr TO report;
RESET ROLE;
ALTER DATABASE bureau SET search_path = "$user", hr, public;
ALTER ROLE report IN DATABASE bureau SET search_path = public, hr;
