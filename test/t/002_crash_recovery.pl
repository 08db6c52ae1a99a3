# Crash recovery.  The server is killed with SIGKILL in the middle of a bulk
# COPY and in the middle of a burst of eight concurrent recorders, once by
# killing one backend (the postmaster then resets the whole cluster) and once
# by killing the postmaster and every child at once.  After the restart:
#   - every transaction whose COMMIT returned is there, exactly (the COPY
#     batches row for row; each recorder's branch equals a replay of its
#     first c transactions, c being the commits it saw return, or c + 1: the
#     COMMIT in flight when the server died may have made it);
#   - nothing uncommitted is (not one row of the COPY in flight, although a
#     checkpoint wrote its pages to disk before the kill);
#   - the invariants of test/data/invariants.sql hold: the audit trail
#     replays to the ledger one to one, no write landed in a closed quarter,
#     and pointsys.annual_results equals a plain-SQL recomputation;
#   - the server log shows that it went through crash recovery.
# fsync and synchronous_commit are on: PostgreSQL::Test::Cluster's init
# turns fsync off.  (A SIGKILL leaves the kernel's page cache alone, so this
# proves WAL replay and the atomicity of commits, not that fsync reaches the
# disk: that would take a power cut.)
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(usleep);
use Digest::MD5 qw(md5_hex);

