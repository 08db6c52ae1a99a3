# 上报备案 and 积分核查 (issue 25, doc/filing.md) across copies of a bureau:
#   1. a second implementation of the serialisation, written here from
#      doc/filing.md alone (exact integer arithmetic, Digest::SHA), gives the
#      digest of every filing of the sample bureau, with a transfer, a member
#      id needing escapes, a reopen and a refiling among them;
#   2. honest copies verify clean: a physical standby, a pg_dump restored as
#      README says, a city database subscribed by logical replication (a
#      refiling after the initial copy included);
#   3. a restore of an edited dump is found: filing_mismatches lists the
#      quarter and verify_quarter names the score row the audit trail
#      recorded otherwise;
#   4. the audit trail's chain (seal_audit, verify_audit) holds in every
#      copy, and a batch of a transaction still open when a later one
#      commits is not passed over: the later batch waits for it to be sealed.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Digest::SHA qw(sha256_hex);
use Time::HiRes qw(time);

my $bureau = PostgreSQL::Test::Cluster->new('bureau');
$bureau->init(allows_streaming => 'logical');
$bureau->start;
$bureau->safe_psql('postgres', q{CREATE DATABASE bureau ENCODING 'UTF8' TEMPLATE template0});
$bureau->safe_psql('bureau', 'CREATE EXTENSION pointsys');
$bureau->command_ok(
	[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $bureau->connstr('bureau'),
	  '-f', 'test/data/sample_bureau.sql' ],
	'the sample bureau loads');

# a transfer in the middle of 2024-Q1, a member id that needs every escape,
# filings of every quarter of 2024, one verified, one reopened and refiled
$bureau->safe_psql('bureau', q{
	INSERT INTO pointsys.membership VALUES ('m02', 'b1', '2024-02-01');
	INSERT INTO pointsys.member (member_id, name, branch_id) VALUES (E'x\\\\y\tz\n党', '怪名', 'b1');
	INSERT INTO pointsys.score VALUES (E'x\\\\y\tz\n党', '2024-01-01', 'role', 12.5);
	INSERT INTO pointsys.award (member_id, month, kind) VALUES (E'x\\\\y\tz\n党', '2024-03-01', 'county');
	INSERT INTO pointsys.setting VALUES ('publicity_days', 0);
	SELECT pointsys.advance(b, 2024, q), pointsys.advance(b, 2024, q), pointsys.advance(b, 2024, q)
	FROM (VALUES ('b1'), ('b2'), ('b3')) v(b), generate_series(1, 4) q;
	SELECT pointsys.advance('b1', 2024, 1);
	SELECT pointsys.reopen('b2', 2024, 2, '更正');
	UPDATE pointsys.score SET points = 0 WHERE member_id = 'm08' AND month = '2024-05-01' AND item = 'role';
	SELECT pointsys.advance('b2', 2024, 2), pointsys.advance('b2', 2024, 2), pointsys.advance('b2', 2024, 2);
});

# ---- 1. the second implementation (doc/filing.md, version 1) ----

