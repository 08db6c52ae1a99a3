# Several bureaus' ledgers in one database (issue 13, part 2), by restore:
#   1. two bureaus with node identities 1 and 2 give out award, sanction and
#      audit ids in disjoint ranges (pointsys.node_of tells each id's node);
#   2. a city database with its own node restores both bureaus' dumps (data
#      only, without their sequence positions, in replica mode, as README's
#      City level says): no collision, every award, sanction (so every veto)
#      and audit row kept with its id, each bureau's annual results in the
#      city equal the bureau's own; the city's own audited writes get ids of
#      its node and collide with nothing;
#   3. a dump restored twice, or a bureau whose member ids are another's,
#      fails the restore with 23505 and leaves the city unchanged;
#   4. the city then subscribes to bureau_a's award, sanction and audit
#      rows by logical replication: replicated rows and the city's own
#      audited writes interleave without a collision, and the subscription
#      keeps streaming (before 1.3 the first local audited write stopped it
#      for good);
#   5. a database of release 1.2 updated in place keeps every row and id,
#      numbers new ids under a node, and its DBA may set the node until an
#      id of a node is given out.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('city');
$node->init(allows_streaming => 'logical');
$node->start;
my $tmp = PostgreSQL::Test::Utils::tempdir;
my %node_id = (bureau_a => 1, bureau_b => 2);

sub sqlstate
{
	my ($db, $sql) = @_;
	my ($rc, $out, $err) = $node->psql($db, "\\set VERBOSITY verbose\n$sql");
	return $err =~ /ERROR:  ([0-9A-Z]{5}):/ ? $1 : ($rc == 0 ? '' : "rc $rc: $err");
}

# --- 1. two bureaus ------------------------------------------------------------------

for my $b (sort keys %node_id)
{
	(my $prefix = $b) =~ s/^bureau_//;
	$node->safe_psql('postgres', qq{CREATE DATABASE $b ENCODING 'UTF8' TEMPLATE template0});
	$node->safe_psql($b, qq{CREATE EXTENSION pointsys; SELECT pointsys.set_node($node_id{$b})});
	$node->command_ok(
		[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'members=200', '-v', 'years=1',
		  '-v', "seed=$node_id{$b}", '-v', "prefix=${prefix}_", '-d', $node->connstr($b),
		  '-f', 'test/data/generate.sql' ],
		"$b: a generated bureau");
	# an audited correction with a reason, and a veto of the bureau's own
	$node->safe_psql($b, qq{
		SET pointsys.reason = '更正';
		UPDATE pointsys.score SET points = 0 WHERE member_id = '${prefix}_gm1' AND month = '2024-03-01' AND item = 'role';
		INSERT INTO pointsys.sanction (member_id, kind, effective_on, note)
		VALUES ('${prefix}_gm2', 'removal_from_post', '2024-05-01', '撤销党内职务');
	});
	is($node->safe_psql($b, q{
		SELECT string_agg(format('%s %s', t, nodes), ', ' ORDER BY t) FROM (
			SELECT 'award' AS t, array_agg(DISTINCT pointsys.node_of(award_id)) AS nodes FROM pointsys.award
			UNION ALL SELECT 'sanction', array_agg(DISTINCT pointsys.node_of(sanction_id)) FROM pointsys.sanction
			UNION ALL SELECT 'audit', array_agg(DISTINCT pointsys.node_of(audit_id)) FROM pointsys.audit) s}),
		"audit {$node_id{$b}}, award {$node_id{$b}}, sanction {$node_id{$b}}",
		"$b: every award, sanction and audit id is node $node_id{$b}'s");
	is($node->safe_psql($b, q{SELECT min(award_id) - (pointsys.node_of(min(award_id))::bigint << 40) FROM pointsys.award}),
		'1', "$b: its awards are numbered from 1 within the node (the ids that collided before 1.3)");
	is(sqlstate($b, 'SELECT pointsys.set_node(7)'), '55000', "$b: the node cannot change once ids were given out");
	$node->command_ok([ 'pg_dump', '-Fc', '-f', "$tmp/$b.dump", '-d', $node->connstr($b) ], "$b: pg_dump");
}

