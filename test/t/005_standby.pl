# A bureau's primary with a hot standby by streaming replication (issue 13):
#   1. the standby answers exactly as the primary does: the views, the
#      table-reading and scoring functions, the Chinese labels and names
#      (and pointsys.language), row-level security as the real logins (a
#      recorder sees its branch only and no annual results, the reader
#      reads everything);
#   2. every write on the standby is refused cleanly (25006), the recorder's
#      and the admin's, pointsys.advance included, and nothing crashes;
#   3. after promotion the former standby goes on writing through the write
#      rules (a good score is taken, a bad one and another branch's are
#      refused with their SQLSTATEs) and auditing: audit rows appear for the
#      new writes, with audit ids above every id the primary had used.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use FindBin;
use lib $FindBin::RealBin;
use PointsysTest;

my $db = 'bureau';
my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->start;
create_bureau($primary, $db);

# rec1 records for b1 (m01, m04, ...), boss administers, report reads;
# b1's 2024-Q1 is approved, with a reason for a correction in the audit trail
$primary->safe_psql($db, q{
	CREATE ROLE rec1 LOGIN;
	CREATE ROLE boss LOGIN;
	CREATE ROLE report LOGIN;
	GRANT pointsys_recorder TO rec1;
	GRANT pointsys_admin TO boss;
	GRANT pointsys_reader TO report;
	INSERT INTO pointsys.recorder VALUES ('b1', 'rec1', '2024-01-01');
	SELECT pointsys.advance('b1', 2024, 1);
	SET pointsys.reason = '更正张伟2025年1月积分';
	UPDATE pointsys.score SET points = 3 WHERE member_id = 'm01' AND month = '2025-01-01' AND item = 'org_life';
});

$primary->backup('base');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'base', has_streaming => 1);
$standby->start;

# a write after the base backup reaches the standby by streaming
$primary->safe_psql($db, q{
	INSERT INTO pointsys.award (member_id, month, kind, description)
	VALUES ('m04', '2025-02-01', 'above_county', '市级通报表扬');
});
$primary->wait_for_catchup($standby);
is($standby->safe_psql('postgres', 'SELECT pg_is_in_recovery()'), 't', 'the standby is in recovery');

# --- 1. the standby answers as the primary ------------------------------------

# [user, query]: each run on both servers as that login
my @reads = (
	[ 'postgres', 'annual_results', 'SELECT * FROM pointsys.annual_results ORDER BY member_id, year' ],
	[ 'postgres', 'quarterly_scores', 'SELECT * FROM pointsys.quarterly_scores ORDER BY member_id, year, quarter' ],
	[ 'postgres', 'monthly_scores', 'SELECT * FROM pointsys.monthly_scores ORDER BY member_id, month' ],
	[ 'postgres', 'member_month', 'SELECT * FROM pointsys.member_month ORDER BY member_id, month' ],
	[ 'postgres', 'audit trail', 'SELECT audit_id, actor, table_name, action, old_row, new_row, reason FROM pointsys.audit ORDER BY audit_id' ],
	[ 'postgres', 'functions', q{SELECT pointsys.monthly_score('m01', '2024-01-15'), pointsys.quarter_score('m01', 2024, 1),
		pointsys.annual_grade('m01', 2024), pointsys.annual_grade('m12', 2024), pointsys.is_vetoed('m13', 2024),
		pointsys.grade_of(89.995), pointsys.annual_total(85, 95), pointsys.eligibility('良好'),
		pointsys.year_of('2025-06-30'), pointsys.quarter_start(2025, 3)} ],
	[ 'postgres', 'aggregates', q{SELECT member_id, pointsys.annual_assessment(month, total)
		FROM pointsys.monthly_scores WHERE month >= '2024-01-01' AND month < '2025-01-01'
		GROUP BY member_id ORDER BY member_id} ],
	[ 'postgres', 'grade distribution', q{SET search_path = pointsys, public;
		SELECT year, grade, count(*) FROM pointsys.annual_results WHERE grade >= '合格' GROUP BY year, grade ORDER BY 1, 2} ],
	[ 'postgres', 'labels in English', q{SET pointsys.language = 'en';
		SELECT member_id, grade, grade::text FROM pointsys.annual_results WHERE year = 2024 ORDER BY member_id} ],
	[ 'postgres', 'Chinese names and rulebook', q{SELECT m.member_id, m.name, b.name FROM pointsys.member m
		JOIN pointsys.branch b USING (branch_id) UNION ALL SELECT item, title, category FROM pointsys.item ORDER BY 1} ],
	[ 'rec1', 'recorder: members', 'SELECT member_id, name, branch_id FROM pointsys.member ORDER BY 1' ],
	[ 'rec1', 'recorder: scores', 'SELECT member_id, month, item, points FROM pointsys.score ORDER BY 1, 2, 3' ],
	[ 'rec1', 'recorder: quarters', 'SELECT * FROM pointsys.quarterly_scores ORDER BY 1, 2, 3' ],
	[ 'rec1', 'recorder: periods', 'SELECT branch_id, year, quarter, status FROM pointsys.period ORDER BY 1, 2, 3' ],
	[ 'report', 'reader: annual results', 'SELECT * FROM pointsys.annual_results ORDER BY member_id, year' ],
	[ 'report', 'reader: sanctions', 'SELECT member_id, kind, effective_on, lifted_on, note FROM pointsys.sanction ORDER BY 1, 2' ],
	[ 'report', 'reader: audit', 'SELECT count(*), max(audit_id) FROM pointsys.audit' ],
);
for my $r (@reads)
{
	my ($user, $name, $sql) = @$r;
	my $want = $primary->safe_psql($db, $sql, extra_params => [ '-U', $user ]);
	my $got = $standby->safe_psql($db, $sql, extra_params => [ '-U', $user ]);
	ok(length($want) > 0, "$name as $user: the primary has rows");
	is($got, $want, "$name as $user: the standby equals the primary");
}

