# 民主评议 electronic ballots are anonymous (issue 26, doc/appraisal.md):
# five registered logins and three one-time codes vote in a branch's round,
# each ballot different; then pointsys_admin, with every privilege pointsys
# gives, tries each way to link a ballot to its voter:
#   1. the ballots, codes and counts themselves while the vote is open;
#   2. everything she can read in schema pointsys, the audit trail
#      included, during and after the vote: no row that names a voter
#      carries a mark, no row that carries marks names a voter, and no row
#      she can read that carries marks was written by a voter's transaction;
#   3. the order of the ballots once counted: sorted by their marks, not
#      the order they were cast in; no system column of theirs to read;
#   4. counting and rolling back to let the vote go on (counts before and
#      after a ballot would show it): refused until the end of the vote is
#      committed, after which no ballot is taken;
#   5. the server's log: no statement of a ballot, cast or refused, and no
#      ballot at all while the server logs statements;
#   6. no other role: pointsys gives her no role that reads other sessions'
#      queries or the server's files.
use strict;
use warnings;
use FindBin;
use lib $FindBin::RealBin;
use PointsysTest;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('anonymity');
$node->init;
# PostgreSQL::Test::Cluster logs every statement; a bureau that votes does not
$node->append_conf('postgresql.conf', "log_statement = 'none'\n");
$node->start;
my $db = 'bureau';
$node->safe_psql('postgres', qq{CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0});
$node->safe_psql($db, 'CREATE EXTENSION pointsys');

my @voters = map { "voter$_" } 1 .. 5;
$node->safe_psql($db, join "\n",
	q{INSERT INTO pointsys.branch VALUES ('v', '评议支部');},
	q{INSERT INTO pointsys.member (member_id, name, branch_id) VALUES
		('vm1', '一', 'v'), ('vm2', '二', 'v'), ('vm3', '三', 'v'), ('vm4', '四', 'v');},
	q{CREATE ROLE boss LOGIN IN ROLE pointsys_admin;},
	q{CREATE ROLE clerk LOGIN IN ROLE pointsys_recorder;},
	q{CREATE ROLE kiosk LOGIN IN ROLE pointsys_voter;},
	(map { "CREATE ROLE $_ LOGIN IN ROLE pointsys_voter;" } @voters),
	q{INSERT INTO pointsys.recorder VALUES ('v', 'clerk', '2025-01-01');});

# the round, its register and its codes, by the branch's recorder
my ($rc, $out, $err) = psql_as($node, $db, 'clerk', join "\n",
	q{INSERT INTO pointsys.appraisal_round (branch_id, year, ballots_issued, electronic) VALUES ('v', 2025, 8, true);},
	(map { "INSERT INTO pointsys.appraisal_voter (branch_id, year, role_name) VALUES ('v', 2025, '$_');" } @voters),
	q{SELECT code FROM unnest(pointsys.issue_codes('v', 2025, 3)) code;});
is($rc, 0, 'the recorder opens an electronic round, registers five voters and prints three codes') or diag($err);
my @codes = grep { /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/ } split /\n/, $out;
is(scalar @codes, 3, 'three printable codes');

# every ballot different; cast in an order that is not the order of their
# marks
my @labels = qw(excellent qualified basically_qualified unqualified);
my @casts;	# [voter or code, marks]
for my $i (0 .. 7)
{
	my %m = (vm1 => $labels[(7 - $i) % 4], vm2 => $labels[int((7 - $i) / 4)], vm3 => $labels[$i % 3],
			 vm4 => $labels[(5 * $i) % 4]);
	my $marks = '{' . join(', ', map { qq{"$_": "$m{$_}"} } sort keys %m) . '}';
	push @casts, [ $i < 5 ? $voters[$i] : $codes[$i - 5], $marks ];
}
my %distinct = map { $_->[1] => 1 } @casts;
is(scalar keys %distinct, 8, 'eight different ballots');