my %q = (
	results => q{SELECT * FROM pointsys.annual_results WHERE member_id LIKE 'PREFIX%' ORDER BY member_id, year},
	vetoed => q{SELECT member_id, year FROM pointsys.annual_results WHERE vetoed AND member_id LIKE 'PREFIX%' ORDER BY 1, 2},
	awards => q{SELECT * FROM pointsys.award WHERE member_id LIKE 'PREFIX%' ORDER BY award_id},
	sanctions => q{SELECT * FROM pointsys.sanction WHERE member_id LIKE 'PREFIX%' ORDER BY sanction_id},
	audit => q{SELECT audit_id, at, actor, acting_as, table_name, action, old_row, new_row, reason
			   FROM pointsys.audit WHERE pointsys.node_of(audit_id) = NODE ORDER BY audit_id},
	months => q{SELECT * FROM pointsys.member_month WHERE member_id LIKE 'PREFIX%' ORDER BY 1, 2},
);
sub q_for
{
	my ($name, $b) = @_;
	(my $prefix = $b) =~ s/^bureau_//;
	(my $sql = $q{$name}) =~ s/PREFIX/${prefix}_/g;
	$sql =~ s/NODE/$node_id{$b}/g;
	return $sql;
}
my %before;
for my $b (sort keys %node_id)
{
	$before{$b}{$_} = $node->safe_psql($b, q_for($_, $b)) for keys %q;
	ok(length($before{$b}{vetoed}) > 0, "$b: has vetoed members to keep");
}

# --- 2. the city restores both ------------------------------------------------------

$node->safe_psql('postgres', q{CREATE DATABASE city ENCODING 'UTF8' TEMPLATE template0});
$node->safe_psql('city', q{CREATE EXTENSION pointsys; SELECT pointsys.set_node(100)});

# restore_bureau(db, dump): README's recipe; returns pg_restore's exit and stderr
sub restore_bureau
{
	my ($db, $dump) = @_;
	my ($list, $err) = ('', '');
	IPC::Run::run([ 'pg_restore', '-l', $dump ], '>', \$list) or die "pg_restore -l $dump";
	open(my $fh, '>', "$dump.list") or die;
	print $fh join("\n", grep { !/ SEQUENCE SET / } split /\n/, $list), "\n";
	close $fh;
	local $ENV{PGOPTIONS} = '-c session_replication_role=replica';
	my $ok = IPC::Run::run(
		[ 'pg_restore', '--data-only', '--single-transaction', '--exit-on-error',
		  '-L', "$dump.list", '-d', $node->connstr($db), $dump ],
		'>', \my $out, '2>', \$err);
	return ($ok, $err);
}

for my $b (sort keys %node_id)
{
	my ($ok, $err) = restore_bureau('city', "$tmp/$b.dump");
	ok($ok, "city: $b restored without an error") or diag($err);
}
for my $b (sort keys %node_id)
{
	for my $name (sort keys %q)
	{
		is($node->safe_psql('city', q_for($name, $b)), $before{$b}{$name}, "city: $b\'s $name as in $b");
	}
}
is($node->safe_psql('city', q{SELECT count(*), count(DISTINCT sanction_id) FROM pointsys.sanction}),
	$node->safe_psql('city', q{SELECT count(*), count(*) FROM pointsys.sanction WHERE pointsys.node_of(sanction_id) IN (1, 2)}),
	'city: every sanction of both bureaus, none lost');
is($node->safe_psql('city', q{SELECT count(*) FROM pointsys.audit}),
	$node->safe_psql('bureau_a', q{SELECT count(*) FROM pointsys.audit})
	+ $node->safe_psql('bureau_b', q{SELECT count(*) FROM pointsys.audit}),
	'city: the audit trails of both bureaus, and nothing else (the restore wrote no audit row)');

