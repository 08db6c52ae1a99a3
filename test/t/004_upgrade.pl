# Upgrades, next to a hostile role's traps.  A bureau runs release 1.0,
# installed with public (full of traps, test/data/hostile.sql) ahead of
# pg_catalog in search_path; it holds the sample bureau, a process under way
# and an audit trail.  ALTER EXTENSION pointsys UPDATE, run the same way:
#   - changes no ledger row, no report figure and no audit row;
#   - leaves exactly the objects a fresh CREATE EXTENSION installs
#     (definitions, triggers, policies, grants and comments compared);
#   - leaves the write rules and the audit trail working.
# Then the demo runs in a database full of traps, with public first in
# search_path, and prints exactly what it prints in a clean database.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('upgrade');
$node->init;
$node->start;

my $hostile_path = '-c search_path=public,pg_catalog';
my $traps = slurp_file('test/data/hostile.sql');

$node->safe_psql('postgres', q{
	CREATE ROLE regress_hostile;
	GRANT CREATE ON SCHEMA public TO regress_hostile;
});
for my $db ('bureau', 'demo_clean', 'demo_hostile', 'fresh')
{
	$node->safe_psql('postgres', "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0");
}
for my $db ('bureau', 'demo_hostile')
{
	$node->safe_psql($db, q{GRANT CREATE ON SCHEMA public TO regress_hostile});
	$node->safe_psql($db, "SET ROLE regress_hostile;\n$traps");
}
like(($node->psql('bureau', 'SET search_path = public, pg_catalog; SELECT make_date(2024, 1, 1)'))[2],
	qr/hostile make_date called/, 'the traps are armed');

my ($latest) = $node->safe_psql('postgres',
	q{SELECT default_version FROM pg_available_extensions WHERE name = 'pointsys'});
isnt($latest, '1.0', "there is a release after 1.0 to update to ($latest)");

# --- release 1.0 with a bureau's data ---------------------------------------
# (the data is entered with a clean search_path: sample_bureau.sql is the
# bureau's own SQL, and writes its operators unqualified)
{
	local $ENV{PGOPTIONS} = $hostile_path;
	$node->safe_psql('bureau', q{CREATE EXTENSION pointsys VERSION '1.0'});
}
{
	$node->command_ok(
		[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('bureau'),
		  '-f', 'test/data/sample_bureau.sql' ],
		'sample bureau loads into 1.0');
	local $ENV{PGOPTIONS} = $hostile_path;
	$node->safe_psql('bureau', q{
		SELECT pointsys.advance('b1', 2024, 1);
		SELECT pointsys.advance('b1', 2024, 1);
		SET pointsys.reason = '更正';
		UPDATE pointsys.score SET points = 3
		WHERE member_id OPERATOR(pg_catalog.=) 'm03' AND month OPERATOR(pg_catalog.=) '2025-01-01'
		  AND item OPERATOR(pg_catalog.=) 'org_life';
	});
}
is($node->safe_psql('bureau', q{SELECT extversion FROM pg_extension WHERE extname = 'pointsys'}),
	'1.0', 'release 1.0 is installed');

# (1.3 types the published figures numeric(…,2) and prints them so, 1.5
# the democratic score too: they are compared at that scale, which
# changes no value)
my %queries = (
	# the columns of release 1.0, at scale 2 (1.3 adds final and
	# eligibility_label, and period's publicity dates)
	annual_results => q{SELECT member_id, branch_id, year, q1::numeric(14,2), q2::numeric(14,2),
							   q3::numeric(14,2), q4::numeric(14,2), months, assessment::numeric(14,2),
							   democratic::numeric(5,2), vetoed, total::numeric(5,2), grade, eligibility
						FROM pointsys.annual_results ORDER BY member_id, year},
	quarterly_scores => q{SELECT member_id, year, quarter, score::numeric(14,2), months
						  FROM pointsys.quarterly_scores ORDER BY member_id, year, quarter},
	monthly_scores => q{SELECT member_id, month, study::numeric(14,2), service::numeric(14,2),
							   innovation::numeric(14,2), worklist::numeric(14,2), role::numeric(14,2),
							   reward::numeric(14,2), total::numeric(14,2)
						FROM pointsys.monthly_scores ORDER BY member_id, month},
	functions => q{SELECT m.member_id, y, pointsys.is_vetoed(m.member_id, y),
						  pointsys.annual_grade(m.member_id, y), pointsys.quarter_score(m.member_id, y, 2),
						  pointsys.monthly_score(m.member_id, pg_catalog.make_date(y, 5, 1))::numeric(14,2)
				   FROM pointsys.member m, pg_catalog.generate_series(2024, 2025) AS y
				   ORDER BY 1, 2},
	score => 'SELECT * FROM pointsys.score ORDER BY member_id, month, item',
	award => 'SELECT * FROM pointsys.award ORDER BY award_id',
	period => q{SELECT branch_id, year, quarter, status, changed_by, changed_at
				FROM pointsys.period ORDER BY branch_id, year, quarter},
	audit => 'SELECT * FROM pointsys.audit ORDER BY audit_id',
);
my %before;
$before{$_} = $node->safe_psql('bureau', $queries{$_}) for keys %queries;
like($before{annual_results}, qr/不合格/, 'release 1.0 reports graded results');