# what the rows say, so that "equal" is not "equally empty or wrong"
like($standby->safe_psql($db, q{SELECT name FROM pointsys.member WHERE member_id = 'm01'}),
	qr/^张伟$/, 'a Chinese name on the standby');
is($standby->safe_psql($db, q{SELECT grade FROM pointsys.annual_results WHERE member_id = 'm01' AND year = 2024}),
	'优秀', 'the grade label in Chinese by default');
is($standby->safe_psql($db, q{SET pointsys.language = 'en'; SELECT grade FROM pointsys.annual_results WHERE member_id = 'm01' AND year = 2024}),
	'excellent', 'and in English with pointsys.language = en');
is($standby->safe_psql($db, q{SELECT DISTINCT branch_id FROM pointsys.member ORDER BY 1}, extra_params => [ '-U', 'rec1' ]),
	'b1', 'the recorder sees its branch only on the standby');
is($standby->safe_psql($db, q{SELECT count(DISTINCT branch_id) FROM pointsys.member}, extra_params => [ '-U', 'report' ]),
	'3', 'the reader sees every branch on the standby');
is($standby->safe_psql($db, q{SELECT count(*) FROM pointsys.award WHERE description = '市级通报表扬' AND month = '2025-02-01'}),
	'1', 'the award written after the base backup arrived');
like($standby->safe_psql($db, q{SELECT reason FROM pointsys.audit WHERE reason IS NOT NULL ORDER BY audit_id DESC LIMIT 1}),
	qr/更正张伟/, 'the audit trail\'s Chinese reason on the standby');

# sqlstate(node, user, sql): the SQLSTATE of the statement's error ('' if none)
sub sqlstate
{
	my ($node, $user, $sql) = @_;
	my ($rc, $out, $err) = $node->psql($db, "\\set VERBOSITY verbose\n$sql", extra_params => [ '-U', $user ]);
	return $err =~ /ERROR:  ([0-9A-Z]{5}):/ ? $1 : ($rc == 0 ? '' : "rc $rc: $err");
}

for my $r ([ 'rec1', 'recorder: annual results', q{SELECT * FROM pointsys.annual_results}, '42501' ],
		   [ 'rec1', 'recorder: sanctions', q{SELECT * FROM pointsys.sanction}, '42501' ])
{
	my ($user, $name, $sql, $want) = @$r;
	is(sqlstate($standby, $user, $sql), $want, "standby, $name: $want as on the primary");
	is(sqlstate($primary, $user, $sql), $want, "primary, $name: $want");
}

# --- 2. writes on the standby are refused cleanly -----------------------------

my @writes = (
	[ 'rec1', 'a recorder\'s score', q{INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('m01', '2026-01-01', 'org_life', 4)} ],
	[ 'rec1', 'a recorder\'s correction', q{UPDATE pointsys.score SET points = 2 WHERE member_id = 'm01' AND month = '2025-01-01' AND item = 'org_life'} ],
	[ 'rec1', 'advance', q{SELECT pointsys.advance('b1', 2025, 1)} ],
	[ 'boss', 'an admin\'s sanction', q{INSERT INTO pointsys.sanction (member_id, kind, effective_on) VALUES ('m02', 'warning', '2025-01-01')} ],
	[ 'boss', 'reopen', q{SELECT pointsys.reopen('b1', 2024, 1, '更正')} ],
	[ 'postgres', 'a rulebook edit', q{UPDATE pointsys.item SET title = '新标题' WHERE item = 'role'} ],
	[ 'postgres', 'an audit row', q{INSERT INTO pointsys.audit (actor, acting_as, table_name, action) VALUES ('x', 'x', 'x', 'x')} ],
	[ 'report', 'the reader\'s write', q{DELETE FROM pointsys.score} ],
);
for my $w (@writes)
{
	my ($user, $name, $sql) = @$w;
	is(sqlstate($standby, $user, $sql), '25006', "standby refuses $name as $user (25006, read-only transaction)");
}
my ($rc, $out, $err) = $standby->psql($db,
	q{INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('m01', '2026-01-01', 'org_life', 4)},
	extra_params => [ '-U', 'rec1' ]);