# the city's own audited writes: ids of node 100, no collision
$node->safe_psql('city', q{
	SET pointsys.reason = '市局补录';
	INSERT INTO pointsys.award (member_id, month, kind) VALUES ('a_gm1', '2024-12-01', 'county');
	INSERT INTO pointsys.sanction (member_id, kind, effective_on) VALUES ('b_gm3', 'warning', '2024-02-01');
	UPDATE pointsys.score SET points = 1 WHERE member_id = 'b_gm4' AND month = '2024-04-01' AND item = 'role';
});
is($node->safe_psql('city', q{
	SELECT (SELECT array_agg(pointsys.node_of(award_id)) FROM pointsys.award WHERE pointsys.node_of(award_id) NOT IN (1, 2)),
		   (SELECT array_agg(pointsys.node_of(sanction_id)) FROM pointsys.sanction WHERE pointsys.node_of(sanction_id) NOT IN (1, 2)),
		   (SELECT array_agg(DISTINCT pointsys.node_of(audit_id)) FROM pointsys.audit WHERE reason = '市局补录'),
		   (SELECT count(*) FROM pointsys.audit WHERE pointsys.node_of(audit_id) NOT IN (1, 2))}),
	'{100}|{100}|{100}|3', 'city: its own award, sanction and audit rows have ids of node 100');
is($node->safe_psql('city', q{SELECT count(*) = count(DISTINCT audit_id) FROM pointsys.audit}), 't', 'city: no audit id twice');

# --- 3. collisions are errors, never silent ----------------------------------------

my $counts = q{SELECT (SELECT count(*) FROM pointsys.member), (SELECT count(*) FROM pointsys.award),
	(SELECT count(*) FROM pointsys.sanction), (SELECT count(*) FROM pointsys.audit), (SELECT count(*) FROM pointsys.score)};
my $city_before = $node->safe_psql('city', $counts);
my ($ok, $err) = restore_bureau('city', "$tmp/bureau_a.dump");
ok(!$ok, 'restoring bureau_a twice fails');
like($err, qr/duplicate key value violates unique constraint/, 'on a duplicate key');
is($node->safe_psql('city', $counts), $city_before, 'and leaves the city unchanged');

# a third bureau whose member ids are bureau_a's (member_id must be unique
# across the city: the party-membership number)
$node->safe_psql('postgres', q{CREATE DATABASE bureau_c ENCODING 'UTF8' TEMPLATE template0});
$node->safe_psql('bureau_c', q{CREATE EXTENSION pointsys; SELECT pointsys.set_node(3)});
$node->command_ok(
	[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'members=20', '-v', 'prefix=a_',
	  '-d', $node->connstr('bureau_c'), '-f', 'test/data/generate.sql' ],
	'bureau_c: member ids that bureau_a has');
$node->command_ok([ 'pg_dump', '-Fc', '-f', "$tmp/bureau_c.dump", '-d', $node->connstr('bureau_c') ], 'bureau_c: pg_dump');
($ok, $err) = restore_bureau('city', "$tmp/bureau_c.dump");
ok(!$ok, 'restoring a bureau with another bureau\'s member ids fails');
like($err, qr/duplicate key value violates unique constraint "(branch|member)_pkey"/, 'on the branch or member key');
is($node->safe_psql('city', $counts), $city_before, 'and leaves the city unchanged');

# --- 4. replicated ids and the city's own ----------------------------------------------

# the stream after the dump (the restore brought everything before it); a
# subscription to a database of the same cluster needs its slot made apart
my $log_offset = -s $node->logfile;
$node->safe_psql('bureau_a', q{
	CREATE PUBLICATION city_ids FOR TABLE pointsys.award, pointsys.sanction, pointsys.audit_log;
	SELECT pg_create_logical_replication_slot('city_a', 'pgoutput');
});
my $connstr = $node->connstr . ' dbname=bureau_a';
$node->safe_psql('city', qq{
	CREATE SUBSCRIPTION city_a CONNECTION '$connstr' PUBLICATION city_ids
	WITH (create_slot = false, slot_name = 'city_a', copy_data = false);
});
for my $round (1 .. 3)
{
	$node->safe_psql('bureau_a', qq{
		SET pointsys.reason = '局第${round}次补录';
		INSERT INTO pointsys.award (member_id, month, kind) VALUES ('a_gm5', '2024-0${round}-01', 'above_county');
		INSERT INTO pointsys.sanction (member_id, kind, effective_on) VALUES ('a_gm6', 'warning', '2024-0${round}-01');
	});
	$node->safe_psql('city', qq{
		SET pointsys.reason = '市第${round}次补录';
		INSERT INTO pointsys.award (member_id, month, kind) VALUES ('b_gm5', '2024-0${round}-01', 'county');
		UPDATE pointsys.score SET points = $round WHERE member_id = 'b_gm6' AND month = '2024-01-01' AND item = 'role';
	});
}
$node->wait_for_catchup('city_a');
is($node->safe_psql('city', q{
	SELECT string_agg(format('%s %s', pointsys.node_of(audit_id), reason), ', ' ORDER BY reason)
	FROM pointsys.audit WHERE reason LIKE '%次补录'}),
	join(', ', (map { "1 局第${_}次补录, 1 局第${_}次补录" } 1 .. 3), (map { "100 市第${_}次补录, 100 市第${_}次补录" } 1 .. 3)),
	'city: the bureau\'s replicated audit rows (node 1) and its own (node 100) side by side');
