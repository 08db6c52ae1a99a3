# A bureau consolidated into a city database by logical replication.
#
# The bureau publishes its ledger; two city databases subscribe:
#   - city_ledger: the ledger tables and the rulebook (not the month ledger
#     or the audit trail): its own triggers keep member_month from the rows
#     the apply worker applies (member_month_replicated.c);
#   - city_schema: all of schema pointsys, member_month and audit included:
#     its triggers leave member_month to the publisher's rows.
# After the initial copy and after inserts (COPY), updates, deletes, an
# award of a kind added to the rulebook the same day, and a TRUNCATE, each
# city database's annual and quarterly results equal the bureau's and a
# recomputation in plain SQL, and member_month equals the sums of the rows.
# An award whose kind the city lacks is an error, never a silent zero.
# Then three bureaus publish to one city database that also writes a member
# of its own: its results are the union of theirs and its own.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use FindBin;
use lib $FindBin::RealBin;
use PointsysTest;

my $bureau = PostgreSQL::Test::Cluster->new('bureau');
$bureau->init(allows_streaming => 'logical');
$bureau->append_conf('postgresql.conf', "max_replication_slots = 20\nmax_wal_senders = 20");
$bureau->start;
my $city = PostgreSQL::Test::Cluster->new('city');
$city->init;
$city->append_conf('postgresql.conf', "wal_retrieve_retry_interval = '200ms'\n"
	  . "max_logical_replication_workers = 16\nmax_worker_processes = 24");
$city->start;

create_bureau($bureau, 'bureau');
$bureau->safe_psql('bureau', q{
	CREATE PUBLICATION city_ledger FOR TABLE
		pointsys.branch, pointsys.member, pointsys.score, pointsys.award, pointsys.sanction,
		pointsys.evaluation, pointsys.item, pointsys.category, pointsys.award_kind;
	CREATE PUBLICATION city_schema FOR TABLES IN SCHEMA pointsys;
});

my $bureau_conn = $bureau->connstr() . ' dbname=bureau';
for my $db ('city_ledger', 'city_schema')
{
	$city->safe_psql('postgres', "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0");
	$city->safe_psql($db, 'CREATE EXTENSION pointsys');
	# the rulebook comes from the bureau: the city's own defaults make way
	$city->safe_psql($db, q{
		SET session_replication_role = replica;
		DELETE FROM pointsys.item; DELETE FROM pointsys.award_kind; DELETE FROM pointsys.category;
	});
	$city->command_ok(
		[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $city->connstr($db),
		  '-f', 'test/data/invariants.sql' ],
		"the invariants (and the plain-SQL report) are set up in $db");
	$city->safe_psql($db, "CREATE SUBSCRIPTION $db CONNECTION '$bureau_conn' PUBLICATION $db");
}

# The figures that must agree, each as one text
my %figures = (
	annual_results => 'SELECT * FROM pointsys.annual_results ORDER BY member_id, year',
	quarterly_scores => 'SELECT * FROM pointsys.quarterly_scores ORDER BY member_id, year, quarter',
	member_month => 'SELECT * FROM pointsys.member_month ORDER BY member_id, month',
);
# member_month against the rows it sums (test/data/invariants.sql): the
# number of member-months that differ
my $month_ledger_mismatches =
  q{SELECT violations FROM pointsys_check.violations() WHERE invariant = 'member_month'};

# annual_results against the same report as nested GROUP BY views in plain
# SQL (test/data/plain_report.sql, loaded by invariants.sql): the number of
# differing rows
my $plain_mismatches =
  q{SELECT violations FROM pointsys_check.violations() WHERE invariant = 'annual_results'};

sub wait_for_city
{
	for my $db ('city_ledger', 'city_schema')
	{
		$city->wait_for_subscription_sync($bureau, $db, $db);
	}
	my $lsn = $bureau->lsn('insert');
	for my $db ('city_ledger', 'city_schema')
	{
		$bureau->wait_for_catchup($db, 'replay', $lsn);
	}
}