# functions that only PostgreSQL calls, executable by a pointsys role (1.0
# and 1.1 left them to PUBLIC: anyone could attach the owner's triggers to
# a table of their own; 1.2 revokes that)
my $internal_executable = q{
	SELECT count(*) FROM pg_catalog.pg_proc p, pg_catalog.pg_roles r
	WHERE p.pronamespace OPERATOR(pg_catalog.=) 'pointsys'::pg_catalog.regnamespace
	  AND p.prorettype OPERATOR(pg_catalog.=) ANY ('{trigger,event_trigger}'::pg_catalog.regtype[])
	  AND r.rolname OPERATOR(pg_catalog.=) ANY ('{pointsys_admin,pointsys_recorder,pointsys_reader}')
	  AND pg_catalog.has_function_privilege(r.oid, p.oid, 'EXECUTE')};
cmp_ok($node->safe_psql('bureau', $internal_executable), '>', 0,
	'release 1.0 lets the pointsys roles execute trigger functions');

# --- the update --------------------------------------------------------------
{
	local $ENV{PGOPTIONS} = $hostile_path;
	$node->safe_psql('bureau', 'ALTER EXTENSION pointsys UPDATE');
}
is($node->safe_psql('bureau', q{SELECT extversion FROM pg_extension WHERE extname = 'pointsys'}),
	$latest, "updated to $latest");
for my $q (sort keys %queries)
{
	is($node->safe_psql('bureau', $queries{$q}), $before{$q}, "after the update: $q unchanged");
}
is($node->safe_psql('bureau', $internal_executable), '0',
	'after the update: no pointsys role may execute a trigger function');
# a quarter publicized before 1.3 has no publicity dates (it may be filed
# at once); no grade is final before its quarters are verified
is($node->safe_psql('bureau', q{SELECT count(*) FILTER (WHERE publicity_start IS NOT NULL OR publicity_end IS NOT NULL)
									  || '/' || count(*) FILTER (WHERE status = 'publicized')
								FROM pointsys.period}),
	'0/1', 'after the update: no publicity dates on the quarters publicized before');
is($node->safe_psql('bureau', q{SELECT count(*) FROM pointsys.annual_results WHERE final}), '0',
	'after the update: no grade is final (no quarter is verified)');

# The extension's objects, each with its definition, owner, privileges and
# comment; columns, constraints, indexes, triggers and policies of its
# tables; the tables pg_dump keeps the rows of.  A fresh install runs
# pointsys--<latest>.sql (built from src/sql/*.sql), the update runs
# pointsys--1.0.sql and the update scripts (src/sql/updates/): the two must
# agree.
my $catalog = q{SET search_path = pg_catalog;
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'pointsys'),
member AS (
	SELECT d.classid, d.objid FROM pg_depend d, ext
	WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e')
SELECT pg_describe_object(m.classid, m.objid, 0) || ': ' || coalesce(
	CASE m.classid
	WHEN 'pg_proc'::regclass THEN
		(SELECT CASE WHEN p.prokind = 'a'
					 THEN (SELECT format('aggregate %s %s %s %s %s %s %s', a.aggkind, a.aggtransfn,
									   a.aggfinalfn, a.aggcombinefn, a.aggsortop::regoperator,
									   a.aggtranstype::regtype, a.agginitval)
						   FROM pg_aggregate a WHERE a.aggfnoid = p.oid)
					 ELSE pg_get_functiondef(p.oid) END
				-- the privileges in effect, however written: a function
				-- revoked from PUBLIC and granted back (the update to 1.5)
				-- equals one never revoked
				|| ' acl ' || (SELECT string_agg(x.grantee::regrole::text || ':' || x.privilege_type, ','
												 ORDER BY x.grantee::regrole::text, x.privilege_type)
							   FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) x)
		 FROM pg_proc p WHERE p.oid = m.objid)
	WHEN 'pg_class'::regclass THEN
		(SELECT c.relkind::text || ' acl ' || coalesce(c.relacl::text, '-') || ' rls ' || c.relrowsecurity
				|| coalesce(' view ' || pg_get_viewdef(c.oid), '')
				|| coalesce(' options ' || c.reloptions::text, '')
		 FROM pg_class c WHERE c.oid = m.objid)
	WHEN 'pg_type'::regclass THEN
		(SELECT t.typlen || ' ' || t.typinput::text || ' ' || t.typoutput::text || ' acl '
				|| coalesce(t.typacl::text, '-')
		 FROM pg_type t WHERE t.oid = m.objid)
	END, '')
	|| ' comment ' || coalesce(obj_description(m.objid, m.classid::regclass::name), '-')