my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init;
# Durable commits, as a bureau runs its server (these lines win over init's
# fsync = off); a killed backend makes the postmaster reset the cluster
# (init turns that off); no timed checkpoint during the test, so that what
# commits after the test's own CHECKPOINT comes back only through WAL replay.
# No JIT, and syncfs instead of an fsync per file before recovery: time only.
$node->append_conf('postgresql.conf', q{
fsync = on
synchronous_commit = on
full_page_writes = on
wal_level = replica
restart_after_crash = on
log_statement = ddl
checkpoint_timeout = '1h'
jit = off
recovery_init_sync_method = syncfs
});
$node->start;
is($node->safe_psql('postgres',
		q{SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings
		  WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')}),
	'fsync=on full_page_writes=on synchronous_commit=on', 'the node runs with durable commits');

my $psql = $node->installed_command('psql');
my $timeout = $PostgreSQL::Test::Utils::timeout_default;

# A new database with pointsys and a bureau made by test/data/generate.sql
sub load_bureau
{
	my ($db, @vars) = @_;
	$node->safe_psql('postgres', "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0");
	$node->safe_psql($db, 'CREATE EXTENSION pointsys');
	$node->command_ok(
		[ $psql, '-X', '-q', '-v', 'ON_ERROR_STOP=1', (map { ('-v', $_) } @vars),
		  '-d', $node->connstr($db), '-f', 'test/data/generate.sql' ],
		"$db: generated bureau loads (@vars)");
}

# A psql running a script in the background.  The script is a file, unless
# fed => 1: then Perl feeds it through stdin and can add to $s->{in} later.
my $tmp = PostgreSQL::Test::Utils::tempdir;
my $scripts = 0;

sub start_psql
{
	my ($connstr, $script, %opt) = @_;
	my $s = { in => '', out => '', err => '', fed => $opt{fed} };
	my $file = '-';
	if ($opt{fed})
	{
		$s->{in} = $script;
	}
	else
	{
		$file = "$tmp/script" . ++$scripts . '.sql';
		append_to_file($file, $script);
	}
	$s->{h} = IPC::Run::start([ $psql, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-d', $connstr, '-f', $file ],
		'<', \$s->{in}, '>', \$s->{out}, '2>', \$s->{err}, IPC::Run::timeout($timeout));
	return $s;
}

# After the crash: wait for each psql to exit (its connection is gone) and
# read all it printed; fed sessions are killed first (their unfinished input
# means nothing any more)
sub stop_psql
{
	for my $s (@_)
	{
		$s->{h}->signal('KILL') if $s->{fed};
		eval { $s->{h}->finish; 1 } or $s->{h}->kill_kill(grace => 0);
	}
}

# Pump the sessions until $done->() is true; die after $timeout seconds
sub pump_sessions_until
{
	my ($what, $done, @sessions) = @_;
	my $deadline = time + $timeout;
	until ($done->())
	{
		$_->{h}->pump_nb for @sessions;
		die "timed out waiting for $what" if time > $deadline;
		usleep(10_000);
	}
}

# The postmaster's pid, from postmaster.pid
sub postmaster_pid
{
	my ($pid) = slurp_file($node->data_dir . '/postmaster.pid') =~ /^(\d+)/;
	return $pid;
}

# Processes whose parent is $ppid (from /proc)
sub children_of
{
	my ($ppid) = @_;
	my @kids;
	opendir(my $dh, '/proc') or die "cannot read /proc: $!";
	for my $pid (grep { /^\d+$/ } readdir $dh)
	{
		open(my $fh, '<', "/proc/$pid/stat") or next;
		my $stat = <$fh> // '';
		close $fh;
		push @kids, $pid if $stat =~ /\)\s+\S+\s+(\d+)\s/ && $1 == $ppid;
	}
	closedir $dh;
	return @kids;
}

# A killed process is gone once its parent (init, for an orphan) has reaped
# it: until then its pid still holds postmaster.pid's lock
sub alive
{
	my ($pid) = @_;
	return -e "/proc/$pid";
}

# Crash the server.  'backend': SIGKILL one backend; the postmaster then
# kills every other process, reinitializes and runs crash recovery.
# 'server': SIGKILL the postmaster and all its children at once, then start
# it again.  Returns when the server accepts connections again, with the
# part of the server log written since the kill.
sub crash
{
	my ($how, $backend) = @_;
	my $log_offset = -s $node->logfile;
	if ($how eq 'backend')
	{
		note "SIGKILL of backend $backend";
		kill('KILL', $backend) or die "cannot kill backend $backend: $!";
		$node->wait_for_log(qr/all server processes terminated; reinitializing/, $log_offset);
		$node->wait_for_log(qr/database system is ready to accept connections/, $log_offset);
	}
	else
	{
		# stop the postmaster first, so that it forks no new child while its
		# children are listed, and does not start a reset of its own
		my $pm = postmaster_pid();
		kill('STOP', $pm) or die "cannot stop the postmaster $pm: $!";
		my @kids = children_of($pm);
		note "SIGKILL of the postmaster $pm and its children @kids";
		$node->kill9;
		kill('KILL', @kids);
		my $deadline = time + $timeout;
		while (my @left = grep { alive($_) } $pm, @kids)
		{
			die "the killed server processes @left are not reaped (no init process reaping orphans?)"
			  if time > $deadline;
			usleep(10_000);
		}
		$node->start;
	}
	return slurp_file($node->logfile, $log_offset);
}

sub check_recovery_log
{
	my ($db, $how, $log) = @_;
	if ($how eq 'backend')
	{
		like($log, qr/was terminated by signal 9: Killed/, "$db: the log shows the backend killed");
		like($log, qr/all server processes terminated; reinitializing/,
			"$db: the log shows the postmaster reinitializing");
	}
	like($log, qr/database system was interrupted; last known up at/,
		"$db: the log shows an interrupted system");
	like($log, qr/not properly shut down; automatic recovery in progress/,
		"$db: the log shows automatic recovery");
	like($log, qr/redo starts at/, "$db: the log shows WAL redo");
}

# Rows (text lines) equal a list, in any order; a failure shows a few of the
# rows that differ rather than thousands
sub same_rows
{
	my ($got, $expected, $name) = @_;
	my %n;
	$n{$_}++ for split /\n/, $got;
	$n{$_}-- for @$expected;
	my @diff = sort grep { $n{$_} } keys %n;
	ok(!@diff, $name) and return;
	diag(($n{$_} > 0 ? 'not expected: ' : 'missing: '), $_) for @diff[ 0 .. ($#diff < 9 ? $#diff : 9) ];
	diag scalar(@diff), ' rows differ';
}

# The invariants of test/data/invariants.sql, all 0; and reports to check
sub check_invariants
{
	my ($db) = @_;
	$node->command_ok(
		[ $psql, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr($db),
		  '-f', 'test/data/invariants.sql' ],
		"$db: invariants.sql installs");
	my @rows = split /\n/, $node->safe_psql($db,
		'SELECT invariant, violations, example FROM pointsys_check.violations() ORDER BY invariant');
	is(scalar @rows, 8, "$db: the eight invariants are checked");
	for (@rows)
	{
		my ($inv, $n, $example) = split /\|/, $_, 3;
		is($n, 0, "$db: invariant $inv holds" . ($n ? " (e.g. $example)" : ''));
	}
	cmp_ok($node->safe_psql($db, 'SELECT count(*) FROM pointsys.annual_results'), '>', 0,
		"$db: annual_results is not empty");
}

# --- A: a bulk COPY in flight ------------------------------------------------
# A 300-member city's year of scores.  One session COPYs months 7 to 12 in
# one big transaction that never ends: a third of it is in, a checkpoint
# writes its pages to disk, and while a second third goes in, another
# session COPYs months 1 to 6 in one committed transaction each (after the
# checkpoint: they come back only through WAL replay).  Then the crash.
sub copy_scenario
{
	my ($db, $how) = @_;
	load_bureau($db, 'members=300', 'years=1', 'scores=none');
	my %batch;
	for (split /\n/, $node->safe_psql($db, q{COPY (SELECT member_id, month, item, points
		FROM pointsys_generated_scores ORDER BY month, member_id, item) TO STDOUT}))
	{
		my ($m) = /\t2024-(\d\d)-01\t/ or die "unexpected generated row: $_";
		my $k = $m <= 6 ? $m + 0 : 7;
		push @{ $batch{$k} }, "$_\tbatch $k";
	}
	my @big = @{ $batch{7} };
	my $third = int(@big / 3);
	my $copy = "BEGIN;\nCOPY pointsys.score (member_id, month, item, points, note) FROM STDIN;\n";

	my $s_big = start_psql($node->connstr($db),
		"SELECT 'pid ' || pg_backend_pid();\n" . $copy . join("\n", @big[ 0 .. $third - 1 ]) . "\n", fed => 1);
	pump_sessions_until('the big COPY to start', sub { $s_big->{out} =~ /^pid \d+$/m }, $s_big);
	my ($pid) = $s_big->{out} =~ /^pid (\d+)$/m;
	my $progress = sub {
		$node->safe_psql('postgres',
			"SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy WHERE pid = $pid");
	};
	pump_sessions_until('the big COPY to take its first rows', sub { $progress->() >= $third / 2 }, $s_big);
	$node->safe_psql('postgres', 'CHECKPOINT');

	my $s_batches = start_psql($node->connstr($db),
		join('', map { $copy . join("\n", @{ $batch{$_} }) . "\n\\.\nCOMMIT;\n\\echo committed $_\n" } 1 .. 6));
	$s_big->{in} .= join("\n", @big[ $third .. 2 * $third - 1 ]) . "\n";
	pump_sessions_until('batch 6 to commit and the big COPY to take its second third',
		sub { $s_batches->{out} =~ /^committed 6$/m && $progress->() >= $third * 1.5 },
		$s_big, $s_batches);
	my $processed = $progress->();
	note "the COPY in flight has processed $processed rows";

	my $log = crash($how, $pid);
	stop_psql($s_big, $s_batches);
	my @committed = $s_batches->{out} =~ /^committed (\d+)$/mg;
	is("@committed", '1 2 3 4 5 6', "$db: psql saw batches 1 to 6 commit");
	check_recovery_log($db, $how, $log);
	my ($from, $to) = map { my ($hi, $lo) = split m{/}; hex($hi) * 2**32 + hex($lo) }
	  $log =~ m{redo starts at (\S+).*redo done at (\S+)}s;
	cmp_ok($to - $from, '>', 1_000_000, "$db: the committed batches come back through WAL replay")
	  or diag 'redo: ', join(' ', $log =~ m{redo (?:starts|done) at \S+}g);

	is($node->safe_psql($db, 'SELECT note, count(*) FROM pointsys.score GROUP BY note ORDER BY note'),
		join("\n", map { "batch $_|" . scalar @{ $batch{$_} } } 1 .. 6),
		"$db: every committed batch is there in full, nothing of the COPY in flight");
	same_rows($node->safe_psql($db, q{COPY (SELECT member_id, month, item, points, note
			FROM pointsys.score) TO STDOUT}),
		[ map { @{ $batch{$_} } } 1 .. 6 ],
		"$db: the committed rows are there exactly as sent");
	is($node->safe_psql($db, q{SELECT count(*) FROM pointsys.audit WHERE table_name = 'score'}),
		scalar(map { @{ $batch{$_} } } 1 .. 6), "$db: one audit row per committed score row");

	# the ledger takes the rest after the crash
	my ($rc, $out, $err) = $node->psql($db, $copy . join("\n", @big) . "\n\\.\nCOMMIT;\n");
	is($rc, 0, "$db: the COPY of months 7 to 12 goes through after recovery") or diag $err;
	is($node->safe_psql($db, 'SELECT count(*) FROM pointsys.score'),
		scalar(map { @{ $batch{$_} } } 1 .. 7), "$db: the whole year is there");
	check_invariants($db);
}

# --- B: a burst of concurrent recorders ----------------------------------------
# Eight recorders, one per branch, each running a long script of small
# transactions against its own branch: score updates, deletes and inserts
# (the note says which session and transaction wrote it), award inserts and
# deletes (the description says which), and now and then a quarter advanced,
# after which every transaction tries to write to a closed quarter and must
# be refused with 55000.  Each transaction's effect on the branch is
# modelled in Perl, so that the branch after the crash can be compared with
# the replay of the transactions its recorder saw commit.
my $sessions = 8;
my $script_txns = 3000;    # more than can run before the kill
my $kill_after = 60;       # commits every recorder must have seen
my %advance_at = (10 => 1, 20 => 1, 30 => 2);    # txn (+ session) => quarter to advance

sub quarter_of { my ($month) = @_; return int((substr($month, 5, 2) - 1) / 3) + 1; }

sub burst_scenario
{
	my ($db, $how) = @_;
	load_bureau($db, 'members=160', 'branches=8', 'years=1');
	for my $s (1 .. $sessions)
	{
		$node->safe_psql($db, qq{
			DO \$\$BEGIN
				IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'regress_rec$s') THEN
					CREATE ROLE regress_rec$s LOGIN;
				END IF;
			END\$\$;
			GRANT pointsys_recorder TO regress_rec$s;
			INSERT INTO pointsys.recorder VALUES ('g$s', 'regress_rec$s', '2024-01-01');
		});
	}

	my %max_points = split /[|\n]/, $node->safe_psql($db, 'SELECT item, max_points FROM pointsys.item');
	my @items = sort keys %max_points;
	my %members;
	for (split /\n/, $node->safe_psql($db, 'SELECT branch_id, member_id FROM pointsys.member'))
	{
		my ($b, $m) = split /\|/;
		push @{ $members{$b} }, $m;
	}
	my %base;    # branch => { "score|member|month|item" => "points|note" }
	for (split /\n/, $node->safe_psql($db, q{SELECT m.branch_id, s.member_id, s.month, s.item, s.points,
			coalesce(s.note, '') FROM pointsys.score s JOIN pointsys.member m USING (member_id)}))
	{
		my ($b, $m, $mo, $i, $p, $n) = split /\|/, $_, -1;
		$base{$b}{"score|$m|$mo|$i"} = "$p|$n";
	}
	my $base_awards = $node->safe_psql($db, 'SELECT count(*) FROM pointsys.award');
	my @months = map { sprintf('2024-%02d-01', $_) } 1 .. 12;

	# Each session's script, and each transaction's effects on its branch
	my (@script, @effects);
	for my $s (1 .. $sessions)
	{
		srand(1000 + $s);
		my $b = "g$s";
		my %state = %{ $base{$b} };
		my %closed;
		my @awards;
		my $sql = "SET pointsys.reason = 'burst';\n";
		for my $j (1 .. $script_txns)
		{
			my @eff;
			my $txn = '';
			if (my $q = $advance_at{ $j - $s })
			{
				$closed{$q} = 1;
				my $status = ($state{"period|$q"} // 'recording') eq 'recording' ? 'approved' : 'publicized';
				$txn .= "SELECT pointsys.advance('$b', 2024, $q);\n";
				push @eff, [ "period|$q", $status ];
				$state{"period|$q"} = $status;
			}
			else
			{
				my @open = grep { !$closed{ quarter_of($_) } } @months;
				for (1 .. 1 + int(rand(3)))
				{
					my $m = $members{$b}[ rand @{ $members{$b} } ];
					my $mo = $open[ rand @open ];
					my $i = $items[ rand @items ];
					my $key = "score|$m|$mo|$i";
					my $where = "member_id = '$m' AND month = '$mo' AND item = '$i'";
					my $p = int(rand(2 * $max_points{$i} + 1)) / 2;
					if (!exists $state{$key})
					{
						$txn .= "INSERT INTO pointsys.score (member_id, month, item, points, note)"
						  . " VALUES ('$m', '$mo', '$i', $p, 's$s.$j');\n";
						push @eff, [ $key, "$p|s$s.$j" ];
					}
					elsif (rand() < 0.7)
					{
						$txn .= "UPDATE pointsys.score SET points = $p, note = 's$s.$j' WHERE $where;\n";
						push @eff, [ $key, "$p|s$s.$j" ];
					}
					else
					{
						$txn .= "DELETE FROM pointsys.score WHERE $where;\n";
						push @eff, [ $key, undef ];
					}
					$state{$key} = $eff[-1][1];
					delete $state{$key} unless defined $state{$key};
				}
				my @open_awards = grep { !$closed{ quarter_of((split /\|/, $state{$_})[1]) } }
				  grep { exists $state{$_} } @awards;
				if (rand() < 0.15 && @open_awards)
				{
					my $key = $open_awards[ rand @open_awards ];
					my ($desc) = $key =~ /^award\|(.*)/;
					$txn .= "DELETE FROM pointsys.award WHERE description = '$desc';\n";
					push @eff, [ $key, undef ];
					delete $state{$key};
				}
				elsif (rand() < 0.25)
				{
					my $m = $members{$b}[ rand @{ $members{$b} } ];
					my $mo = $open[ rand @open ];
					my $kind = (qw(county above_county major_contribution))[ rand 3 ];
					my $key = "award|s$s.$j";
					$txn .= "INSERT INTO pointsys.award (member_id, month, kind, description)"
					  . " VALUES ('$m', '$mo', '$kind', 's$s.$j');\n";
					push @eff, [ $key, "$m|$mo|$kind" ];
					push @awards, $key;
					$state{$key} = "$m|$mo|$kind";
				}
			}
			# a write to a closed quarter, which must be refused (a score of
			# it that exists: the update or delete reaches the trigger)
			if (%closed)
			{
				my $m = $members{$b}[ rand @{ $members{$b} } ];
				my @cm = grep { $closed{ quarter_of($_) } } @months;
				my ($key, $mo, $i);
				for (1 .. 100)
				{
					($mo, $i) = ($cm[ rand @cm ], $items[ rand @items ]);
					$key = "score|$m|$mo|$i";
					last if exists $state{$key};
				}
				die "no frozen score found for $b" unless exists $state{$key};
				my $where = "member_id = '$m' AND month = '$mo' AND item = '$i'";
				my $write = rand() < 0.5 ? "UPDATE pointsys.score SET points = 0 WHERE $where"
				  : "DELETE FROM pointsys.score WHERE $where";
				$txn .= "DO \$\$BEGIN $write; RAISE EXCEPTION 'write to a closed quarter accepted: $key';"
				  . " EXCEPTION WHEN SQLSTATE '55000' THEN RAISE NOTICE 'refused %', SQLERRM; END\$\$;\n";
			}
			$sql .= "BEGIN;\n$txn" . "COMMIT;\n\\echo c $j\n";
			push @{ $effects[$s] }, \@eff;
		}
		$script[$s] = $sql . "\\echo done\n";
	}

	# the burst
	my @s = map { start_psql($node->connstr($db) . " user=regress_rec$_", $script[$_]) } 1 .. $sessions;
	my $commits = sub { my ($x) = @_; my @c = $x->{out} =~ /^c (\d+)$/mg; return scalar @c; };
	pump_sessions_until("every recorder to commit $kill_after transactions",
		sub {
			for (@s)
			{
				die "a recorder stopped early:\n$_->{err}" unless $_->{h}->pumpable;
			}
			!grep { $commits->($_) < $kill_after } @s;
		},
		@s);
	my ($victim) = split /\n/, $node->safe_psql($db,
		q{SELECT pid FROM pg_stat_activity WHERE usename = 'regress_rec3'});
	my $log = crash($how, $victim);
	stop_psql(@s);
	check_recovery_log($db, $how, $log);

	my ($extra, $total_commits, $refused) = (0, 0, 0);
	for my $k (1 .. $sessions)
	{
		my $x = $s[ $k - 1 ];
		my @c = $x->{out} =~ /^c (\d+)$/mg;
		my $c = scalar @c;
		$total_commits += $c;
		is("@c", join(' ', 1 .. $c), "recorder $k saw its commits in order ($c)");
		# every transaction from its first advance on tried a closed quarter
		my $n = () = $x->{err} =~ /NOTICE:  refused /g;
		my $tried = $c - ((sort { $a <=> $b } keys %advance_at)[0] + $k) + 1;
		ok($n == $tried || $n == $tried + 1,
			"recorder $k: each write to a closed quarter was refused with 55000"
			  . " ($n refusals, $tried transactions tried)");
		$refused += $n;
		unlike($x->{out}, qr/^done$/m, "recorder $k was still running when the server died");
		unlike($x->{err}, qr/ERROR:/, "recorder $k had no error before the crash");

		# the branch as it is now
		my $b = "g$k";
		my @now = split /\n/, $node->safe_psql($db, qq{
			SELECT 'score|' || s.member_id || '|' || s.month || '|' || s.item
				   || '=' || s.points || '|' || coalesce(s.note, '')
			FROM pointsys.score s JOIN pointsys.member m USING (member_id) WHERE m.branch_id = '$b'
			UNION ALL
			SELECT 'award|' || a.description || '=' || a.member_id || '|' || a.month || '|' || a.kind
			FROM pointsys.award a JOIN pointsys.member m USING (member_id)
			WHERE m.branch_id = '$b' AND a.description IS NOT NULL
			UNION ALL
			SELECT 'period|' || quarter || '=' || status
			FROM pointsys.period WHERE branch_id = '$b' AND year = 2024});
		my $now = join("\n", sort @now);

		# the replays of its first 0, 1, ... $c + 1 transactions (digests;
		# and the replay of $c, to show a difference)
		my %state = %{ $base{$b} };
		my $snapshot = sub { join("\n", sort map { "$_=$state{$_}" } keys %state) };
		my $at_c = $snapshot->();
		my @replay = (md5_hex($at_c));
		for my $j (1 .. $c + 1)
		{
			for (@{ $effects[$k][ $j - 1 ] })
			{
				if (defined $_->[1]) { $state{ $_->[0] } = $_->[1]; }
				else { delete $state{ $_->[0] }; }
			}
			my $snap = $snapshot->();
			push @replay, md5_hex($snap);
			$at_c = $snap if $j == $c;
		}
		my $digest = md5_hex($now);
		if ($digest eq $replay[$c])
		{
			pass("recorder $k: its branch is the replay of the $c transactions it saw commit");
		}
		elsif ($digest eq $replay[ $c + 1 ])
		{
			pass("recorder $k: its branch is the replay of the $c transactions it saw commit"
				  . ' and of the one in flight');
			$extra++;
		}
		else
		{
			fail("recorder $k: its branch is the replay of the $c transactions it saw commit");
			my %n = map { $_ => 1 } @now;
			my %r = map { $_ => 1 } split /\n/, $at_c;
			my @db_only = grep { !$r{$_} } sort keys %n;
			my @replay_only = grep { !$n{$_} } sort keys %r;
			diag "in the database only: $_" for @db_only[ 0 .. ($#db_only < 9 ? $#db_only : 9) ];
			diag "in the replay only: $_"
			  for @replay_only[ 0 .. ($#replay_only < 9 ? $#replay_only : 9) ];
			diag scalar(@db_only), ' rows in the database only, ',
			  scalar(@replay_only), ' in the replay only';
			my ($prefix) = grep { $replay[$_] eq $digest } 0 .. $c;
			diag defined $prefix ? "the branch is the replay of its first $prefix transactions only"
			  : 'the branch is the replay of no prefix of its transactions';
			diag "recorder $k printed:\n", substr($x->{out}, -100),
			  "\nand on stderr:\n", substr($x->{err}, -400);
		}
	}
	note "$total_commits commits seen, $extra in flight made it, $refused closed-quarter writes refused";
	is($node->safe_psql($db, 'SELECT count(*) FROM pointsys.award WHERE description IS NULL'),
		$base_awards, "$db: the generated awards are untouched");
	check_invariants($db);
}

copy_scenario('copy_backend', 'backend');
copy_scenario('copy_server', 'server');
burst_scenario('burst_server', 'server');
burst_scenario('burst_backend', 'backend');

$node->stop;
done_testing();