my (@voter_xids, %logged);
for my $c (@casts)
{
	my ($who, $marks) = @$c;
	my $by_code = $who =~ /-/;
	($rc, $out, $err) = psql_as($node, $db, $by_code ? 'kiosk' : $who,
		"SELECT pointsys.cast_ballot('v', 2025, '$marks'" . ($by_code ? ", '$who'" : '')
		. "), pg_current_xact_id();");
	is($rc, 0, "a ballot cast " . ($by_code ? 'with a code' : "by $who")) or diag($err);
	push @voter_xids, (split /\|/, $out)[-1];
}
# voter1 tries again (refused), with a ballot no one cast
my $again = '{"vm1": "unqualified", "vm2": "unqualified", "vm3": "unqualified", "vm4": "excellent"}';
ok(!$distinct{$again}, 'the second try is a ballot no one cast');
($rc, $out, $err) = psql_as($node, $db, 'voter1', "SELECT pointsys.cast_ballot('v', 2025, '$again');");
is((first_error($rc, $err))[0], '55000', 'a voter cannot vote twice');

# ---- 1. the ballots, codes and counts while the vote is open ----

for my $t (qw(appraisal_ballot appraisal_code))
{
	($rc, $out, $err) = psql_as($node, $db, 'boss', "SELECT * FROM pointsys.$t;");
	is((first_error($rc, $err))[0], '42501', "pointsys_admin cannot read $t");
	($rc, $out, $err) = psql_as($node, $db, 'boss', "DELETE FROM pointsys.$t;");
	is((first_error($rc, $err))[0], '42501', "pointsys_admin cannot change $t");
}
is($node->safe_psql($db, q{SET ROLE boss; SELECT count(*) FROM pointsys.appraisal_ballots}), '0',
	'the ballots of an open round are not shown');
is($node->safe_psql($db, q{SET ROLE boss; SELECT count(*) FROM pointsys.appraisal_tally}), '0',
	'nor counted');
($rc, $out, $err) = psql_as($node, $db, 'boss', "SELECT pointsys.cast_ballot('v', 2025, '{}');");
is((first_error($rc, $err))[0], '42501', 'pointsys_admin cannot cast a ballot');

# ---- 4. counting and rolling back ----

for my $sql ("BEGIN;\nUPDATE pointsys.appraisal_round SET voting_ended = true;\n"
			 . "UPDATE pointsys.appraisal_round SET status = 'closed';\nROLLBACK;",
			 "BEGIN;\nSAVEPOINT a;\nUPDATE pointsys.appraisal_round SET voting_ended = true;\nRELEASE a;\n"
			 . "SAVEPOINT b;\nUPDATE pointsys.appraisal_round SET status = 'closed';\nROLLBACK;")
{
	($rc, $out, $err) = psql_as($node, $db, 'boss', $sql);
	is((first_error($rc, $err))[0], '55000', 'no count in the transaction that ends the vote (or its subtransactions)');
}
is($node->safe_psql($db, q{SELECT count(*) FROM pointsys.appraisal_tally}), '0', 'nothing was counted');

# ---- 2. everything she can read, during the vote ----

# every relation of schema pointsys pointsys_admin may read, as text rows
sub readable
{
	my $rels = $node->safe_psql($db, q{
		SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'pointsys' AND c.relkind IN ('r', 'v', 'm', 'p')
		  AND has_table_privilege('boss', c.oid, 'SELECT') ORDER BY 1});
	my %rows;
	for my $rel (split /\n/, $rels)
	{
		my $kind = $node->safe_psql($db, "SELECT relkind FROM pg_class WHERE oid = 'pointsys.$rel'::regclass");
		my $xmin = $kind eq 'r' ? 'x.xmin::text' : "''";
		$rows{$rel} = [ map { [ split /\x1f/, $_, -1 ] } split /\n/,
			$node->safe_psql($db, "SET ROLE boss; SELECT $xmin || chr(31) || x::text FROM pointsys.$rel x") ];
	}
	return \%rows;
}
my $label_re = qr/\b(?:excellent|qualified|basically_qualified|unqualified)\b/;
my $voter_re = join '|', @voters, 'kiosk';
my %xid = map { $_ => 1 } @voter_xids;