is($node->safe_psql('city', q{SELECT count(*) FROM pointsys.award WHERE member_id = 'a_gm5' AND kind = 'above_county'
	AND pointsys.node_of(award_id) = 1}),
	'3', 'city: the replicated awards, with their bureau ids');
is($node->safe_psql('city', q{SELECT count(*) = count(DISTINCT audit_id) FROM pointsys.audit}), 't', 'city: no audit id twice');
is($node->safe_psql('city', q{SELECT pid IS NOT NULL FROM pg_stat_subscription WHERE subname = 'city_a'}), 't',
	'city: the subscription is still streaming');
ok(!$node->log_contains(qr/ERROR:/, $log_offset), 'no error in the log since the subscription began');
$node->safe_psql('city', 'DROP SUBSCRIPTION city_a');

# --- 5. a 1.2 database updated in place ----------------------------------------------

$node->safe_psql('postgres', q{CREATE DATABASE legacy ENCODING 'UTF8' TEMPLATE template0});
$node->safe_psql('legacy', q{CREATE EXTENSION pointsys VERSION '1.2'});
$node->command_ok(
	[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('legacy'), '-f', 'test/data/sample_bureau.sql' ],
	'legacy: the sample bureau on 1.2');
my %legacy = (
	awards => 'SELECT * FROM pointsys.award ORDER BY award_id',
	sanctions => 'SELECT * FROM pointsys.sanction ORDER BY sanction_id',
	audit => 'SELECT * FROM pointsys.audit ORDER BY audit_id',
	# 1.2's columns at scale 2 (1.3 types them so and adds eligibility_label
	# and final; 1.5 types democratic so too)
	results => q{SELECT member_id, branch_id, year, q1::numeric(14,2), q2::numeric(14,2), q3::numeric(14,2),
						q4::numeric(14,2), months, assessment::numeric(14,2), democratic::numeric(5,2), vetoed,
						total::numeric(5,2), grade, eligibility
				 FROM pointsys.annual_results ORDER BY member_id, year},
);
my %legacy_before = map { $_ => $node->safe_psql('legacy', $legacy{$_}) } keys %legacy;
is($node->safe_psql('legacy', 'SELECT max(award_id) < 100 FROM pointsys.award'), 't', 'legacy: 1.2 numbers awards from 1');
$node->safe_psql('legacy', 'ALTER EXTENSION pointsys UPDATE');
for my $name (sort keys %legacy)
{
	is($node->safe_psql('legacy', $legacy{$name}), $legacy_before{$name}, "legacy: $name unchanged by the update");
}
is(sqlstate('legacy', 'SELECT pointsys.set_node(5)'), '', 'legacy: the DBA sets a node (only ids of node 0 exist)');
$node->safe_psql('legacy', q{INSERT INTO pointsys.award (member_id, month, kind) VALUES ('m02', '2025-07-01', 'county')});
is($node->safe_psql('legacy', q{SELECT pointsys.node_of((SELECT max(award_id) FROM pointsys.award)), pointsys.node_of((SELECT max(audit_id) FROM pointsys.audit))}),
	'5|5', 'legacy: new ids are node 5\'s');
is(sqlstate('legacy', 'SELECT pointsys.set_node(6)'), '55000', 'legacy: and then the node is fixed');

$node->stop;
done_testing();
