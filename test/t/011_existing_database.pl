# Joining an existing database (issue 24): README's section "Joining an
# existing database", run as written.  Builds a database an HR application
# already uses (test/data/existing_database.sql: public.member, branch,
# score, audit, grade_of; a schema hr with a table claim; the database's
# search_path; an existing login report with its own path in the
# database; an existing HR login wang), then runs
# the README blocks marked <!-- run by test/t/011_existing_database.pl:
# step N --> (extracted from README.md, so the two cannot drift) and
# checks: the HR application still finds its objects; report finds
# annual_results and pointsys's grade_of; PostgreSQL's precedence of path
# settings as the README states it; wang records; the whole database
# cannot be dumped as pointsys_admin, README's backup can, and fails
# loudly, leaving no file, when the login lacks the rights; the restore on
# a new server and the copy under another name keep every figure, the
# database's owner and settings and the logins' paths.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $test = 'test/t/011_existing_database.pl';

# --- README's blocks for this test, by their marks -----------------------------
my %step;
{
	open(my $fh, '<', 'README.md') or die "README.md: $!";
	my @lines = <$fh>;
	close $fh;
	for (my $i = 0; $i < @lines; $i++) {
		next unless $lines[$i] =~ m{^<!-- run by \Q$test\E: step (\d+) -->\s*$};
		my $n = $1;
		die "README.md: step $n twice" if $step{$n};
		$lines[ $i + 1 ] =~ /^```(\w+)\s*$/ or die "README.md: step $n is not followed by a fenced block";
		my %block = (lang => $1, line => $i + 2);
		my $j = $i + 2;
		$block{body} .= $lines[ $j++ ] while $lines[$j] !~ /^```\s*$/;
		if (defined $lines[ $j + 1 ] && $lines[ $j + 1 ] =~ /^```output\s*$/) {
			$j += 2;
			$block{output} .= $lines[ $j++ ] while $lines[$j] !~ /^```\s*$/;
		}
		$step{$n} = \%block;
	}
}
is(join(' ', map { "$_:$step{$_}{lang}" } sort { $a <=> $b } keys %step),
	'1:sql 2:sql 3:sql 4:sql 5:sh 6:sh 7:sh', 'README marks the seven steps this test runs');

my $dir = PostgreSQL::Test::Utils::tempdir;