sub no_link
{
	my ($when) = @_;
	my $rows = readable();
	my @bad;
	for my $rel (sort keys %$rows)
	{
		for my $r (@{ $rows->{$rel} })
		{
			my ($xmin, $text) = @$r;
			next if $rel eq 'appraisal_weight' || $rel eq 'setting';	# the rulebook's labels
			push @bad, "$rel: $text (names a voter and a label)" if $text =~ /$voter_re/ && $text =~ $label_re;
			push @bad, "$rel: $text (marks written by a voter's transaction $xmin)"
			  if $text =~ $label_re && length $xmin && $xid{$xmin};
		}
	}
	is(join("\n", @bad), '', "$when: nothing pointsys_admin reads links a voter and a mark");
	return $rows;
}
my $rows = no_link('during the vote');
my @register = grep { $_->[1] =~ /voter/ } @{ $rows->{appraisal_voter} };
is(scalar @register, 5, 'the register shows the five voters');
# (the checks above can fail: they see the voters' transactions on the register)
is(scalar(grep { $xid{ $_->[0] } } @register), 5, "the register's rows are the voters' transactions'");
ok(!(grep { $_->[1] =~ $label_re } @{ $rows->{audit} }), 'the audit trail holds no mark');

# ---- the vote ends (committed), then the count ----

psql_as($node, $db, 'clerk', q{UPDATE pointsys.appraisal_round SET voting_ended = true;});
($rc, $out, $err) = psql_as($node, $db, 'kiosk',
	"SELECT pointsys.cast_ballot('v', 2025, '{\"vm1\": \"excellent\"}', '$codes[0]');");
is((first_error($rc, $err))[0], '55000', 'once the vote has ended, no ballot is taken');
($rc, $out, $err) = psql_as($node, $db, 'clerk', q{UPDATE pointsys.appraisal_round SET status = 'closed';});
is($rc, 0, 'the round closes and counts its ballots') or diag($err);

# ---- 3. the ballots once counted ----

my @shown = split /\n/, $node->safe_psql($db, q{SET ROLE boss; SELECT marks FROM pointsys.appraisal_ballots});
is_deeply([ sort @shown ], [ sort map { $_->[1] } @casts ], 'the ballots shown are the ballots cast');
is_deeply(\@shown, [ sort { $a cmp $b } @shown ], 'in the order of their marks');
isnt(join("\n", @shown), join("\n", map { $_->[1] } @casts), 'not in the order they were cast in');
for my $col (qw(xmin ctid))
{
	($rc, $out, $err) = psql_as($node, $db, 'boss', "SELECT $col FROM pointsys.appraisal_ballots;");
	is((first_error($rc, $err))[0], '42703', "no $col of a ballot to read");
}
my %count;
for my $c (@casts)
{
	while ($c->[1] =~ /"(vm\d)": "(\w+)"/g) { $count{$1}{$2}++ }
}
my $expected = join "\n", map { my $m = $_; join '|', $m, map { $count{$m}{$_} // 0 } @labels } sort keys %count;
is($node->safe_psql($db, q{SELECT member_id, excellent, qualified, basically_qualified, unqualified
	FROM pointsys.appraisal_tally ORDER BY 1}), $expected, 'the tally counts the ballots cast');
$rows = no_link('after the count');
# (and they see the marks)
is(scalar(grep { $_->[1] =~ $label_re } @{ $rows->{appraisal_ballots} }), 8, 'the check read the eight ballots');

# ---- 5. the server's log ----

my $log = slurp_file($node->logfile);
my @in_log = grep { index($log, $_->[1]) >= 0 } @casts, [ 'again', $again ];
is(scalar @in_log, 0, 'no ballot, cast or refused, is in the server log');
$node->append_conf('postgresql.conf', "log_statement = 'all'\n");
$node->reload;
($rc, $out, $err) = psql_as($node, $db, 'kiosk', q{SELECT * FROM pointsys.ballot_form('v', 2025);});
is((first_error($rc, $err))[0], '55000', 'while the server logs statements, no ballot form is shown');

# ---- 6. no other role ----

is($node->safe_psql($db, q{
	SELECT string_agg(r.rolname, ', ') FROM pg_roles r
	WHERE r.rolname IN ('pg_read_all_stats', 'pg_monitor', 'pg_read_server_files', 'pg_read_all_data',
						'pg_write_server_files', 'pg_execute_server_program', 'pg_signal_backend')
	  AND pg_has_role('boss', r.oid, 'MEMBER')}), '',
	'pointsys_admin reads no other session\'s query, no server file');

$node->stop;
done_testing();
