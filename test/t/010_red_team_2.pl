# Red team, second round (issue 22): transfers, mentoring, free text, audit
# stamps, locks and casts, tried as insiders with real logins: a recorder of
# branch b1 (regress_red_rec), an admin (regress_red_admin, and through SET
# ROLE regress_red_admin2), a reader (regress_red_reader) and a login with
# no pointsys grants (regress_red_nobody).  It proves:
#   1. membership history holds for every statement shape: a multi-row
#      INSERT, an UPDATE of several rows, a DELETE of several rows, an
#      upsert, a MERGE, a writable CTE, each in two row orders, that would
#      move a month with scores out of a verified quarter of b1 (or into a
#      verified quarter of b3) is refused with 55000 and writes nothing;
#      the same shapes within recording quarters are accepted;
#   2. mentoring refusals tell a recorder nothing she may not read: another
#      branch's (or no) member named as mentor is one uniform 42501; her own
#      member-year not 不合格, a 不合格 mentor and a full mentor are refused
#      without grade, date or other branches' count; the admin still gets the
#      details;
#   3. free text is bounded: 500 characters for notes and descriptions, 100
#      for names and titles (22001, naming the limit; nothing written, no
#      audit row), the limit itself accepted, a 10 MB note refused quickly;
#   4. every audit row of a transfer (the rows pointsys's triggers write
#      included) names the session user and the role in effect;
#   5. no login can hold pointsys's mentoring lock, and a recorder's refused
#      mentor assignment holds no lock on another branch's member;
#   6. casting to grade, binary COPY of grades and the I/O functions of
#      every pointsys base type work for every login (never 42501, never a
#      crash), and each I/O function is executable by PUBLIC.
# Against release 1.4 most of these fail: that is what they are for.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use FindBin;
use lib $FindBin::RealBin;
use PointsysTest;
use Time::HiRes qw(time);

my $node = red_team_node('red_team_2');

my $db = 'bureau';
create_bureau($node, $db);

my ($rec, $admin, $admin2, $reader, $nobody) =
  qw(regress_red_rec regress_red_admin regress_red_admin2 regress_red_reader regress_red_nobody);
my $superuser = $node->safe_psql('postgres', 'SELECT current_user');
$node->safe_psql($db, qq{
	CREATE ROLE $rec LOGIN;
	CREATE ROLE $admin LOGIN;
	CREATE ROLE $admin2 NOLOGIN;
	CREATE ROLE $reader LOGIN;
	CREATE ROLE $nobody LOGIN;
	GRANT pointsys_recorder TO $rec;
	GRANT pointsys_admin TO $admin, $admin2;
	GRANT $admin2 TO $admin;
	GRANT pointsys_reader TO $reader;
	INSERT INTO pointsys.recorder VALUES ('b1', '$rec', '2024-01-01');
});

# --- helpers -------------------------------------------------------------------

# Run $sql as $user in the bureau; (rc, stdout, stderr) (PointsysTest.pm)
sub run_as
{
	return psql_as($node, $db, @_);
}

# The first error of $sql run as $user, stopping at it: (sqlstate, message,
# detail, hint, context, stdout)
sub sqlstate_of
{
	my ($user, $sql) = @_;
	my ($rc, $out, $err) = run_as($user, $sql, 1);
	return (first_error($rc, $err), $out);
}

sub wait_up
{
	server_up($node);
}

sub audit_count
{
	wait_up();
	return $node->safe_psql($db, 'SELECT count(*) FROM pointsys.audit');
}

sub crashes_since
{
	return log_crashes($node, @_);
}

my $log_start = -s $node->logfile;

# --- fixtures ----------------------------------------------------------------------
# m07 (b1): b2 from May 2024 (two rows, May and June); m10 (b1) the same a
# year later; m16 and m19 (b1): b3 at first, b1 again from November of 2023
# (m16) or 2024 (m19), in two rows.  Then b1's and b3's 2024-Q1 are
# verified; every other quarter records.  m41 (b2) joins on 2025-03-01.
$node->safe_psql($db, q{
	INSERT INTO pointsys.setting VALUES ('publicity_days', 0);
	INSERT INTO pointsys.membership VALUES ('m07', 'b2', '2024-05-01'), ('m07', 'b2', '2024-06-01');
	INSERT INTO pointsys.membership VALUES ('m10', 'b2', '2025-05-01'), ('m10', 'b2', '2025-06-01');
	INSERT INTO pointsys.membership VALUES ('m16', 'b1', '2023-11-01'), ('m16', 'b1', '2023-12-01');
	UPDATE pointsys.membership SET branch_id = 'b3' WHERE member_id = 'm16' AND since = '1921-07-01';
	INSERT INTO pointsys.membership VALUES ('m19', 'b1', '2024-11-01'), ('m19', 'b1', '2024-12-01');
	UPDATE pointsys.membership SET branch_id = 'b3' WHERE member_id = 'm19' AND since = '1921-07-01';
	SELECT pointsys.advance(b, 2024, 1) FROM (VALUES ('b1'), ('b3')) v(b), generate_series(1, 4);
	INSERT INTO pointsys.member (member_id, name, branch_id, joined_on) VALUES ('m41', '晚入', 'b2', '2025-03-01');
	INSERT INTO pointsys.item (item, category, title, max_points, step) VALUES ('red_item', 'study', '红队', 3, 0.5);
});
is($node->safe_psql($db, q{SELECT string_agg(branch_id || ':' || status, ' ' ORDER BY branch_id)
						   FROM pointsys.period WHERE year = 2024 AND quarter = 1}),
	'b1:verified b3:verified', 'fixture: 2024-Q1 of b1 and b3 verified');