# run_step(N, node, user, [cwd]): README's block N as written, as psql -f
# (ON_ERROR_STOP) for sql, bash -e -o pipefail for sh, with PGHOST/PGPORT
# of the node; returns (rc, stdout, stderr)
sub run_step
{
	my ($n, $node, $user, $cwd) = @_;
	my $b = $step{$n} or die "no step $n";
	my $file = "$dir/step$n.$b->{lang}";
	open(my $fh, '>', $file) or die "$file: $!";
	print $fh $b->{body};
	close $fh;
	my @cmd = $b->{lang} eq 'sql'
	  ? ('psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('bureau') . " user=$user", '-f', $file)
	  : ('bash', '-e', '-o', 'pipefail', $file);
	my ($out, $err) = ('', '');
	local $ENV{PGHOST} = $node->host;
	local $ENV{PGPORT} = $node->port;
	local $ENV{PGUSER} = $user;
	delete local $ENV{PGDATABASE};
	delete local $ENV{PGOPTIONS};
	IPC::Run::run(\@cmd, '>', \$out, '2>', \$err, init => sub { chdir($cwd // $dir) or die "chdir: $!" });
	return ($? >> 8, $out, $err);
}

# the output block's lines appear in a row in what the step printed
sub prints
{
	my ($out, $want) = @_;
	return 0 unless defined $want && $want =~ /\S/;
	my @o = map { s/\s+$//r } split /\n/, $out;
	my @w = map { s/\s+$//r } split /\n/, $want;
	for my $i (0 .. @o - @w) {
		return 1 if join("\n", @o[ $i .. $i + @w - 1 ]) eq join("\n", @w);
	}
	return 0;
}

# query(node, db, user, sql): one session of that login (its own settings)
sub query
{
	my ($node, $db, $user, $sql, %opts) = @_;
	my ($rc, $out, $err) = $node->psql($db, $sql,
		connstr => $node->connstr($db) . " user=$user" . ($opts{conn} // ''));
	return $rc == 0 ? $out : "ERROR: $err";
}

# --- the database as the bureau has it ----------------------------------------
my $node = PostgreSQL::Test::Cluster->new('shared');
$node->init;
$node->start;
$node->command_ok(
	[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('postgres'),
	  '-f', 'test/data/existing_database.sql' ],
	'the HR database (test/data/existing_database.sql)');

# what the HR application sees, before and after pointsys joins
my $hr_view = q{SHOW search_path;
	SELECT count(*) FROM member JOIN claim USING (member_id);
	SELECT string_agg(grade_of(points), ',' ORDER BY member_id) FROM score;
	SELECT grade_of(85);};
my $hr_expected = qq{"\$user", hr, public\n1\n称职,称职\n称职};
is(query($node, 'bureau', 'hr_app', $hr_view), $hr_expected, 'before: the HR application finds claim and its grade_of');

# --- step 1: the extension, and the names it shares -----------------------------
my ($rc, $out, $err) = run_step(1, $node, 'postgres');
is($rc, 0, 'step 1 (CREATE EXTENSION, the shared names) runs') or diag($err);
ok(prints($out, $step{1}{output}), 'step 1 prints the five shared names as README shows them')
  or diag("printed:\n$out");
$node->command_ok(
	[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('bureau'),
	  '-f', 'test/data/sample_bureau.sql' ],
	'the sample bureau loads (branches b1..b3, members m01..m40, 2024-2025)');
is(query($node, 'bureau', 'hr_app', $hr_view), $hr_expected,
	'the database path is untouched: the HR application sees its own objects');

# --- step 2: the logins -------------------------------------------------------
($rc, $out, $err) = run_step(2, $node, 'postgres');
is($rc, 0, 'step 2 (logins: a new admin, the existing report and wang) runs') or diag($err);

is(query($node, 'bureau', 'hr_app', $hr_view), $hr_expected, 'after step 2: the HR application unchanged');
is(query($node, 'bureau', 'wang', $hr_view), $hr_expected,
	'wang keeps the database path: HR names and HR grade_of');
is(query($node, 'bureau', 'report', q{SHOW search_path;
	SELECT count(*) > 0 FROM annual_results;
	SELECT grade_of(85);
	SELECT count(*) FROM claim;
	SELECT count(*) FROM member;
	SELECT count(*) FROM public.member;}),
	qq{"\$user", pointsys, hr, public\nt\n良好\n1\n40\n2},
	'report: its own path in the database; annual_results and grade_of are pointsys\'s, claim is found, HR\'s member qualified');
is(query($node, 'bureau', 'dba', q{SHOW search_path; SELECT grade_of(95); SELECT count(*) FROM member}),
	qq{"\$user", pointsys, hr, public\n优秀\n40}, 'dba: pointsys first');

# PostgreSQL's precedence, as README states it
$node->safe_psql('postgres', q{
	CREATE ROLE prec LOGIN;
	CREATE ROLE inherits LOGIN IN ROLE pointsys_reader;
	ALTER ROLE ALL SET search_path = from_role_all;
});
is(query($node, 'bureau', 'prec', 'SHOW search_path'), qq{"\$user", hr, public},
	'ALTER DATABASE SET beats ALTER ROLE ALL SET');
is(query($node, 'postgres', 'prec', 'SHOW search_path'), 'from_role_all',
	'... which applies where the database has no setting');
$node->safe_psql('postgres', 'ALTER ROLE prec SET search_path = from_role');
is(query($node, 'bureau', 'prec', 'SHOW search_path'), 'from_role', 'ALTER ROLE login SET beats ALTER DATABASE SET');
$node->safe_psql('postgres', 'ALTER ROLE prec IN DATABASE bureau SET search_path = from_role_in_db');
is(query($node, 'bureau', 'prec', 'SHOW search_path'), 'from_role_in_db',
	'ALTER ROLE login IN DATABASE SET beats ALTER ROLE login SET');
is(query($node, 'postgres', 'prec', 'SHOW search_path'), 'from_role', '... in that database only');
is(query($node, 'bureau', 'prec', 'SHOW search_path', conn => ' options=-csearch_path=from_connection'),
	'from_connection', 'the connection\'s options beat them all');
is(query($node, 'bureau', 'prec', 'SET search_path = from_set; SHOW search_path'), 'from_set', '... and SET beats those');
$node->safe_psql('postgres', 'ALTER ROLE pointsys_reader IN DATABASE bureau SET search_path = from_group');
is(query($node, 'bureau', 'inherits', 'SHOW search_path'), qq{"\$user", hr, public},
	'a login does not inherit the settings of the roles it is a member of');
$node->safe_psql('postgres', q{
	ALTER ROLE ALL RESET search_path;
	ALTER ROLE pointsys_reader IN DATABASE bureau RESET search_path;
	DROP ROLE prec;
});

# --- step 3: report -----------------------------------------------------------
($rc, $out, $err) = run_step(3, $node, 'report');
is($rc, 0, 'step 3 runs as report') or diag($err);
like($out, qr/\A(?:.*\n){2}(?: m\d\d +\| +\d+\.\d\d \| (?:优秀|良好) +\| t\n){3}\(3 rows\)\n\n +count\s*\n-+\n +1\n/,
	'... three 2025 results of 良好 or better, each graded by pointsys\'s grade_of; HR\'s member joined to claim')
  or diag($out);

# --- step 4: wang records with qualified names ----------------------------------
($rc, $out, $err) = run_step(4, $node, 'wang');
is($rc, 0, 'step 4 runs as wang, who keeps the database path') or diag($err);
like($out, qr/^\s+1$/m, '... the score is recorded');
is($node->safe_psql('bureau', q{SELECT recorded_by FROM pointsys.score WHERE member_id = 'm01' AND month = '2026-01-01';
	SELECT actor, table_name, action FROM pointsys.audit_log ORDER BY audit_id DESC LIMIT 1}),
	"wang\nwang|score|INSERT", '... stamped and audited as wang');

# README's inline query for a login that keeps the database's path
$node->safe_psql('postgres', 'CREATE ROLE auditor LOGIN IN ROLE pointsys_reader');
is(query($node, 'bureau', 'auditor',
	q{SELECT count(*) > 0 FROM (SELECT member_id, total FROM pointsys.annual_results WHERE grade OPERATOR(pointsys.>=) '良好') AS q}),
	't', 'without pointsys in the path: OPERATOR(pointsys.>=) as README writes it');
like(query($node, 'bureau', 'auditor', q{SELECT count(*) FROM pointsys.annual_results WHERE grade >= '良好'}),
	qr/operator does not exist: pointsys\.grade >= unknown/, '... and unqualified, no operator is found');

# --- backups --------------------------------------------------------------------
# the whole database, as pointsys_admin: refused at HR's first table
{
	local $ENV{PGHOST} = $node->host;
	local $ENV{PGPORT} = $node->port;
	my ($o, $e) = ('', '');
	IPC::Run::run([ 'pg_dump', '--enable-row-security', '-Fc', '-U', 'dba', '-d', 'bureau', '-f', "$dir/whole.dump" ],
		'>', \$o, '2>', \$e);
	isnt($? >> 8, 0, 'pg_dump of the whole shared database as dba fails');
	like($e, qr/permission denied for table (branch|member|score|audit|claim)/, '... on a table of HR') or diag($e);
	is(-s "$dir/whole.dump", 0, '... leaving an empty file (why README\'s recipe checks and renames)');
}

# step 5: README's backup as dba
my $backup = "$dir/backup";
mkdir $backup;
($rc, $out, $err) = run_step(5, $node, 'dba', $backup);
is($rc, 0, 'step 5 (the backup as dba, no superuser) succeeds') or diag($err);
ok(-s "$backup/bureau-pointsys.dump" > 10000, '... a dump that is not empty');
ok(!-e "$backup/bureau-pointsys.dump.part", '... no partial file left');
like(slurp_file("$backup/bureau-globals.sql"), qr/GRANT pointsys_reader TO report/,
	'... the globals file holds the memberships');

# the same script when the login has lost its rights: fails loudly, leaves nothing
my $failing = "$dir/failing";
mkdir $failing;
$node->safe_psql('postgres', 'REVOKE pointsys_admin FROM dba');
($rc, $out, $err) = run_step(5, $node, 'dba', $failing);
$node->safe_psql('postgres', 'GRANT pointsys_admin TO dba');
isnt($rc, 0, 'step 5 without pointsys_admin\'s rights exits non-zero');
like($err, qr/permission denied|may lack SELECT privilege/, '... saying why') or diag($err);
opendir(my $dh, $failing) or die;
is(join(',', grep { !/^\./ } readdir $dh), '', '... and leaves no file behind');
closedir $dh;

# --- step 6: the restore on a new server ---------------------------------------
my @kept = (
	'SELECT * FROM pointsys.annual_results ORDER BY member_id, year',
	'SELECT * FROM pointsys.score ORDER BY member_id, month, item',
	'SELECT * FROM pointsys.audit_log ORDER BY audit_id',
	'SELECT * FROM pointsys.recorder ORDER BY 1, 2',
	q{SELECT last_value FROM pointsys.audit_log_audit_id_seq},
	q{SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()},
	q{SELECT coalesce(r.rolname, '-'), s.setconfig FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole
	  WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY 1});
my %original = map { $_ => $node->safe_psql('bureau', $_) } @kept;
my $report_query = q{SHOW search_path; SELECT count(*), sum(total) FROM annual_results; SELECT grade_of(85)};
my $report_sees = query($node, 'bureau', 'report', $report_query);

my $new = PostgreSQL::Test::Cluster->new('new_server');
$new->init;
$new->start;
($rc, $out, $err) = run_step(6, $new, 'postgres', $backup);
is($rc, 0, 'step 6 (globals, pg_restore --create) runs on a new server') or diag($err);
like($err, qr/role "postgres" already exists/, '... the one complaint README mentions');
unlike($err, qr/ERROR(?!:  role "postgres" already exists)/, '... and no other error') or diag($err);
for my $q (@kept) {
	is($new->safe_psql('bureau', $q), $original{$q}, "restored: $q");
}
is(query($new, 'bureau', 'report', $report_query), $report_sees,
	'restored: report finds annual_results and pointsys\'s grade_of with its path');
is(query($new, 'bureau', 'dba', 'SHOW search_path'), qq{"\$user", pointsys, hr, public}, 'restored: dba\'s path');
is(query($new, 'bureau', 'hr_app', 'SHOW search_path'), qq{"\$user", hr, public}, 'restored: the database\'s path');

# --- step 7: a copy beside the original under another name ------------------------
($rc, $out, $err) = run_step(7, $node, 'postgres', $backup);
is($rc, 0, 'step 7 (a copy as bureau_check) runs') or diag($err);
for my $q (@kept) {
	is($node->safe_psql('bureau_check', $q), $original{$q}, "bureau_check: $q");
}
is(query($node, 'bureau_check', 'report', $report_query), $report_sees,
	'bureau_check: report finds annual_results and pointsys\'s grade_of');
is(query($node, 'bureau', 'report', $report_query), $report_sees, 'the original is untouched');
is(query($node, 'bureau', 'hr_app', $hr_view), $hr_expected, 'and the HR application still sees its own objects');

done_testing();