sub compare
{
	my ($when) = @_;
	for my $name (sort keys %figures)
	{
		my $expected = $bureau->safe_psql('bureau', $figures{$name});
		for my $db ('city_ledger', 'city_schema')
		{
			is($city->safe_psql($db, $figures{$name}), $expected, "$when: $name of $db equals the bureau's");
		}
	}
	for my $db ('city_ledger', 'city_schema')
	{
		is($city->safe_psql($db, $month_ledger_mismatches), '0',
			"$when: member_month of $db equals the sums of its rows");
		is($city->safe_psql($db, $plain_mismatches), '0',
			"$when: annual_results of $db equal the plain-SQL report");
	}
}

wait_for_city();
isnt($city->safe_psql('city_ledger', 'SELECT count(*) FROM pointsys.annual_results'), '0',
	'the city has annual results after the initial copy');
compare('after the initial copy');

# --- a day of writes on the bureau ---------------------------------------------
$bureau->safe_psql('bureau', q{
	-- a month's sheet by COPY
	CREATE TEMP TABLE sheet AS
		SELECT m.member_id, DATE '2026-01-01' AS month, i.item, i.step * 2 AS points
		FROM pointsys.member m CROSS JOIN pointsys.item i
		WHERE m.branch_id = 'b2' AND m.left_on IS NULL;
	COPY sheet TO '/tmp/pointsys_logical_sheet.copy';
	COPY pointsys.score (member_id, month, item, points) FROM '/tmp/pointsys_logical_sheet.copy';
	-- corrections
	SET pointsys.reason = '更正';
	UPDATE pointsys.score SET points = 0 WHERE member_id = 'm02' AND month = '2025-03-01';
	UPDATE pointsys.score SET month = '2026-02-01'
	WHERE member_id = 'm02' AND month = '2026-01-01' AND item = 'role';
	DELETE FROM pointsys.score WHERE member_id = 'm06' AND month BETWEEN '2025-05-01' AND '2025-06-01';
	DELETE FROM pointsys.award WHERE member_id = 'm01';
	RESET pointsys.reason;
	-- a kind of award added to the rulebook, and awarded
	INSERT INTO pointsys.award_kind (kind, title, points) VALUES ('city', '市级表彰 city commendation', 4);
	INSERT INTO pointsys.award (member_id, month, kind) VALUES ('m04', '2025-09-01', 'city'),
															   ('m07', '2025-09-01', 'city');
});
wait_for_city();
compare('after inserts, updates, deletes and a new award kind');

# a replicated TRUNCATE of award empties its share of the month ledger
$bureau->safe_psql('bureau', 'TRUNCATE pointsys.award');
wait_for_city();
compare('after TRUNCATE of award');

# --- an award whose kind the city does not have: an error, not a zero ------------
{
	my $log_offset = -s $city->logfile;
	$city->safe_psql('city_ledger', q{
		SET session_replication_role = replica;
		DELETE FROM pointsys.award_kind WHERE kind = 'city';
	});
	$bureau->safe_psql('bureau', q{
		INSERT INTO pointsys.award (member_id, month, kind) VALUES ('m08', '2025-09-01', 'city');
	});
	$city->wait_for_log(qr/award kind "city" of member "m08" \(2025-09-01\) is not in pointsys\.award_kind/,
		$log_offset);
	pass('an award of a kind the city lacks stops the apply with an error');
	is($city->safe_psql('city_ledger', q{SELECT count(*) FROM pointsys.award WHERE member_id = 'm08'}),
		'0', 'and the award is not applied without its points');
	# the kind arrives: the apply goes on, and the figures agree again
	$city->safe_psql('city_ledger', q{
		SET session_replication_role = replica;
		INSERT INTO pointsys.award_kind (kind, title, points) VALUES ('city', '市级表彰 city commendation', 4);
	});
	wait_for_city();
	compare('after the missing kind was restored');
}