sub rows
{
	my ($node, $db, $sql) = @_;
	return map { [ split /\|/, $_, -1 ] } grep { length } split /\n/, $node->safe_psql($db, $sql);
}
sub unhex { return pack('H*', $_[0]) }
sub esc
{
	my ($s) = @_;
	$s =~ s/\\/\\\\/g;
	$s =~ s/\t/\\t/g;
	$s =~ s/\n/\\n/g;
	$s =~ s/\r/\\r/g;
	return $s;
}
# exact decimals as integers of millionths (at most 6 decimals, never negative)
sub millionths
{
	my ($s) = @_;
	my ($i, $f) = split /\./, $s;
	$f = substr(($f // '') . '000000', 0, 6);
	return $i * 1000000 + $f;
}
sub number
{
	my ($m) = @_;
	my $f = sprintf('%06d', $m % 1000000);
	$f =~ s/0+$//;
	return int($m / 1000000) . (length $f ? ".$f" : '');
}

sub ledger_text
{
	my ($node, $db, $branch, $year, $quarter) = @_;
	my $hex = q{encode(convert_to(%s, 'UTF8'), 'hex')};
	my %membership;
	for my $r (rows($node, $db, sprintf(
		'SELECT %s, %s, since FROM pointsys.membership', sprintf($hex, 'member_id'), sprintf($hex, 'branch_id'))))
	{
		push @{ $membership{ unhex($r->[0]) } }, [ $r->[2], unhex($r->[1]) ];
	}
	my $branch_of = sub {
		my ($member, $month) = @_;
		my @h = sort { $a->[0] cmp $b->[0] } @{ $membership{$member} };
		my @before = grep { $_->[0] le $month } @h;
		return @before ? $before[-1][1] : $h[0][1];
	};
	my @months = map { sprintf('%04d-%02d-01', $year, ($quarter - 1) * 3 + $_) } 1 .. 3;
	my %in_quarter = map { $_ => 1 } @months;
	my ($cap) = map { millionths($_->[0]) }
	  rows($node, $db, q{SELECT cap FROM pointsys.category WHERE category = 'reward'});
	my %kind_points = map { unhex($_->[0]) => millionths($_->[1]) }
	  rows($node, $db, sprintf('SELECT %s, points FROM pointsys.award_kind', sprintf($hex, 'kind')));
	my (%scores, %awards, %mm);
	for my $r (rows($node, $db, sprintf('SELECT %s, month, %s, points FROM pointsys.score',
										  sprintf($hex, 'member_id'), sprintf($hex, 'item'))))
	{
		my ($m, $month, $item, $p) = (unhex($r->[0]), $r->[1], unhex($r->[2]), $r->[3]);
		next unless $in_quarter{$month} && $branch_of->($m, $month) eq $branch;
		push @{ $scores{$m}{$month} }, [ $item, millionths($p) ];
		$mm{$m}{$month} = 1;
	}
	for my $r (rows($node, $db, sprintf('SELECT award_id, %s, month, %s FROM pointsys.award',
										  sprintf($hex, 'member_id'), sprintf($hex, 'kind'))))
	{
		my ($id, $m, $month, $kind) = ($r->[0], unhex($r->[1]), $r->[2], unhex($r->[3]));
		next unless $in_quarter{$month} && $branch_of->($m, $month) eq $branch;
		push @{ $awards{$m}{$month} }, [ $id, $kind ];
		$mm{$m}{$month} = 1;
	}
	my %kinds_used = map { $_->[1] => 1 } map { @$_ } map { values %$_ } values %awards;
	my $text = "pointsys-ledger\t1\n" . 'branch' . "\t" . esc($branch) . "\n"
	  . "quarter\t$year\t$quarter\n" . "reward_cap\t" . number($cap) . "\n";
	$text .= "kind\t" . esc($_) . "\t" . number($kind_points{$_}) . "\n" for sort keys %kinds_used;
	for my $m (sort keys %mm)
	{
		my ($sum, $n) = (0, 0);
		for my $month (sort keys %{ $mm{$m} })
		{
			my @s = sort { $a->[0] cmp $b->[0] } @{ $scores{$m}{$month} // [] };
			my @a = sort { $a->[0] <=> $b->[0] } @{ $awards{$m}{$month} // [] };
			my $points = 0;
			$points += $_->[1] for @s;
			my $reward = 0;
			$reward += $kind_points{ $_->[1] } for @a;
			$reward = $cap if $reward > $cap;
			my $total = $points + $reward;
			my $ym = substr($month, 0, 7);
			$text .= join("\t", 'month', esc($m), $ym, number($total)) . "\n";
			$text .= join("\t", 'score', esc($m), $ym, esc($_->[0]), number($_->[1])) . "\n" for @s;
			$text .= join("\t", 'award', esc($m), $ym, $_->[0], esc($_->[1])) . "\n" for @a;
			$sum += $total;
			$n++;
		}
		# the mean rounded half up to 0.01: in hundredths, then millionths
		my $hundredths;
		{
			use integer;
			$hundredths = (2 * $sum + $n * 10000) / (2 * $n * 10000);
		}
		$text .= join("\t", 'quarter_score', esc($m), number($hundredths * 10000), $n) . "\n";
	}
	return $text;
}

my @filings = rows($bureau, 'bureau', q{
	SELECT branch_id, year, quarter, filing, digest FROM pointsys.filing ORDER BY 1, 2, 3, 4});
is(scalar(@filings), 13, 'twelve quarters filed, one of them twice');
for my $f (@filings)
{
	my ($b, $y, $q, $n, $digest) = @$f;
	my ($latest) = map { $_->[0] } rows($bureau, 'bureau', qq{
		SELECT max(filing) FROM pointsys.filing WHERE branch_id = '$b' AND year = $y AND quarter = $q});
	next unless $latest == $n;
	my $text = ledger_text($bureau, 'bureau', $b, $y, $q);
	is(sha256_hex($text), $digest, "$b $y-Q$q filing $n: the second implementation's digest");
}
# byte for byte, the quarter with the transfer and the escapes
my $text = ledger_text($bureau, 'bureau', 'b1', 2024, 1);
is($bureau->safe_psql('bureau', q{SELECT encode(convert_to(pointsys.ledger_text('b1', 2024, 1), 'UTF8'), 'hex')}),
	unpack('H*', $text), 'b1 2024-Q1: the same text byte for byte');
like($text, qr/^score\tx\\\\y\\tz\\n党\t2024-01\trole\t12\.5$/m, 'the member id escaped');
like($text, qr/^month\tm02\t2024-02\t/m, 'm02 in b1 from February');
unlike($text, qr/^month\tm02\t2024-01\t/m, 'm02 not in b1 in January');
is($bureau->safe_psql('bureau', q{SELECT filing FROM pointsys.filing WHERE branch_id = 'b2' AND year = 2024
								   AND quarter = 2 ORDER BY filing}), "1\n2", 'both filings of b2 2024-Q2 kept');

my $verify_all = q{
	SELECT string_agg(format('%s %s-Q%s %s %s', f.branch_id, f.year, f.quarter, v.status, v.matches), ', '
					  ORDER BY f.branch_id, f.year, f.quarter)
	FROM (SELECT DISTINCT branch_id, year, quarter FROM pointsys.filing) f,
		 pointsys.verify_quarter(f.branch_id, f.year, f.quarter) v
	WHERE v.matches IS NOT TRUE};
is($bureau->safe_psql('bureau', $verify_all), '', 'every quarter verifies on the bureau');
is($bureau->safe_psql('bureau', 'SELECT count(*) FROM pointsys.filing_mismatches'), '0', 'no mismatch');
my $filing_rows = 'SELECT * FROM pointsys.filing ORDER BY 1, 2, 3, 4';
$bureau->safe_psql('bureau', 'SELECT pointsys.seal_audit()') for 1 .. 2;
my $chain = q{SELECT node, first_break, problem, batches = sealed FROM pointsys.verify_audit() ORDER BY node};
my ($bureau_node) = map { $_->[0] } rows($bureau, 'bureau', 'SELECT node FROM pointsys.verify_audit()');
is($bureau->safe_psql('bureau', $chain), "$bureau_node|||t", 'the chain holds, every batch sealed');
my $chain_head = 'SELECT node, head_id, head_link FROM pointsys.verify_audit() ORDER BY node';
my $filed = $bureau->safe_psql('bureau', $filing_rows);

# ---- 2. honest copies ----

# a physical standby
$bureau->backup('base');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($bureau, 'base', has_streaming => 1);
$standby->start;
$bureau->safe_psql('bureau', q{
	SELECT pointsys.reopen('b3', 2024, 3, '更正');
	UPDATE pointsys.score SET points = 1 WHERE member_id = 'm03' AND month = '2024-07-01' AND item = 'role';
	SELECT pointsys.advance('b3', 2024, 3), pointsys.advance('b3', 2024, 3), pointsys.advance('b3', 2024, 3);
});
$filed = $bureau->safe_psql('bureau', $filing_rows);
$bureau->wait_for_catchup($standby);
is($standby->safe_psql('bureau', $filing_rows), $filed, 'standby: the filings');
is($standby->safe_psql('bureau', $verify_all), '', 'standby: every quarter verifies');
is($standby->safe_psql('bureau', 'SELECT count(*) FROM pointsys.filing_mismatches'), '0', 'standby: no mismatch');
is($standby->safe_psql('bureau', $chain_head), $bureau->safe_psql('bureau', $chain_head), 'standby: the chain head');
is($standby->safe_psql('bureau', 'SELECT first_break FROM pointsys.verify_audit()'), '', 'standby: the chain holds');

# pg_dump and a restore as README says (triggers off for the session)
my $tmp = PostgreSQL::Test::Utils::tempdir;
$bureau->command_ok([ 'pg_dump', '-Fc', '-f', "$tmp/bureau.dump", '-d', $bureau->connstr('bureau') ],
	'pg_dump');
$bureau->command_ok([ 'pg_dump', '-f', "$tmp/bureau.sql", '-d', $bureau->connstr('bureau') ],
	'pg_dump, plain');
{
	local $ENV{PGOPTIONS} = '-c session_replication_role=replica';
	$bureau->safe_psql('postgres', 'CREATE DATABASE restored');
	$bureau->command_ok([ 'pg_restore', '--exit-on-error', '-d', $bureau->connstr('restored'),
						  "$tmp/bureau.dump" ], 'pg_restore');
}
is($bureau->safe_psql('restored', $filing_rows), $filed, 'restored: the filings');
is($bureau->safe_psql('restored', $verify_all), '', 'restored: every quarter verifies');
is($bureau->safe_psql('restored', 'SELECT count(*) FROM pointsys.filing_mismatches'), '0', 'restored: no mismatch');
is($bureau->safe_psql('restored', $chain_head), $bureau->safe_psql('bureau', $chain_head), 'restored: the chain head');
is($bureau->safe_psql('restored', 'SELECT first_break FROM pointsys.verify_audit()'), '', 'restored: the chain holds');

# a city database subscribed to the whole schema
my $city = PostgreSQL::Test::Cluster->new('city');
$city->init;
$city->append_conf('postgresql.conf', "wal_retrieve_retry_interval = '200ms'");
$city->start;
$bureau->safe_psql('bureau', 'CREATE PUBLICATION city FOR TABLES IN SCHEMA pointsys');
$city->safe_psql('postgres', q{CREATE DATABASE city ENCODING 'UTF8' TEMPLATE template0});
$city->safe_psql('city', 'CREATE EXTENSION pointsys');
$city->safe_psql('city', q{
	SET session_replication_role = replica;
	DELETE FROM pointsys.item; DELETE FROM pointsys.award_kind; DELETE FROM pointsys.category;
});
my $bureau_conn = $bureau->connstr() . ' dbname=bureau';
$city->safe_psql('city', "CREATE SUBSCRIPTION city CONNECTION '$bureau_conn' PUBLICATION city");
$city->wait_for_subscription_sync($bureau, 'city', 'city');
is($city->safe_psql('city', $filing_rows), $filed, 'city: the filings, copied');
is($city->safe_psql('city', $verify_all), '', 'city: every quarter verifies after the copy');
# a reopen and a refiling streamed after the initial copy
$bureau->safe_psql('bureau', q{
	SELECT pointsys.reopen('b1', 2024, 4, '更正');
	UPDATE pointsys.score SET points = 2 WHERE member_id = 'm04' AND month = '2024-10-01' AND item = 'role';
	SELECT pointsys.advance('b1', 2024, 4), pointsys.advance('b1', 2024, 4), pointsys.advance('b1', 2024, 4);
});
$bureau->wait_for_catchup('city');
$filed = $bureau->safe_psql('bureau', $filing_rows);
is($city->safe_psql('city', $filing_rows), $filed, 'city: the refiling streamed, not computed again');
is($city->safe_psql('city', $verify_all), '', 'city: every quarter verifies after the stream');
is($city->safe_psql('city', 'SELECT count(*) FROM pointsys.filing_mismatches'), '0', 'city: no mismatch');
$bureau->safe_psql('bureau', 'SELECT pointsys.seal_audit()');
$bureau->wait_for_catchup('city');
is($city->safe_psql('city', "SELECT head_id, head_link, first_break FROM pointsys.verify_audit() WHERE node = $bureau_node"),
	$bureau->safe_psql('bureau', 'SELECT head_id, head_link, first_break FROM pointsys.verify_audit()'),
	"city: the bureau's chain, as the bureau has it");

# ---- 3. an edited dump, restored ----

open my $in, '<', "$tmp/bureau.sql" or die;
my $dump = do { local $/; <$in> };
close $in;
# m04 (branch b1) in January 2024: the item role set to 20 in the COPY data
my $edits = ($dump =~ s/^(m04\t2024-01-01\trole\t)[0-9.]+\t/${1}20\t/m);
is($edits, 1, 'one score row edited in the dump');
open my $out, '>', "$tmp/edited.sql" or die;
print $out $dump;
close $out;
{
	local $ENV{PGOPTIONS} = '-c session_replication_role=replica';
	$bureau->safe_psql('postgres', 'CREATE DATABASE edited');
	$bureau->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $bureau->connstr('edited'),
						  '-f', "$tmp/edited.sql" ], 'the edited dump restores');
}
is($bureau->safe_psql('edited', 'SELECT branch_id, year, quarter, status FROM pointsys.filing_mismatches'),
	'b1|2024|1|verified', 'edited: filing_mismatches lists the quarter');
is($bureau->safe_psql('edited', q{
	SELECT v.matches, d->'key'->>'member_id', d->'key'->>'month', d->'key'->>'item', d->'current'->>'points'
	FROM pointsys.verify_quarter('b1', 2024, 1) v, jsonb_array_elements(v.differences) d}),
	'f|m04|2024-01-01|role|20', 'edited: verify_quarter names the row');

# ---- 4. a batch of an open transaction is not passed over ----

$bureau->safe_psql('bureau', 'SELECT pointsys.seal_audit()');
my $open = $bureau->background_psql('bureau', on_error_stop => 1);
$open->query_safe(q{BEGIN; UPDATE pointsys.score SET points = 1
	WHERE member_id = 'm04' AND month = '2025-01-01' AND item = 'role'});
my ($low) = map { $_->[0] } rows($bureau, 'bureau', q{SELECT last_value FROM pointsys.audit_log_audit_id_seq});
$bureau->safe_psql('bureau', q{UPDATE pointsys.score SET points = 2
	WHERE member_id = 'm04' AND month = '2025-02-01' AND item = 'role'});
my ($high) = map { $_->[0] } rows($bureau, 'bureau', q{SELECT max(audit_id) FROM pointsys.audit_log});
ok($high > $low, 'the committed batch has the higher id');
$bureau->safe_psql('bureau', 'SELECT pointsys.seal_audit()') for 1 .. 3;
is($bureau->safe_psql('bureau', "SELECT count(*) FROM pointsys.audit_seal WHERE audit_id >= $low"), '0',
	'while the lower batch is open, nothing from it on is sealed');
is($bureau->safe_psql('bureau', 'SELECT first_break FROM pointsys.verify_audit()'), '', 'and the chain holds');
$open->query_safe('COMMIT');
$open->quit;
$bureau->safe_psql('bureau', 'SELECT pointsys.seal_audit()') for 1 .. 2;
is($bureau->safe_psql('bureau', "SELECT count(*) FROM pointsys.audit_seal WHERE audit_id IN ($low, $high)"), '2',
	'after its commit both are sealed, in id order');
is($bureau->safe_psql('bureau', $chain), "$bureau_node|||t", 'the chain holds, every batch sealed');

# ---- 5. the cost of filing a 2 000-member branch quarter (issue 25 point 6) ----

$bureau->safe_psql('bureau', q{
	INSERT INTO pointsys.branch VALUES ('big', '大支部');
	INSERT INTO pointsys.member (member_id, name, branch_id)
	SELECT 'g' || i, '成员' || i, 'big' FROM generate_series(1, 2000) i;
	INSERT INTO pointsys.score (member_id, month, item, points)
	SELECT 'g' || i, make_date(2025, mo, 1), it.item, it.step
	FROM generate_series(1, 2000) i, generate_series(1, 3) mo, pointsys.item it;
	SELECT pointsys.advance('big', 2025, 1), pointsys.advance('big', 2025, 1);
});
$bureau->safe_psql('bureau', 'SELECT pointsys.seal_audit()') for 1 .. 2;
my $t0 = time;
$bureau->safe_psql('bureau', q{SELECT pointsys.advance('big', 2025, 1)});
my $filing_time = time - $t0;
$t0 = time;
is($bureau->safe_psql('bureau', q{SELECT matches FROM pointsys.verify_quarter('big', 2025, 1)}), 't',
	'the 2 000-member quarter verifies');
my $verify_time = time - $t0;
my ($rows) = map { $_->[0] } rows($bureau, 'bureau', q{SELECT count(*) FROM pointsys.audit});
$t0 = time;
is($bureau->safe_psql('bureau', 'SELECT first_break FROM pointsys.verify_audit()'), '', 'the chain holds');
my $chain_time = time - $t0;
diag(sprintf('filing 2 000 members x 3 months x 17 items: %.2f s; verify_quarter %.2f s; '
	  . 'verify_audit over %d audit rows: %.2f s (assertion-enabled build)', $filing_time, $verify_time,
	  $rows, $chain_time));
ok($filing_time < 5, 'filing a 2 000-member quarter takes seconds at most, even with assertions');

done_testing();