like($err, qr/cannot execute INSERT in a read-only transaction/, 'with PostgreSQL\'s own message');
is($standby->safe_psql($db, 'SELECT 1'), '1', 'the standby still answers');
ok(!$standby->log_contains(qr/server process .* was terminated|TRAP:|PANIC/), 'no crash on the standby');

# --- 3. promotion: the former standby writes through the rules and audits ------

my $max_audit = $primary->safe_psql($db, 'SELECT max(audit_id) FROM pointsys.audit');
my $audit_rows = $primary->safe_psql($db, 'SELECT count(*) FROM pointsys.audit');
$primary->stop;
$standby->promote;
is($standby->safe_psql('postgres', 'SELECT pg_is_in_recovery()'), 'f', 'the standby is promoted');

$standby->safe_psql($db, q{
	INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('m01', '2026-01-01', 'org_life', 4);
	INSERT INTO pointsys.award (member_id, month, kind) VALUES ('m04', '2026-01-01', 'county');
}, extra_params => [ '-U', 'rec1' ]);
is($standby->safe_psql($db, q{SELECT points, recorded_by FROM pointsys.score WHERE member_id = 'm01' AND month = '2026-01-01'}),
	'4|rec1', 'the recorder\'s score is taken, stamped with its writer');
is($standby->safe_psql($db, q{SELECT points, scores, award_points FROM pointsys.member_month WHERE member_id = 'm01' AND month = '2026-01-01'}),
	'4|1|0', 'the month ledger follows the new writes');
is(sqlstate($standby, 'rec1', q{INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('m01', '2026-02-01', 'org_life', 4.5)}),
	'22003', 'points above the maximum: 22003');
is(sqlstate($standby, 'rec1', q{INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('m02', '2026-01-01', 'org_life', 4)}),
	'42501', 'another branch\'s member: 42501');
is(sqlstate($standby, 'rec1', q{UPDATE pointsys.score SET points = 2 WHERE member_id = 'm01' AND month = '2024-02-01' AND item = 'org_life'}),
	'55000', 'a quarter that is no longer recording: 55000');
is(sqlstate($standby, 'boss', q{SELECT pointsys.advance('b1', 2024, 1)}), '', 'the admin advances a quarter');
$standby->safe_psql($db, q{SET pointsys.reason = '晋升后更正'; UPDATE pointsys.evaluation SET democratic = 90 WHERE member_id = 'm02' AND year = 2025},
	extra_params => [ '-U', 'boss' ]);

is($standby->safe_psql($db, "SELECT count(*) FROM pointsys.audit WHERE audit_id > $max_audit"),
	'4', 'four audit rows for the four writes after promotion');
is($standby->safe_psql($db, 'SELECT count(*) FROM pointsys.audit'), $audit_rows + 4,
	'every audit row of the primary is kept');
is($standby->safe_psql($db, "SELECT string_agg(table_name || ' ' || action || ' ' || actor, ', ' ORDER BY audit_id)
	FROM pointsys.audit WHERE audit_id > $max_audit"),
	'score INSERT rec1, award INSERT rec1, period UPDATE boss, evaluation UPDATE boss',
	'they name the tables, actions and logins, in order');
is($standby->safe_psql($db, "SELECT reason FROM pointsys.audit WHERE audit_id > $max_audit AND table_name = 'evaluation'"),
	'晋升后更正', 'with the reason');
is($standby->safe_psql($db, 'SELECT count(*) = count(DISTINCT audit_id) FROM pointsys.audit'), 't',
	'audit ids never collide');
is($standby->safe_psql($db, "SELECT min(audit_id) > $max_audit FROM pointsys.audit WHERE actor IN ('rec1', 'boss')"),
	't', 'the new audit ids continue above the primary\'s');
is($standby->safe_psql($db, q{SELECT grade FROM pointsys.annual_results WHERE member_id = 'm01' AND year = 2024}),
	'优秀', 'the reports still read the same');

$standby->stop;
done_testing();