FROM member m
UNION ALL
SELECT format('column %s.%s %s %s default %s comment %s', a.attrelid::regclass, a.attname,
			  format_type(a.atttypid, a.atttypmod), a.attnotnull,
			  coalesce(pg_get_expr(ad.adbin, ad.adrelid), '-'),
			  coalesce(col_description(a.attrelid, a.attnum), '-'))
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE c.relnamespace = 'pointsys'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT format('constraint %s on %s: %s comment %s', conname, conrelid::regclass,
			  pg_get_constraintdef(oid), coalesce(obj_description(oid, 'pg_constraint'), '-'))
FROM pg_constraint WHERE connamespace = 'pointsys'::regnamespace
UNION ALL
SELECT format('index %s', pg_get_indexdef(indexrelid))
FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'pointsys'::regnamespace)
UNION ALL
SELECT format('trigger %s enabled %s comment %s', pg_get_triggerdef(t.oid), t.tgenabled,
			  coalesce(obj_description(t.oid, 'pg_trigger'), '-'))
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = 'pointsys'::regnamespace AND NOT t.tgisinternal
UNION ALL
SELECT format('policy %s on %s: %s %s %s using %s check %s', policyname, tablename, permissive,
			  roles, cmd, qual, with_check)
FROM pg_policies WHERE schemaname = 'pointsys'
UNION ALL
SELECT format('dumped with its rows: %s %s', c::regclass, coalesce(cond, '-'))
FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS u(c, cond)
WHERE e.extname = 'pointsys'
ORDER BY 1};

$node->safe_psql('fresh', 'CREATE EXTENSION pointsys');
my $fresh = $node->safe_psql('fresh', $catalog);
my $updated = $node->safe_psql('bureau', $catalog);
cmp_ok(scalar(split /\n/, $fresh), '>', 300, 'the catalog description lists the objects');
# each line is an object: show the ones that differ, not the whole catalog
my %fresh_lines = map { $_ => 1 } split /\n/, $fresh;
my %updated_lines = map { $_ => 1 } split /\n/, $updated;
is(join("\n", grep { !$fresh_lines{$_} } sort keys %updated_lines), '',
	'the updated extension has nothing a fresh install lacks');
is(join("\n", grep { !$updated_lines{$_} } sort keys %fresh_lines), '',
	'a fresh install has nothing the updated extension lacks');

# --- the updated ledger works -------------------------------------------------
# (the statements written here qualify their operators: public comes first)
{
	local $ENV{PGOPTIONS} = $hostile_path;

	$node->safe_psql('bureau', q{
		INSERT INTO pointsys.score (member_id, month, item, points)
		VALUES ('m02', '2025-08-01', 'extra_duties', 2.5)
		ON CONFLICT (member_id, month, item) DO UPDATE SET points = EXCLUDED.points});
	my ($rc, $out, $err) = $node->psql('bureau', q{
		INSERT INTO pointsys.score (member_id, month, item, points)
		VALUES ('m02', '2025-08-01', 'exceed', 3.5)});
	like($err, qr/points 3.5 exceed the maximum 3 of item "exceed"/, 'write rules after the update');
	($rc, $out, $err) = $node->psql('bureau', q{
		UPDATE pointsys.score SET points = 0
		WHERE member_id OPERATOR(pg_catalog.=) 'm01' AND month OPERATOR(pg_catalog.=) '2024-02-01'});
	like($err, qr/quarter 2024-Q1 of branch "b1" is publicized/, 'quarter rules after the update');
}
is($node->safe_psql('bureau', q{SELECT count(*) FROM pointsys.audit}),
	scalar(split /\n/, $before{audit}) + 1, 'the accepted write, and only it, is audited');
is($node->safe_psql('bureau', q{SELECT pointsys.advance('b1', 2024, 1)}), 'filed',
	'a quarter publicized before the update has no publicity to wait for');

# --- the demo among the traps ---------------------------------------------------
my %demo;
for my $db ('demo_clean', 'demo_hostile')
{
	local $ENV{PGOPTIONS} = $db eq 'demo_hostile' ? $hostile_path : '';
	my ($stdout, $stderr);
	my $ok = IPC::Run::run [ 'psql', '-X', '-q', '-d', $node->connstr($db), '-f', 'test/demo.sql' ],
		'>', \$stdout, '2>', \$stderr;
	ok($ok, "demo runs in $db") or diag($stderr);
	$demo{$db} = $stdout;
}
like($demo{demo_clean}, qr/优秀/, 'the demo prints graded results');
is($demo{demo_hostile}, $demo{demo_clean}, 'and prints the same among the traps');

$node->stop;
done_testing();
