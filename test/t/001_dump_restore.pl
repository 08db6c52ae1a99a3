# pg_dump of a loaded bureau, restored into new databases (custom and plain
# formats), gives the same ledger, rulebook, process, audit trail and
# annual results; and a plain DROP EXTENSION is refused while it holds rows.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use FindBin;
use lib $FindBin::RealBin;
use PointsysTest;

my $node = PostgreSQL::Test::Cluster->new('bureau');
$node->init;
$node->start;

create_bureau($node, 'bureau');

# a customised rulebook, a process under way and some history in the audit trail
$node->safe_psql('bureau', q{
	UPDATE pointsys.item SET title = '党员先锋模范作用发挥' WHERE item = 'role';
	UPDATE pointsys.award_kind SET points = 4 WHERE kind = 'above_county' AND NOT EXISTS
		(SELECT FROM pointsys.award WHERE kind = 'above_county');
	INSERT INTO pointsys.award_kind VALUES ('province', '获得省级表彰', 4);
	INSERT INTO pointsys.award (member_id, month, kind) VALUES ('m02', '2025-06-01', 'province');
	SELECT pointsys.advance('b1', 2024, 1);
	SELECT pointsys.advance('b1', 2024, 1);
	SELECT pointsys.advance('b2', 2025, 4);
	SET pointsys.reason = '更正';
	UPDATE pointsys.score SET points = 3 WHERE member_id = 'm03' AND month = '2025-01-01' AND item = 'org_life';
});

my %queries = (
	annual_results => 'SELECT * FROM pointsys.annual_results ORDER BY member_id, year',
	quarterly_scores => 'SELECT * FROM pointsys.quarterly_scores ORDER BY member_id, year, quarter',
	rulebook => q{SELECT 'item', item, category, title, max_points::text, step::text FROM pointsys.item
				  UNION ALL SELECT 'category', category, '', title, cap::text, '' FROM pointsys.category
				  UNION ALL SELECT 'award_kind', kind, '', title, points::text, '' FROM pointsys.award_kind
				  ORDER BY 1, 2},
	counts => q{SELECT (SELECT count(*) FROM pointsys.branch), (SELECT count(*) FROM pointsys.member),
					   (SELECT count(*) FROM pointsys.score), (SELECT count(*) FROM pointsys.award),
					   (SELECT count(*) FROM pointsys.sanction), (SELECT count(*) FROM pointsys.evaluation),
					   (SELECT count(*) FROM pointsys.recorder), (SELECT count(*) FROM pointsys.period)},
	period => 'SELECT * FROM pointsys.period ORDER BY 1, 2, 3',
	audit => 'SELECT * FROM pointsys.audit ORDER BY audit_id',
	award_ids => 'SELECT award_id, member_id, month, kind FROM pointsys.award ORDER BY award_id',
);

my %before;
$before{$_} = $node->safe_psql('bureau', $queries{$_}) for keys %queries;
ok(length($before{annual_results}) > 1000, 'annual results are there to compare');
like($before{audit}, qr/更正/, 'the audit trail has the correction and its reason');

my $tmp = PostgreSQL::Test::Utils::tempdir;
$node->command_ok([ 'pg_dump', '-Fc', '-f', "$tmp/bureau.dump", '-d', $node->connstr('bureau') ],
	'pg_dump custom format');
$node->command_ok([ 'pg_dump', '-f', "$tmp/bureau.sql", '-d', $node->connstr('bureau') ],
	'pg_dump plain format');

# restore as documented: the session's triggers off, so history comes back as it was
{
	local $ENV{PGOPTIONS} = '-c session_replication_role=replica';

	$node->safe_psql('postgres', 'CREATE DATABASE from_custom');
	$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr('from_custom'),
						"$tmp/bureau.dump" ], 'pg_restore of the custom dump');

	$node->safe_psql('postgres', 'CREATE DATABASE from_plain');
	$node->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('from_plain'),
						'-f', "$tmp/bureau.sql" ], 'psql restore of the plain dump');
}

for my $db ('from_custom', 'from_plain')
{
	for my $q (sort keys %queries)
	{
		is($node->safe_psql($db, $queries{$q}), $before{$q}, "$db: $q unchanged");
	}

	# the restored ledger keeps working: rules, sequences and audit
	my ($rc, $out, $err) = $node->psql($db,
		q{UPDATE pointsys.score SET points = 0 WHERE member_id = 'm01' AND month = '2024-01-01' AND item = 'role'});
	like($err, qr/quarter 2024-Q1 of branch "b1" is publicized/, "$db: quarter rules still enforced");
	$node->safe_psql($db,
		q{INSERT INTO pointsys.award (member_id, month, kind) VALUES ('m02', '2025-07-01', 'county')});
	is($node->safe_psql($db, q{SELECT max(award_id) > (SELECT max((new_row->>'award_id')::bigint)
			FROM pointsys.audit WHERE table_name = 'award' AND audit_id < (SELECT max(audit_id) FROM pointsys.audit))
			FROM pointsys.award}), 't', "$db: the award sequence continues after the restored rows");
	is($node->safe_psql($db, q{SELECT action || ' ' || (new_row->>'kind') FROM pointsys.audit ORDER BY audit_id DESC LIMIT 1}),
		'INSERT county', "$db: new writes are audited");
}

# DROP EXTENSION keeps the ledger unless told otherwise
my ($rc, $out, $err) = $node->psql('bureau', 'DROP EXTENSION pointsys');
isnt($rc, 0, 'DROP EXTENSION refused while the ledger holds rows');
like($err, qr/cannot be dropped/, 'with a message that says why');
is($node->safe_psql('bureau', 'SELECT count(*) > 0 FROM pointsys.score'), 't', 'the ledger is still there');

$node->stop;
done_testing();