# ====================================================================================
# 1. membership history holds for any statement shape
# ====================================================================================
# The state of a member's history, as the admin sees it: its rows,
# member.branch_id, the branch of every month of 2024 and 2025, the audit
# trail's length
sub history_sql
{
	my ($m) = @_;
	return qq{SELECT 'state', (SELECT string_agg(branch_id || '\@' || since, ' ' ORDER BY since)
				 FROM pointsys.membership WHERE member_id = '$m'),
			(SELECT branch_id FROM pointsys.member WHERE member_id = '$m'),
			(SELECT string_agg(pointsys.branch_of('$m', make_date(y, mo, 1)), ',' ORDER BY y, mo)
			 FROM generate_series(2024, 2025) y, generate_series(1, 12) mo),
			(SELECT count(*) FROM pointsys.audit);};
}

# Statement shapes.  __M__ the member, __Y0__ the year before, __Y1__ the
# year of the months that move, __B__ the branch they move to.  Each moves
# January of __Y1__ (which has scores) from the member's branch to __B__.
my @shapes = (
	[ 'multi-row INSERT',
	  q{INSERT INTO pointsys.membership VALUES ('__M__', '__B__', '__Y0__-12-01'), ('__M__', '__B__', '__Y1__-01-01')},
	  q{INSERT INTO pointsys.membership VALUES ('__M__', '__B__', '__Y1__-01-01'), ('__M__', '__B__', '__Y0__-12-01')} ],
	[ 'UPDATE of two rows',
	  q{UPDATE pointsys.membership SET since = (since - interval '5 months')::date
		WHERE member_id = '__M__' AND since IN ('__Y1__-05-01', '__Y1__-06-01')},
	  q{UPDATE pointsys.membership m SET since = v.new FROM (VALUES ('__Y1__-06-01'::date, '__Y1__-01-01'::date),
		('__Y1__-05-01', '__Y0__-12-01')) v(old, new) WHERE m.member_id = '__M__' AND m.since = v.old} ],
	[ 'upsert (INSERT ... ON CONFLICT DO UPDATE)',
	  q{INSERT INTO pointsys.membership VALUES ('__M__', '__B__', '__Y0__-12-01'), ('__M__', '__B__', '__Y1__-01-01'),
		('__M__', '__B__', '__Y1__-05-01') ON CONFLICT ON CONSTRAINT membership_pkey DO UPDATE SET branch_id = EXCLUDED.branch_id},
	  q{INSERT INTO pointsys.membership VALUES ('__M__', '__B__', '__Y1__-05-01'), ('__M__', '__B__', '__Y1__-01-01'),
		('__M__', '__B__', '__Y0__-12-01') ON CONFLICT ON CONSTRAINT membership_pkey DO UPDATE SET branch_id = EXCLUDED.branch_id} ],
	[ 'MERGE inserting two rows',
	  q{MERGE INTO pointsys.membership t USING (VALUES ('__M__', '__B__', '__Y0__-12-01'::date), ('__M__', '__B__', '__Y1__-01-01'::date))
		s(member_id, branch_id, since) ON t.member_id = s.member_id AND t.since = s.since
		WHEN MATCHED THEN UPDATE SET branch_id = s.branch_id
		WHEN NOT MATCHED THEN INSERT (member_id, branch_id, since) VALUES (s.member_id, s.branch_id, s.since)},
	  q{MERGE INTO pointsys.membership t USING (VALUES ('__M__', '__B__', '__Y1__-01-01'::date), ('__M__', '__B__', '__Y0__-12-01'::date))
		s(member_id, branch_id, since) ON t.member_id = s.member_id AND t.since = s.since
		WHEN MATCHED THEN UPDATE SET branch_id = s.branch_id
		WHEN NOT MATCHED THEN INSERT (member_id, branch_id, since) VALUES (s.member_id, s.branch_id, s.since)} ],
	[ 'MERGE updating two rows',
	  q{MERGE INTO pointsys.membership t USING (VALUES ('__Y1__-05-01'::date, '__Y0__-12-01'::date), ('__Y1__-06-01', '__Y1__-01-01'))
		s(old, new) ON t.member_id = '__M__' AND t.since = s.old WHEN MATCHED THEN UPDATE SET since = s.new},
	  q{MERGE INTO pointsys.membership t USING (VALUES ('__Y1__-06-01'::date, '__Y1__-01-01'::date), ('__Y1__-05-01', '__Y0__-12-01'))
		s(old, new) ON t.member_id = '__M__' AND t.since = s.old WHEN MATCHED THEN UPDATE SET since = s.new} ],
	[ 'writable CTE (DELETE, then INSERT of two rows)',
	  q{WITH d AS (DELETE FROM pointsys.membership WHERE member_id = '__M__' AND since = '__Y1__-06-01' RETURNING member_id)
		INSERT INTO pointsys.membership SELECT d.member_id, '__B__', v.since FROM d, (VALUES ('__Y0__-12-01'::date), ('__Y1__-01-01')) v(since)},
	  q{WITH d AS (DELETE FROM pointsys.membership WHERE member_id = '__M__' AND since = '__Y1__-06-01' RETURNING member_id)
		INSERT INTO pointsys.membership SELECT d.member_id, '__B__', v.since FROM d, (VALUES ('__Y1__-01-01'::date), ('__Y0__-12-01')) v(since)} ],
	[ 'writable CTE (UPDATE, then INSERT)',
	  q{WITH u AS (UPDATE pointsys.membership SET since = '__Y1__-01-01' WHERE member_id = '__M__' AND since = '__Y1__-06-01' RETURNING 1)
		INSERT INTO pointsys.membership VALUES ('__M__', '__B__', '__Y0__-12-01')},
	  q{WITH i AS (INSERT INTO pointsys.membership VALUES ('__M__', '__B__', '__Y0__-12-01') RETURNING 1)
		UPDATE pointsys.membership SET since = '__Y1__-01-01' WHERE member_id = '__M__' AND since = '__Y1__-06-01'} ],
	[ 'DELETE of two rows', # m16 / m19: b3, then b1 from November in two rows
	  q{DELETE FROM pointsys.membership WHERE member_id = '__M__' AND since IN ('__Y0__-11-01', '__Y0__-12-01')},
	  q{DELETE FROM pointsys.membership m USING (VALUES ('__Y0__-12-01'::date), ('__Y0__-11-01')) v(since)
		WHERE m.member_id = '__M__' AND m.since = v.since} ],
);

