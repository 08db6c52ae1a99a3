# The DBA's day (issue 11): README's Getting Started set-up for a reporting
# login (one search_path statement for the database), a pointsys_admin
# login dumping the ledger with pg_dump and the dump restored by a
# superuser, and the caveat of pg_dump -n pointsys.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use FindBin;
use lib $FindBin::RealBin;
use PointsysTest;

my $node = PostgreSQL::Test::Cluster->new('dba');
$node->init;
$node->start;

create_bureau($node, 'bureau');

# README, Getting started: the logins and the database's search_path
$node->safe_psql('bureau', q{
	CREATE ROLE dba LOGIN;
	GRANT pointsys_admin TO dba;
	CREATE ROLE report LOGIN;
	GRANT pointsys_reader TO report;
	ALTER DATABASE bureau SET search_path = "$user", public, pointsys;
});

# --- the reporting login: unqualified names, grade filters, string parameters
my $as_report = $node->connstr('bureau') . ' user=report';
my ($rc, $out, $err) = $node->psql('bureau', q{
	SHOW search_path;
	SELECT count(*) > 0 FROM annual_results WHERE grade = '优秀';
	SELECT count(*) = (SELECT count(*) FROM annual_results WHERE grade >= '良好')
	FROM annual_results WHERE grade OPERATOR(pointsys.>=) 'good'::pointsys.grade;
	PREPARE by_grade(varchar) AS SELECT count(*) > 0 FROM annual_results WHERE grade = $1;
	EXECUTE by_grade('良好');
	PREPARE at_least(text) AS SELECT count(*) > 0 FROM annual_results WHERE grade >= $1;
	EXECUTE at_least('good');
}, connstr => $as_report);
is($rc, 0, 'the reporting login queries without an error') or diag($err);
is($out, qq{"\$user", public, pointsys\nt\nt\nt\nt},
	'one ALTER DATABASE ... SET search_path: views, grade literals and string parameters resolve');
($rc, $out, $err) = $node->psql('bureau', q{INSERT INTO score VALUES ('m01', '2024-01-01', 'role', 1)},
	connstr => $as_report);
like($err, qr/permission denied for table score/, 'the reporting login writes nothing');

# --- pointsys_admin dumps the ledger ------------------------------------------
my $as_dba = $node->connstr('bureau') . ' user=dba';
my $tmp = PostgreSQL::Test::Utils::tempdir;

# without --enable-row-security, pg_dump turns row security off, which only
# a role that bypasses it may do (README, Backups)
my ($stdout, $stderr);
IPC::Run::run([ 'pg_dump', '-Fc', '-f', "$tmp/refused.dump", '-d', $as_dba ],
	'>', \$stdout, '2>', \$stderr);
like($stderr, qr/row-level security/, 'pg_dump as pointsys_admin needs --enable-row-security');

$node->command_ok(
	[ 'pg_dump', '--enable-row-security', '-Fc', '-f', "$tmp/bureau.dump", '-d', $as_dba ],
	'pg_dump --enable-row-security as a pointsys_admin login (sequences included)');

# restored by a superuser into a new database, with the triggers off
$node->safe_psql('postgres', q{CREATE DATABASE restored ENCODING 'UTF8' TEMPLATE template0});
{
	local $ENV{PGOPTIONS} = '-c session_replication_role=replica';
	$node->command_ok(
		[ 'pg_restore', '--exit-on-error', '-d', $node->connstr('restored'), "$tmp/bureau.dump" ],
		'the dump restores');
}
for my $q (
	'SELECT * FROM pointsys.annual_results ORDER BY member_id, year',
	'SELECT * FROM pointsys.score ORDER BY member_id, month, item',
	'SELECT * FROM pointsys.award ORDER BY award_id',
	'SELECT * FROM pointsys.audit ORDER BY audit_id',
	q{SELECT last_value FROM pointsys.award_award_id_seq})
{
	is($node->safe_psql('restored', $q), $node->safe_psql('bureau', $q), "restored: $q");
}

# a failed restore in one transaction leaves nothing: here the database
# already has the extension (CREATE EXTENSION fails)
$node->safe_psql('postgres', q{CREATE DATABASE occupied ENCODING 'UTF8' TEMPLATE template0});
$node->safe_psql('occupied', 'CREATE EXTENSION pointsys');
my $occupied_before = $node->safe_psql('occupied',
	'SELECT count(*), (SELECT count(*) FROM pointsys.item) FROM pointsys.member');
{
	local $ENV{PGOPTIONS} = '-c session_replication_role=replica';
	$node->command_fails(
		[ 'pg_restore', '--single-transaction', '--exit-on-error', '-d', $node->connstr('occupied'),
		  "$tmp/bureau.dump" ],
		'a restore into a database that has the extension fails');
}
is($node->safe_psql('occupied', 'SELECT count(*), (SELECT count(*) FROM pointsys.item) FROM pointsys.member'),
	$occupied_before, '... and, in one transaction, leaves nothing behind');

# --- the caveat: a schema-only dump has no CREATE EXTENSION -------------------
$node->command_ok([ 'pg_dump', '-n', 'pointsys', '-f', "$tmp/schema.sql", '-d', $node->connstr('bureau') ],
	'pg_dump -n pointsys');
my $schema_dump = slurp_file("$tmp/schema.sql");
unlike($schema_dump, qr/CREATE EXTENSION/, 'pg_dump -n pointsys omits CREATE EXTENSION (README warns)');
like($schema_dump, qr/COPY pointsys\.score/, '... but holds the rows of the ledger');

done_testing();