# --- three bureaus into one city database, and a write of the city's own ---------
# bureaus b and c (generated, ids of their own) publish their ledger; the
# first bureau also its rulebook; city_three subscribes to the three, and
# writes a member of its own through the write rules; its annual results
# are the union of the bureaus' and its own, equal to the plain-SQL report.
for my $b ('b', 'c')
{
	$bureau->safe_psql('postgres', "CREATE DATABASE bureau_$b ENCODING 'UTF8' TEMPLATE template0");
	$bureau->safe_psql("bureau_$b", 'CREATE EXTENSION pointsys');
	$bureau->command_ok(
		[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'members=60', '-v', "prefix=${b}_",
		  '-v', 'seed=' . ($b eq 'b' ? 2 : 3), '-d', $bureau->connstr("bureau_$b"),
		  '-f', 'test/data/generate.sql' ],
		"bureau $b is generated");
	$bureau->safe_psql("bureau_$b", q{
		CREATE PUBLICATION city_ledger FOR TABLE
			pointsys.branch, pointsys.member, pointsys.score, pointsys.award, pointsys.sanction,
			pointsys.evaluation;
	});
}
$city->safe_psql('postgres', "CREATE DATABASE city_three ENCODING 'UTF8' TEMPLATE template0");
$city->safe_psql('city_three', 'CREATE EXTENSION pointsys');
$city->safe_psql('city_three', q{
	SET session_replication_role = replica;
	DELETE FROM pointsys.item; DELETE FROM pointsys.award_kind; DELETE FROM pointsys.category;
});
$city->command_ok(
	[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $city->connstr('city_three'),
	  '-f', 'test/data/invariants.sql' ],
	'the invariants (and the plain-SQL report) are set up in city_three');
my %sources = (a => 'bureau', b => 'bureau_b', c => 'bureau_c');
for my $b (sort keys %sources)
{
	my $conn = $bureau->connstr() . " dbname=$sources{$b}";
	$city->safe_psql('city_three',
		"CREATE SUBSCRIPTION city_three_$b CONNECTION '$conn' PUBLICATION city_ledger");
}
for my $b (sort keys %sources)
{
	$city->wait_for_subscription_sync($bureau, "city_three_$b", 'city_three');
}
# writes on two bureaus, and the city's own member
$bureau->safe_psql('bureau_b', q{
	UPDATE pointsys.score SET points = 0 WHERE member_id = 'b_gm1' AND month = '2024-02-01';
	DELETE FROM pointsys.score WHERE member_id = 'b_gm2' AND month = '2024-03-01';
});
$bureau->safe_psql('bureau', q{
	INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('m02', '2026-03-01', 'role', 10);
});
$city->safe_psql('city_three', q{
	INSERT INTO pointsys.branch (branch_id, name) VALUES ('city_b', '市局机关党支部');
	INSERT INTO pointsys.member (member_id, name, branch_id) VALUES ('city_m1', '市局党员', 'city_b');
	SET pointsys.reason = '市局录入';
	INSERT INTO pointsys.score (member_id, month, item, points)
	SELECT 'city_m1', DATE '2024-01-01', item, max_points FROM pointsys.item;
	INSERT INTO pointsys.evaluation (member_id, year, democratic) VALUES ('city_m1', 2024, 90);
});
my $lsn = $bureau->lsn('insert');
for my $b (sort keys %sources)
{
	$bureau->wait_for_catchup("city_three_$b", 'replay', $lsn);
}
my $results = 'SELECT * FROM pointsys.annual_results';
my @union = map { split /\n/, $bureau->safe_psql($_, $results) } sort values %sources;
push @union, split /\n/, $city->safe_psql('city_three', "$results WHERE member_id = 'city_m1'");
is(join("\n", sort split /\n/, $city->safe_psql('city_three', $results)), join("\n", sort @union),
	'city_three: annual_results are the union of the three bureaus\' and the city\'s own');
is($city->safe_psql('city_three', $plain_mismatches), '0', 'city_three: annual_results equal the plain-SQL report');
is($city->safe_psql('city_three', $month_ledger_mismatches), '0', 'city_three: member_month equals the sums of its rows');
is($city->safe_psql('city_three', q{SELECT count(*) FROM pointsys.audit WHERE reason = '市局录入'}),
	$city->safe_psql('city_three', q{SELECT count(*) FROM pointsys.item}) + 1,
	'city_three: its own writes are audited');
is($city->safe_psql('city_three',
		q{SELECT count(*) FROM pg_stat_subscription WHERE subname LIKE 'city_three_%' AND pid IS NOT NULL}),
	'3', 'city_three: the three subscriptions stream on');

done_testing();