# (name, member, branch moved to, year before, year, expected)
my @scenarios = (
	[ 'out of b1\'s verified 2024-Q1', 'm07', 'b2', 2023, 2024, 'refused' ],
	[ 'within recording quarters', 'm10', 'b2', 2024, 2025, 'accepted' ],
);
for my $shape (@shapes)
{
	my ($what, @orders) = @$shape;
	my @sc = @scenarios;
	if ($what =~ /^DELETE/)
	{
		@sc = ([ 'out of b1\'s verified 2024-Q1 into b3\'s', 'm16', 'b3', 2023, 2024, 'refused' ],
			   [ 'within recording quarters', 'm19', 'b3', 2024, 2025, 'accepted' ]);
	}
	elsif ($what eq 'multi-row INSERT' || $what =~ /^MERGE inserting/)
	{
		# also into a verified quarter: m02 (b2, recording) to b3 (verified)
		push @sc, [ 'into b3\'s verified 2024-Q1', 'm02', 'b3', 2023, 2024, 'refused' ],
		  [ 'into b3, within recording quarters', 'm02', 'b3', 2024, 2025, 'accepted' ];
	}
	for my $s (@sc)
	{
		my ($sname, $m, $b, $y0, $y1, $expect) = @$s;
		for my $i (0 .. $#orders)
		{
			my $order = $i == 0 ? 'rows in one order' : 'rows in the other order';
			my $stmt = $orders[$i] =~ s/__M__/$m/gr =~ s/__B__/$b/gr =~ s/__Y0__/$y0/gr =~ s/__Y1__/$y1/gr;
			my $hist = history_sql($m);
			my ($rc, $out, $err) = run_as($admin, qq{
				\\set ON_ERROR_ROLLBACK on
				BEGIN;
				$hist
				$stmt;
				$hist
				ROLLBACK;}, 0);
			my ($state, $msg) = first_error($rc, $err);
			my @st = grep { /^state\|/ } split /\n/, $out;
			my $name = "1. $what, $order, $m $sname ($admin)";
			if ($expect eq 'refused')
			{
				is($state, '55000', "$name: refused with 55000") or diag("$msg\n$stmt");
				is(scalar(@st) == 2 && $st[1] eq $st[0] ? 'unchanged' : "before: $st[0]\nafter:  " . ($st[1] // ''),
					'unchanged',
					"$name: membership rows, member.branch_id, each month's branch and the audit trail unchanged");
			}
			else
			{
				is("$state $msg", '00000 ', "$name: accepted");
				isnt($st[1] // '', $st[0] // '', "$name: the history changed");
			}
		}
	}
}

# The admin's one-row change of membership was refused already in 1.4 (a control)
{
	my ($state, $msg) = sqlstate_of($admin, q{INSERT INTO pointsys.membership VALUES ('m07', 'b2', '2024-01-01')});
	is($state, '55000', '1. one-row INSERT moving b1\'s verified 2024-Q1: 55000 (control)') or diag($msg);
}

# ====================================================================================
# 2. mentoring refusals reveal nothing the recorder may not read
# ====================================================================================
# Grades of 2024 (and 2025) as the superuser reads them; the fixture's
# moved members left out
my %grade;
for my $line (split /\n/, $node->safe_psql($db, q{
	SELECT r.member_id, r.year, coalesce(r.grade::text, 'pending'), pointsys.branch_of(r.member_id, make_date(r.year, 1, 1)),
		   pointsys.branches_between(r.member_id, make_date(r.year, 1, 1), make_date(r.year, 12, 1))::text
	FROM pointsys.annual_results r WHERE r.year IN (2024, 2025)
	  AND r.member_id NOT IN ('m07', 'm10', 'm16', 'm19', 'm41') ORDER BY 1, 2}))
{
	my ($m, $y, $g, $b, $bs) = split /\|/, $line;
	next if $bs =~ /,/;    # one branch all year
	$grade{$y}{$m} = [ $g, $b ];
}
sub members_where
{
	my ($year, $test) = @_;
	return grep { $test->($grade{$year}{$_}[0], $grade{$year}{$_}[1]) } sort keys %{ $grade{$year} };
}
my @b1_bad = members_where(2024, sub { $_[0] eq '不合格' && $_[1] eq 'b1' });
my @b1_good = members_where(2024, sub { $_[0] ne '不合格' && $_[0] ne 'pending' && $_[1] eq 'b1' });
my @o_bad = members_where(2024, sub { $_[0] eq '不合格' && $_[1] ne 'b1' });
my @o_good = members_where(2024, sub { $_[0] ne '不合格' && $_[0] ne 'pending' && $_[1] ne 'b1' });
my @b1_pending25 = members_where(2025, sub { $_[0] eq 'pending' && $_[1] eq 'b1' });
my @bad25 = members_where(2025, sub { $_[0] eq '不合格' });
my @good25 = members_where(2025, sub { $_[0] ne '不合格' && $_[0] ne 'pending' });
my @b1_good25 = members_where(2025, sub { $_[0] ne '不合格' && $_[0] ne 'pending' && $_[1] eq 'b1' });
my $mentee = (grep { $_ eq 'm13' } @b1_bad) ? 'm13' : $b1_bad[0];
@b1_bad = grep { $_ ne $mentee } @b1_bad;
my $o_bad = (grep { $_ eq 'm12' } @o_bad) ? 'm12' : $o_bad[0];
@o_bad = grep { $_ ne $o_bad } @o_bad;
note("2024: b1 不合格 $mentee @b1_bad; b1 not 不合格 @b1_good; other 不合格 $o_bad @o_bad; other not 不合格 @o_good");
BAIL_OUT('the sample bureau lacks the member-years this test needs')
  unless $mentee && @b1_bad >= 1 && @b1_good >= 4 && $o_bad && @o_bad >= 3 && @o_good >= 5
  && @b1_pending25 && @bad25 && @good25 && @b1_good25;
my ($own_good, $m_lim, $note_mentor) = @b1_good[0 .. 2];
my ($own_bad) = $b1_bad[0];
my ($o_ok, $o_full, $o_ok2, $o_ok3) = @o_good[0 .. 3];

# the mentors who are full: $m_lim has two mentees in other branches, $o_full
# one; then the limit goes down to 1
$node->safe_psql($db, qq{
	INSERT INTO pointsys.setting VALUES ('mentees_per_mentor', 2);
	INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES
		('$o_bad[0]', 2024, '$m_lim'), ('$o_bad[1]', 2024, '$m_lim'), ('$o_bad[2]', 2024, '$o_full');
	UPDATE pointsys.setting SET value = 1 WHERE name = 'mentees_per_mentor';
});

my $grade_words = qr/优秀|良好|合格|基本合格|excellent|good|qualified|pending/i;
# message, detail, hint and context in one string; PL/pgSQL's line numbers
# in the context left out (they tell nothing)
sub fields { my @f = @_; return join(' | ', map { ($_ // '') =~ s/\bline \d+/line N/gr } @f); }

# $rec names $mentor as the mentor of $member in $year, rolled back: the
# SQLSTATE and the fields of the refusal
sub try_mentor
{
	my ($member, $year, $mentor) = @_;
	my ($state, $msg, $detail, $hint, $context) = sqlstate_of($rec, qq{
		BEGIN;
		INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES ('$member', $year, '$mentor');
		ROLLBACK;});
	return ($state, fields($msg, $detail, $hint, $context));
}

# 2a. another branch's member (or none) named as her member's mentor
{
	my $audit_before = audit_count();
	my %cases = (
		"$o_bad, another branch's member graded 不合格" => $o_bad,
		"m41, another branch's member who joined in 2025" => 'm41',
		"$o_ok, another branch's member who could mentor" => $o_ok,
		"$o_full, another branch's member with a mentee already" => $o_full,
		'zz99, no such member' => 'zz99',
	);
	my %texts;
	for my $case (sort keys %cases)
	{
		my $mentor = $cases{$case};
		my ($state, $all) = try_mentor($mentee, 2024, $mentor);
		is($state, '42501', "2. $rec names $case as mentor of $mentee (hers) for 2024: 42501") or diag($all);
		my $rest = $all =~ s/\Q$mentor\E//gr =~ s/\Q$mentee\E//gr =~ s/2024//gr;
		unlike($rest, qr/$grade_words|\d/,
			"2. $rec names $case as mentor: no grade, date or count in message, detail, hint or context");
		$texts{ $all =~ s/\Q$mentor\E/<mentor>/gr } = 1;
	}
	is(scalar(keys %texts), 1, "2. $rec names another branch's member or an unknown id as mentor: one refusal, the same apart from the id")
	  or diag(join("\n", sort keys %texts));
	is(audit_count(), $audit_before, '2. these refusals write no audit row');
}

# 2b. her own member-year that is not 不合格 (graded, or pending)
for my $c ([ $own_good, 2024, $grade{2024}{$own_good}[0] ], [ $b1_pending25[0], 2025, 'pending' ])
{
	my ($m, $year, $g) = @$c;
	my $mentor = $year == 2024 ? $note_mentor : $b1_good25[0];
	my ($state, $all) = try_mentor($m, $year, $mentor);
	is($state, '55000', "2. $rec assigns a mentor to her $m for $year ($g): 55000") or diag($all);
	unlike($all =~ s/不合格|unqualified//gr, $grade_words,
		"2. $rec, her $m for $year ($g): no grade label but 不合格 in message, detail, hint or context")
	  or diag($all);
}

# 2c. her own member who is 不合格 named as mentor
{
	my ($state, $all) = try_mentor($mentee, 2024, $own_bad);
	is($state, '23514', "2. $rec names her $own_bad (不合格 in 2024) as mentor: 23514") or diag($all);
	unlike($all =~ s/不合格|unqualified//gr =~ s/\Q$own_bad\E|\Q$mentee\E|2024//gr, qr/$grade_words|\d/,
		"2. $rec names her 不合格 $own_bad as mentor: no other grade word, date or count") or diag($all);
}

# 2d. her own member who mentors two members of other branches (limit 1)
{
	my ($state, $all) = try_mentor($mentee, 2024, $m_lim);
	is($state, '23514', "2. $rec names her $m_lim (two mentees in other branches, limit 1) as mentor: 23514") or diag($all);
	my $rest = $all =~ s/\Q$m_lim\E|\Q$mentee\E|2024//gr;
	unlike($rest, qr/[02-9]|\d\d/, "2. $rec names the full $m_lim: the count of other branches' assignments (2) is not told")
	  or diag($all);
	unlike($all, qr/$o_bad[0]|$o_bad[1]/, "2. $rec names the full $m_lim: the other branches' mentees are not named");
}

# 2e. the admin still gets the details
{
	my ($state, $msg, $detail, $hint) = sqlstate_of($admin, qq{
		INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES ('$own_good', 2024, '$note_mentor')});
	my $g = $grade{2024}{$own_good}[0];
	like(fields($msg, $detail, $hint), qr/\Q$g\E/, "2. $admin: a member-year not 不合格 is refused with its grade ($g)");
	($state, $msg, $detail, $hint) = sqlstate_of($admin, qq{
		INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES ('$mentee', 2024, 'm41')});
	like(fields($msg, $detail, $hint), qr/2025-03-01|03-01-2025/, "2. $admin: a mentor not a member that year is refused with the date he joined");
	($state, $msg, $detail, $hint) = sqlstate_of($admin, qq{
		INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES ('$mentee', 2024, '$m_lim')});
	like(fields($msg, $detail, $hint), qr/\b2\b/, "2. $admin: a full mentor is refused with his count of mentees (2)");
}

# ====================================================================================
# 5. locks no other role can take or hold (before 3 and 4 change the ledger)
# ====================================================================================
{
	my $mentor25 = (grep { $_ eq 'm03' } @good25) ? 'm03' : $good25[0];
	my $mentee25 = (grep { $_ ne $mentor25 } @bad25)[0];
	for my $holder ($nobody, $reader)
	{
		my $session = $node->background_psql($db, on_error_stop => 0, timeout => 120,
			extra_params => [ '-U', $holder ]);
		$session->query(q{SET idle_in_transaction_session_timeout = 0});
		$session->query(qq{BEGIN; SELECT pg_advisory_xact_lock(hashtext('pointsys.mentoring'), hashtext('$mentor25/2025'))});
		my ($state, $msg) = sqlstate_of($admin, qq{
			SET lock_timeout = '2s';
			BEGIN;
			INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES ('$mentee25', 2025, '$mentor25');
			ROLLBACK;});
		is("$state $msg", '00000 ',
			"5a. $holder holds pg_advisory_xact_lock(hashtext('pointsys.mentoring'), hashtext('$mentor25/2025')): the admin's assignment of $mentor25 for 2025 does not wait");
		$session->query('ROLLBACK');
		$session->quit;
	}

	my $this_month = q{date_trunc('month', current_date)::date};
	for my $v ([ 'in a failed transaction', $o_ok2, '' ],
			   [ 'after ROLLBACK TO SAVEPOINT', $o_ok3, 'SAVEPOINT s;' ])
	{
		my ($how, $y, $savepoint) = @$v;
		my $session = $node->background_psql($db, on_error_stop => 0, timeout => 120,
			extra_params => [ '-U', $rec, '-v', 'VERBOSITY=verbose' ]);
		$session->query(q{SET idle_in_transaction_session_timeout = 0; SET lock_timeout = '10s'});
		$session->{stderr} = '';
		my $t0 = time;
		$session->query(qq{BEGIN; $savepoint INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES ('$mentee', 2024, '$y');});
		my $took = time - $t0;
		like($session->{stderr}, qr/ERROR:\s+42501/,
			"5b. $rec names another branch's $y as mentor in an open transaction: 42501");
		cmp_ok($took, '<', 5, "5b. $rec names another branch's $y as mentor: refused at once");
		$session->query('ROLLBACK TO SAVEPOINT s') if $savepoint;
		my ($state, $msg) = sqlstate_of($admin, qq{
			SET lock_timeout = '2s';
			INSERT INTO pointsys.membership VALUES ('$y', 'b3', ($this_month - interval '1 month')::date);});
		is("$state $msg", '00000 ', "5b. while $rec\'s transaction stays open ($how): the admin transfers $y by a membership row");
		($state, $msg) = sqlstate_of($admin, qq{
			SET lock_timeout = '2s';
			UPDATE pointsys.member SET branch_id = 'b1' WHERE member_id = '$y';});
		is("$state $msg", '00000 ', "5b. while $rec\'s transaction stays open ($how): the admin transfers $y by member.branch_id");
		$session->query('ROLLBACK');
		$session->quit;
	}
}

# ====================================================================================
# 3. free text is bounded
# ====================================================================================
{
	# (column, role, limit, the write with __TEXT__ and __N__ (the length),
	# what it stores).  The limit itself first, then one more: refused, the
	# stored value as it was.
	my @texts = (
		[ 'score.note', $rec, 500,
		  q{INSERT INTO pointsys.score (member_id, month, item, points, note) VALUES ('m01', '2025-0__K__-01', 'red_item', 1, __TEXT__)},
		  q{SELECT length(note) FROM pointsys.score WHERE member_id = 'm01' AND month = '2025-0__K__-01' AND item = 'red_item'} ],
		[ 'score.note (UPDATE)', $rec, 500,
		  q{UPDATE pointsys.score SET note = __TEXT__ WHERE member_id = 'm01' AND month = '2025-01-01' AND item = 'red_item'},
		  q{SELECT length(note) FROM pointsys.score WHERE member_id = 'm01' AND month = '2025-01-01' AND item = 'red_item'} ],
		[ 'award.description', $rec, 500,
		  q{INSERT INTO pointsys.award (member_id, month, kind, description) VALUES ('m01', '2025-0__K__-01', 'county', __TEXT__)},
		  q{SELECT length(description) FROM pointsys.award WHERE member_id = 'm01' AND month = '2025-0__K__-01' AND kind = 'county'} ],
		[ 'mentoring.note', $rec, 500,
		  qq{INSERT INTO pointsys.mentoring (member_id, year, mentor_id, note) VALUES ('__MENTEE__', 2024, '__MENTOR__', __TEXT__)},
		  qq{SELECT length(note) FROM pointsys.mentoring WHERE member_id = '__MENTEE__' AND year = 2024} ],
		[ 'mentoring.note (UPDATE)', $rec, 500,
		  qq{UPDATE pointsys.mentoring SET note = __TEXT__ WHERE member_id = '$own_bad' AND year = 2024},
		  qq{SELECT length(note) FROM pointsys.mentoring WHERE member_id = '$own_bad' AND year = 2024} ],
		[ 'sanction.note', $admin, 500,
		  q{INSERT INTO pointsys.sanction (member_id, kind, effective_on, note) VALUES ('m01', 'warning', '2026-0__K__-01', __TEXT__)},
		  q{SELECT length(note) FROM pointsys.sanction WHERE member_id = 'm01' AND effective_on = '2026-0__K__-01'} ],
		[ 'branch.name', $admin, 100,
		  q{INSERT INTO pointsys.branch VALUES ('bx__N__', __TEXT__)},
		  q{SELECT length(name) FROM pointsys.branch WHERE branch_id = 'bx__N__'} ],
		[ 'member.name', $admin, 100,
		  q{INSERT INTO pointsys.member (member_id, name, branch_id) VALUES ('mx__N__', __TEXT__, 'b1')},
		  q{SELECT length(name) FROM pointsys.member WHERE member_id = 'mx__N__'} ],
		[ 'category.title', $admin, 100,
		  q{UPDATE pointsys.category SET title = __TEXT__ WHERE category = 'study'},
		  q{SELECT length(title) FROM pointsys.category WHERE category = 'study'} ],
		[ 'item.title', $admin, 100,
		  q{UPDATE pointsys.item SET title = __TEXT__ WHERE item = 'study_notes'},
		  q{SELECT length(title) FROM pointsys.item WHERE item = 'study_notes'} ],
		[ 'award_kind.title', $admin, 100,
		  q{UPDATE pointsys.award_kind SET title = __TEXT__ WHERE kind = 'county'},
		  q{SELECT length(title) FROM pointsys.award_kind WHERE kind = 'county'} ],
	);
	for my $t (@texts)
	{
		my ($what, $role, $limit, $write, $stored) = @$t;
		for my $n ($limit, $limit + 1)
		{
			# the limit: month 1, member-year of $own_bad; one more: month 2,
			# member-year of $b1_good[3] (nothing to collide with)
			my %v = (__K__ => $n - $limit + 1, __N__ => $n,
					 __MENTEE__ => $n == $limit ? $own_bad : $b1_bad[1] // $mentee,
					 __MENTOR__ => $n == $limit ? $note_mentor : $b1_good[3]);
			my ($w, $s) = ($write, $stored);
			for my $k (keys %v)
			{
				$w =~ s/$k/$v{$k}/g;
				$s =~ s/$k/$v{$k}/g;
			}
			$w =~ s/__TEXT__/repeat('党', $n)/;
			my $audit_before = audit_count();
			my $value_before = $node->safe_psql($db, $s);
			my ($state, $msg, $detail, $hint) = sqlstate_of($role, "BEGIN;\n$w;\nCOMMIT;");
			if ($n > $limit)
			{
				is($state, '22001', "3. $what of $n characters ($role): 22001") or diag("$msg\n$detail");
				like(fields($msg, $detail, $hint), qr/\b$limit\b/, "3. $what of $n characters: the message names the limit $limit")
				  or diag(fields($msg, $detail, $hint));
				is($node->safe_psql($db, $s), $value_before, "3. $what of $n characters: nothing written");
				is(audit_count(), $audit_before, "3. $what of $n characters: no audit row");
			}
			else
			{
				is("$state $msg", '00000 ', "3. $what of exactly $n characters (repeat('党', $n), $role): accepted");
				is($node->safe_psql($db, $s), $n, "3. $what of exactly $n characters: stored whole");
			}
		}
	}

	# 10 MB
	my $audit_before = audit_count();
	my $t0 = time;
	my ($state, $msg) = sqlstate_of($rec, q{INSERT INTO pointsys.score (member_id, month, item, points, note)
											VALUES ('m01', '2025-03-01', 'red_item', 1, repeat('x', 10 * 1024 * 1024))});
	my $took = time - $t0;
	is($state, '22001', "3. a 10 MB score.note ($rec): 22001") or diag(substr($msg, 0, 300));
	cmp_ok($took, '<', 5, '3. a 10 MB score.note is refused quickly (under 5 s)');
	is($node->safe_psql($db, q{SELECT count(*) FROM pointsys.score WHERE member_id = 'm01' AND month = '2025-03-01' AND item = 'red_item'}),
		'0', '3. a 10 MB score.note: nothing written');
	is(audit_count(), $audit_before, '3. a 10 MB score.note: no audit row');
}

# ====================================================================================
# 4. audit rows credit the writer, also those pointsys's triggers write
# ====================================================================================
for my $c ([ $admin, '', 'm50', 'm51' ], [ $admin2, "SET ROLE $admin2;", 'm52', 'm53' ])
{
	my ($acting_as, $set_role, $m1, $m2) = @$c;
	my $first = $node->safe_psql($db, q{SELECT coalesce(max(audit_id), 0) FROM pointsys.audit});
	my ($state, $msg) = sqlstate_of($admin, qq{
		$set_role
		INSERT INTO pointsys.member (member_id, name, branch_id, joined_on) VALUES ('$m1', '审计一', 'b1', '2020-01-15'),
			('$m2', '审计二', 'b1', '2020-01-15');
		UPDATE pointsys.member SET branch_id = 'b2' WHERE member_id = '$m1';
		INSERT INTO pointsys.membership VALUES ('$m2', 'b3', date_trunc('month', current_date)::date);});
	is("$state $msg", '00000 ', "4. $admin ($set_role) inserts members and transfers them both ways");
	my $rows = $node->safe_psql($db, qq{
		SELECT table_name || ' ' || action || ' ' || actor || ' ' || acting_as FROM pointsys.audit
		WHERE audit_id > $first ORDER BY audit_id});
	my @rows = split /\n/, $rows;
	my @tables = map { (split ' ')[0] . ' ' . (split ' ')[1] } @rows;
	for my $need ('member INSERT', 'membership INSERT', 'member UPDATE')
	{
		ok((grep { $_ eq $need } @tables), "4. $admin ($set_role): an audit row of $need") or diag($rows);
	}
	my @wrong = grep { !/ \Q$admin\E \Q$acting_as\E$/ } @rows;
	is(join("\n", @wrong), '', "4. $admin ($set_role): every audit row has actor $admin and acting_as $acting_as (none $superuser)");
}

# ====================================================================================
# 6. casting to grade works for every role that may use the schema; the
# I/O functions are PUBLIC's
# ====================================================================================
{
	my $types = $node->safe_psql($db, q{
		SELECT t.typname, t.typinput::oid, t.typoutput::oid, t.typreceive::oid, t.typsend::oid
		FROM pg_type t
		JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid
			 AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
		JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pointsys'
		WHERE t.typtype = 'b' AND t.typcategory <> 'A' ORDER BY 1});	# (arrays are members from 17 on)
	my @types = map { [ split /\|/ ] } split /\n/, $types;
	cmp_ok(scalar(@types), '>=', 3, '6. the base types of pointsys are listed') or diag($types);

	# good text forms, as the superuser makes them
	my %good = (
		grade => '优秀',
		quarter_state => $node->safe_psql($db, q{SELECT pointsys.quarter_avg_transfn(NULL, 85.5)::text}),
		year_state => $node->safe_psql($db, q{SELECT pointsys.ledger_year(m, p, a)::text
											  FROM (VALUES ('2024-01-01'::date, 85.5, 0), ('2024-05-01', 90, 2)) v(m, p, a)}),
	);
	my @bad = ('', 'garbage', '不合格不合格', '{1,2,3}', '(' . ('9' x 400) . ')', "\xe3\x80\x80");
	my @calls;    # (name, sql, allowed error states regex)
	for my $t (@types)
	{
		my ($typname, @fn) = @$t;
		my @names = map { $_ eq '0' ? undef : $node->safe_psql($db, "SELECT '$_'::regproc::text") } @fn;
		for my $i (0 .. 3)
		{
			next unless defined $names[$i];
			is($node->safe_psql($db, "SELECT has_function_privilege('public', $fn[$i]::oid, 'EXECUTE')"),
				't', "6. PUBLIC may EXECUTE $names[$i] (I/O of $typname)");
		}
		my ($in, $out, $recv, $send) = @names;
		my $good = $good{$typname} // '';
		(my $g = $good) =~ s/'/''/g;
		push @calls, [ "$in of a good text", "SELECT $out($in('$g'::cstring))::text", undef, $good ];
		# (an empty text is a year_state: the empty state)
		push @calls, [ "$in of a bad text (" . substr($_, 0, 12) . ")", "SELECT $in('" . s/'/''/gr . "'::cstring)::text", qr/^22/ ]
		  for grep { !($typname eq 'year_state' && $_ eq '') } @bad;
		# a NULL the planner cannot fold away (a strict function of a NULL
		# constant is never called, nor its privilege checked)
		push @calls, [ "$out of NULL", "SELECT $out((SELECT NULL::pointsys.$typname)) IS NULL", undef, 't' ];
		push @calls, [ "$send of a good value", "SELECT length($send($in('$g'::cstring))) > 0", undef, 't' ] if $send;
		# a receive function takes internal, which SQL cannot make: binary
		# COPY below calls it with good and bad bytes
	}
	my $dir = PostgreSQL::Test::Utils::tempdir;
	chmod 0777, $dir;
	# a binary COPY file of one grade field holding the byte 7 (no grade)
	{
		open my $fh, '>:raw', "$dir/bad.bin" or die;
		print $fh "PGCOPY\n\xff\r\n\0", pack('N', 0), pack('N', 0), pack('n', 1), pack('N', 1), "\x07", pack('n', 0xffff);
		close $fh;
	}
	for my $login ($nobody, $rec, $reader)
	{
		my @cases = (
			[ "'优秀'::varchar::pointsys.grade", q{SELECT '优秀'::varchar::pointsys.grade}, undef, '优秀' ],
			[ "'excellent'::text::pointsys.grade", q{SELECT 'excellent'::text::pointsys.grade}, undef, '优秀' ],
			[ 'a prepared statement\'s text parameter cast to grade',
			  q{PREPARE p(text) AS SELECT $1::pointsys.grade; EXECUTE p('合格')}, undef, '合格' ],
			[ "'不合格x'::text::pointsys.grade", q{SELECT '不合格x'::text::pointsys.grade}, qr/^22P02$/ ],
			[ "pointsys.grade_out('优秀'::pointsys.grade)", q{SELECT pointsys.grade_out('优秀'::pointsys.grade)}, undef, '优秀' ],
			[ 'binary COPY of a grade column out and in',
			  qq{CREATE TEMP TABLE g (x pointsys.grade);
				 INSERT INTO g VALUES ('优秀'), ('不合格');
				 \\copy g TO '$dir/g_$login.bin' (FORMAT binary)
				 CREATE TEMP TABLE g2 (x pointsys.grade);
				 \\copy g2 FROM '$dir/g_$login.bin' (FORMAT binary)
				 SELECT string_agg(x::text, ',' ORDER BY x) FROM g2;}, undef, '不合格,优秀' ],
			[ 'binary COPY in of a bad grade byte',
			  qq{CREATE TEMP TABLE g3 (x pointsys.grade);
				 \\copy g3 FROM '$dir/bad.bin' (FORMAT binary)}, qr/^22P03$/ ],
			@calls,
		);
		for my $c (@cases)
		{
			my ($what, $sql, $errors, $result) = @$c;
			my ($state, $msg, $detail, $hint, $context, $out) = sqlstate_of($login, $sql);
			$out =~ s/\s+$//;
			# a login without USAGE on schema pointsys cannot name its types
			# or functions at all (the contract: PUBLIC gets nothing): it is
			# stopped at the schema, before any pointsys code runs
			if ($login eq $nobody)
			{
				is("$state $msg", '42501 permission denied for schema pointsys',
					"6. $login: $what: stopped at the schema");
			}
			elsif (defined $errors)
			{
				like($state, $errors, "6. $login: $what: a clean error") or diag("$state $msg");
			}
			else
			{
				is("$state $msg|$out", "00000 |$result", "6. $login: $what");
			}
			wait_up() if $state eq 'CRASH';
		}
	}
}

is(crashes_since($log_start), '', 'the server log has no crash');
$node->stop;
done_testing();
