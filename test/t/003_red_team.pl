# Red team (issue 10): roles that are not superusers cannot borrow pointsys's
# trigger functions, which run as the extension's owner, and learn or break
# nothing through the ledger's own checks.  With real logins (two recorders,
# an admin, a reader and a login without grants) it proves:
#   1. no such login may EXECUTE a trigger, event trigger or aggregate
#      support function of pointsys, nor attach a trigger function to a
#      table of its own (42501); the user-facing functions still work;
#   2. a user-defined cast run by audit_changes cannot make a login a
#      superuser (escalation), as recorder or as reader;
#   3. look-alike tables with other column types do not crash the server;
#   4. no attack writes a row to pointsys.audit;
#   5. a recorder's refused write for a member of another branch says
#      exactly the row-security refusal, whatever else is wrong with it;
#   6. nothing a recorder leaves open (a refused write in an aborted
#      transaction, an owner-run check on a look-alike table) freezes
#      another branch's recorder or the admin;
#   7. recorded_by and recorded_at are the writer's and its transaction's;
#   8. pointsys.reason is at most 1000 characters;
#   9. recorders cannot read sanctions, evaluations or annual results;
#  10. even a superuser who attaches a C trigger function to a look-alike
#      table gets 39P01, no crash and no audit row.
# Against release 1.1 most of these fail: that is what they are for.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use FindBin;
use lib $FindBin::RealBin;
use PointsysTest;

my $node = red_team_node('red_team');

my $db = 'bureau';
create_bureau($node, $db);

# rec1 records for b1 (m01, m04, ...), rec2 for b2 (m02 李娜, m05 王芳 joined
# 2024-05-15, ...); b2's 2024-Q3 is approved
my @logins = qw(rec1 rec2 boss report nobody);
my $superuser = $node->safe_psql('postgres', 'SELECT current_user');
$node->safe_psql($db, q{
	CREATE ROLE rec1 LOGIN;
	CREATE ROLE rec2 LOGIN;
	CREATE ROLE boss LOGIN;
	CREATE ROLE report LOGIN;
	CREATE ROLE nobody LOGIN;
	GRANT pointsys_recorder TO rec1, rec2;
	GRANT pointsys_admin TO boss;
	GRANT pointsys_reader TO report;
	INSERT INTO pointsys.recorder VALUES ('b1', 'rec1', '2024-01-01'), ('b2', 'rec2', '2024-01-01');
	SELECT pointsys.advance('b2', 2024, 3);
});

# --- helpers -------------------------------------------------------------------

# Run $sql as $user in the bureau; (rc, stdout, stderr) (PointsysTest.pm)
sub run_as
{
	return psql_as($node, $db, @_);
}

# The first error of $sql run as $user: (sqlstate, message, detail, hint,
# stdout); sqlstate 00000 when it all succeeds, CRASH when the connection
# was lost, ????? when psql failed otherwise.
sub sqlstate_of
{
	my ($user, $sql) = @_;
	my ($rc, $out, $err) = run_as($user, $sql, 1);
	my ($state, $msg, $detail, $hint) = first_error($rc, $err);
	return ($state, $msg, $detail, $hint, $out);
}

# Run an attack script as $user, going on after errors; (rc, stdout, stderr)
sub attack
{
	my ($user, $sql) = @_;
	return run_as($user, $sql, 0);
}

# After a possible crash: wait until the server accepts connections again
sub wait_up
{
	server_up($node);
}

sub audit_count
{
	wait_up();
	return $node->safe_psql($db, 'SELECT count(*) FROM pointsys.audit');
}

# Lines of the server log after byte $offset that tell of a crash
sub crashes_since
{
	return log_crashes($node, @_);
}

# psql's script to make a login's temp function try(stmt): 'ok' or the SQLSTATE
my $try_function = q{
CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
	EXECUTE stmt;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$f$;
};

# --- 1. privileges on the owner-run functions ------------------------------------

my @aggregate_support = qw(quarter_avg_transfn quarter_avg_combinefn quarter_avg_finalfn
  annual_assessment_transfn year_state_combinefn annual_assessment_finalfn ledger_year_transfn);
my $internal_functions = $node->safe_psql($db, sprintf(q{
	SELECT p.oid::regprocedure FROM pg_proc p
	WHERE p.pronamespace = 'pointsys'::regnamespace
	  AND (p.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype)
		   OR p.proname IN (%s))
	ORDER BY 1}, join(', ', map { "'$_'" } @aggregate_support)));
my @internal = split /\n/, $internal_functions;
cmp_ok(scalar(@internal), '>=', 19, 'the trigger, event trigger and aggregate support functions are listed')
  or diag($internal_functions);
my @trigger_functions = split /\n/, $node->safe_psql($db, q{
	SELECT p.oid::regproc FROM pg_proc p
	WHERE p.pronamespace = 'pointsys'::regnamespace AND p.prorettype = 'trigger'::regtype
	ORDER BY 1});
cmp_ok(scalar(@trigger_functions), '>=', 11, 'the trigger functions are listed');

my $internal_array = "ARRAY[" . join(', ', map { "'$_'" } @internal) . "]::regprocedure[]";
for my $login (@logins)
{
	is($node->safe_psql($db, qq{
		SELECT string_agg(f::text, ', ' ORDER BY f::text) FROM unnest($internal_array) f
		WHERE has_function_privilege('$login', f, 'EXECUTE')}),
		'', "$login may EXECUTE none of the internal functions");

	my $tries = join(",\n", map { my $n = s/\W/_/gr;
		"('$_', pg_temp.try('CREATE TRIGGER red_$n AFTER INSERT ON pg_temp.own FOR EACH ROW EXECUTE FUNCTION $_()'))" }
		  @trigger_functions);
	my ($rc, $out, $err) = attack($login, qq{
		CREATE TEMP TABLE own (a int);
		$try_function
		SELECT f || ' ' || s FROM (VALUES $tries) t(f, s);
	});
	is(join("\n", sort split /\n/, $out), join("\n", map { "$_ 42501" } sort @trigger_functions),
		"$login cannot attach any trigger function of pointsys to its own table (42501)")
	  or diag($err);
}

# ... while what they are meant to use still works
for my $login (qw(rec1 boss report))
{
	my ($state, $msg, undef, undef, $out) = sqlstate_of($login, q{
		SELECT pointsys.quarter_avg(x) FROM (VALUES (85.5), (85), (85)) v(x);
		SELECT pointsys.annual_assessment(m, x)
		FROM (VALUES (DATE '2024-01-01', 85.5), ('2024-02-01', 85), ('2024-04-01', 85)) v(m, x);
		SELECT pointsys.grade_of(85);});
	is("$state $msg\n$out", "00000 \n85.17\n85.13\n良好", "$login: aggregates and grade_of work");
}
{
	my ($state, $msg, undef, undef, $out) = sqlstate_of('report', q{
		SELECT count(*) > 50 FROM pointsys.annual_results;
		SELECT count(*) > 50 FROM pointsys.quarterly_scores;});
	is("$state $msg\n$out", "00000 \nt\nt", 'the reader reads annual_results and quarterly_scores');
	($state, $msg, undef, undef, $out) = sqlstate_of('rec1', q{
		SELECT count(*) > 0, bool_and(member_id IN (SELECT member_id FROM pointsys.member WHERE branch_id = 'b1'))
		FROM pointsys.quarterly_scores;});
	is("$state $msg\n$out", "00000 \nt|t", 'a recorder reads its branch\'s quarterly_scores');
}

# --- 2. escalation through a user-defined cast to json -----------------------------
# to_jsonb() of a row with a column of the login's own enum type calls the
# login's cast to json; audit_changes ran it as the extension's owner.
{
	my $audit_before = audit_count();
	for my $login (qw(rec1 report))
	{
		attack($login, qq{
			CREATE TYPE pg_temp.e AS ENUM ('x');
			CREATE FUNCTION pg_temp.e_json(pg_temp.e) RETURNS json LANGUAGE plpgsql AS \$f\$
			BEGIN
				-- current_user: the role the cast runs as (is_superuser would
				-- tell of the session's role)
				IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
					EXECUTE 'CREATE TABLE public.owner_ran_$login ()';
					EXECUTE 'ALTER ROLE $login SUPERUSER';
				END IF;
				RETURN '"x"'::json;
			END
			\$f\$;
			CREATE CAST (pg_temp.e AS json) WITH FUNCTION pg_temp.e_json(pg_temp.e);
			-- a row-level AFTER UPDATE trigger
			CREATE TEMP TABLE t (a pg_temp.e);
			CREATE TRIGGER red AFTER UPDATE ON pg_temp.t FOR EACH ROW EXECUTE FUNCTION pointsys.audit_changes();
			INSERT INTO pg_temp.t VALUES ('x');
			UPDATE pg_temp.t SET a = 'x';
			-- a statement-level AFTER INSERT trigger over a transition table
			CREATE TEMP TABLE u (a pg_temp.e);
			CREATE TRIGGER red AFTER INSERT ON pg_temp.u REFERENCING NEW TABLE AS pointsys_new_rows
				FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();
			INSERT INTO pg_temp.u VALUES ('x');
		});
		wait_up();
		is($node->safe_psql($db, qq{SELECT rolsuper FROM pg_roles WHERE rolname = '$login'}),
			'f', "escalation as $login: $login is not a superuser");
		is($node->safe_psql($db, qq{SELECT to_regclass('public.owner_ran_$login') IS NULL}),
			't', "escalation as $login: the login's cast never ran as the owner");
		# leave the rest of the test independent of this outcome
		$node->safe_psql($db, qq{ALTER ROLE $login NOSUPERUSER; DROP TABLE IF EXISTS public.owner_ran_$login});
	}
	is(audit_count(), $audit_before, 'escalation attempts write no audit row');
}

# --- 3. look-alike tables with other column types: no crash --------------------------
{
	my $log_offset = -s $node->logfile;
	my $audit_before = audit_count();
	my %lookalikes = (
		score_check => [ 'score', 'member_id int, month text, item int, points text', q{(1, 'x', 2, 'y')}, 'INSERT' ],
		award_check => [ 'award', 'member_id int, month text, kind int', q{(1, 'x', 2)}, 'INSERT' ],
		evaluation_check => [ 'evaluation', 'member_id int, year text, democratic text', q{(1, 'x', 'y')}, 'INSERT' ],
		period_check => [ 'period', 'branch_id int, year text, quarter text, status int', q{(1, 'x', 'y', 2)}, 'INSERT' ],
		rulebook_guard => [ 'member', 'member_id int, name int, branch_id int, joined_on text, left_on text',
							q{(1, 2, 3, 'x', 'y')}, 'UPDATE' ],
	);
	for my $fn (sort keys %lookalikes)
	{
		my ($table, $columns, $row, $event) = @{ $lookalikes{$fn} };
		my $first = (split ' ', $columns)[0];
		my ($rc, $out, $err) = attack('rec1', qq{
			CREATE TEMP TABLE $table ($columns);
			INSERT INTO pg_temp.$table VALUES $row;
			CREATE TRIGGER red BEFORE $event ON pg_temp.$table FOR EACH ROW EXECUTE FUNCTION pointsys.$fn();
			INSERT INTO pg_temp.$table VALUES $row;
			UPDATE pg_temp.$table SET $first = $first;
		});
		unlike($err, qr/server closed the connection|connection to server was lost/,
			"crash attempt with $fn on a look-alike $table: the session survives");
		wait_up();
	}
	is($node->safe_psql('postgres', 'SELECT 1'), '1', 'crash attempts: the node is up');
	is(crashes_since($log_offset), '', 'crash attempts: no backend terminated by a signal');
	is(audit_count(), $audit_before, 'crash attempts write no audit row');
}

# --- look-alike tables with the genuine types: no reading of other branches --------
{
	my $audit_before = audit_count();
	my ($rc, $out, $err) = attack('rec1', q{
		-- would the owner-run rulebook_guard say whether m02 has records in 2024?
		CREATE TEMP TABLE member (LIKE pointsys.member);
		INSERT INTO pg_temp.member VALUES ('m02', 'x', 'b2', NULL, NULL);
		CREATE TRIGGER red BEFORE UPDATE ON pg_temp.member FOR EACH ROW EXECUTE FUNCTION pointsys.rulebook_guard();
		UPDATE pg_temp.member SET joined_on = '2030-01-01';
		-- would score_check say the status of b2's quarter, or m05's name and joining date?
		CREATE TEMP TABLE score (LIKE pointsys.score INCLUDING DEFAULTS);
		CREATE TRIGGER red BEFORE INSERT ON pg_temp.score FOR EACH ROW EXECUTE FUNCTION pointsys.score_check();
		INSERT INTO pg_temp.score (member_id, month, item, points) VALUES ('m02', '2024-08-01', 'study_notes', 1);
		INSERT INTO pg_temp.score (member_id, month, item, points) VALUES ('m05', '2024-02-01', 'study_notes', 1);
		-- would period_check?
		CREATE TEMP TABLE period (LIKE pointsys.period);
		INSERT INTO pg_temp.period VALUES ('b2', 2024, 3, 'recording', 'rec1', now());
		CREATE TRIGGER red BEFORE UPDATE ON pg_temp.period FOR EACH ROW EXECUTE FUNCTION pointsys.period_check();
		UPDATE pg_temp.period SET status = 'verified';
	});
	unlike($err, qr/has records|is approved|李娜|王芳|joined on|cannot move/,
		'look-alike tables reveal nothing of branch b2');
	is(audit_count(), $audit_before, 'look-alike tables write no audit row');
	wait_up();
}

# --- 4. forged audit rows ---------------------------------------------------------------
for my $login (qw(report rec1))
{
	my $audit_before = audit_count();
	attack($login, q{
		CREATE TEMP TABLE score (LIKE pointsys.score INCLUDING DEFAULTS);
		CREATE TRIGGER red_i AFTER INSERT ON pg_temp.score REFERENCING NEW TABLE AS pointsys_new_rows
			FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();
		CREATE TRIGGER red_u AFTER UPDATE ON pg_temp.score
			REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
			FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();
		CREATE TRIGGER red_d AFTER DELETE ON pg_temp.score REFERENCING OLD TABLE AS pointsys_old_rows
			FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();
		CREATE TRIGGER red_t AFTER TRUNCATE ON pg_temp.score FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();
		SET pointsys.reason = 'forged';
		INSERT INTO pg_temp.score (member_id, month, item, points) VALUES ('m02', '2024-01-01', 'role', 20);
		UPDATE pg_temp.score SET points = 0;
		DELETE FROM pg_temp.score;
		TRUNCATE pg_temp.score;
	});
	wait_up();
	is(audit_count(), $audit_before, "forged audit rows as $login: the audit trail is unchanged");
	is($node->safe_psql($db, q{SELECT count(*) FROM pointsys.audit WHERE reason = 'forged'}),
		'0', "forged audit rows as $login: none with the forger's reason");
}

# --- 5. refused writes for another branch say nothing about it -------------------------
{
	my $audit_before = audit_count();
	my ($state) = sqlstate_of('rec1', q{
		INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('m01', '2026-01-01', 'org_life', 2)});
	is($state, '00000', 'rec1 records a score for its own branch');
	$audit_before++;

	my %values = (
		'a member of b2, nothing else wrong' => [ 'm02', '2026-01-01', 1 ],
		'a member that does not exist' => [ 'zz99', '2026-01-01', 1 ],
		'an unknown item or kind' => [ 'm02', '2026-01-01', 1, 'unknown' ],
		'points above the maximum' => [ 'm02', '2026-01-01', 4.5, undef, 'score only' ],
		'a future month' => [ 'm02', '2099-01-01', 1 ],
		'a month before the member joined' => [ 'm05', '2024-02-01', 1 ],
		'a month of an approved quarter of b2' => [ 'm02', '2024-08-01', 1 ],
		'a NULL member' => [ undef, '2026-01-01', 1 ],
	);
	for my $table ('score', 'award')
	{
		my @refusals;
		for my $case (sort keys %values)
		{
			my ($member, $month, $points, $unknown, $score_only) = @{ $values{$case} };
			next if $score_only && $table ne 'score';
			my $m = defined $member ? "'$member'" : 'NULL';
			my $sql = $table eq 'score'
			  ? sprintf(q{INSERT INTO pointsys.score (member_id, month, item, points) VALUES (%s, '%s', '%s', %s)},
				$m, $month, $unknown ? 'no_such_item' : 'study_notes', $points)
			  : sprintf(q{INSERT INTO pointsys.award (member_id, month, kind) VALUES (%s, '%s', '%s')},
				$m, $month, $unknown ? 'no_such_kind' : 'county');
			my $sent = sprintf('member %s, %s, %s "%s"', defined $member ? qq{"$member"} : 'NULL',
				substr($month, 0, 7), $table eq 'score' ? 'item' : 'award',
				$table eq 'score' ? ($unknown ? 'no_such_item' : 'study_notes')
				: ($unknown ? 'no_such_kind' : 'county'));
			push @refusals, [ "INSERT of $case", $sent, sqlstate_of('rec1', $sql) ];
		}
		if ($table eq 'score')
		{
			for my $set ("member_id = 'm02'", "member_id = 'zz99'", "member_id = NULL",
				"member_id = 'm02', points = 99", "member_id = 'm05', month = '2024-02-01'",
				"member_id = 'm02', month = '2024-08-01'", "member_id = 'm02', month = '2099-01-01'")
			{
				my ($member) = $set =~ /member_id = ('[^']*'|NULL)/;
				$member =~ s/'/"/g;
				my ($month) = $set =~ /month = '(\d{4}-\d\d)/;
				my $sent = sprintf('member %s, %s, item "org_life"', $member, $month // '2026-01');
				push @refusals, [ "UPDATE of its own row SET $set", $sent, sqlstate_of('rec1', qq{
					UPDATE pointsys.score SET $set
					WHERE member_id = 'm01' AND month = '2026-01-01' AND item = 'org_life'}) ];
			}
		}
		my $expected = qq{new row violates row-level security policy for table "$table"};
		# the detail names the row sent (1.5), and only that: without it,
		# nothing of the member, their dates or their quarter
		for my $r (@refusals)
		{
			my ($case, $sent, $state, $msg, $detail, $hint) = @$r;
			is("$state: $msg", "42501: $expected", "rec1, $table of b2, $case: the row-security refusal");
			is($detail, "The row sent: $sent.", "rec1, $table of b2, $case: the detail names the row sent");
			$detail =~ s/^The row sent: [^.]*\.$//;
			$r->[4] = $detail;
			unlike("$msg $detail $hint", qr/李娜|王芳|\d{4}-\d\d|approved|does not exist|rulebook/,
				"rec1, $table of b2, $case: no name, date or status in the refusal");
		}
		my %distinct = map { join("\x1f", @{$_}[2 .. 5]) => 1 } @refusals;
		is(scalar(keys %distinct), 1,
			"rec1, $table of b2: every refusal is the same but for the row sent (sqlstate, message, detail, hint)")
		  or diag(join("\n", sort keys %distinct));
	}
	is(audit_count(), $audit_before, 'refused writes leave no audit row');
	is($node->safe_psql($db, q{SELECT count(*) FROM pointsys.score WHERE month >= '2026-01-01' AND member_id <> 'm01'}),
		'0', 'refused writes leave no score');
}

# --- 6. nothing a recorder leaves open freezes another branch -------------------------
# rec1's sessions stay open, each in a transaction whose owner-run checks
# touched branch b2: (a) a refused score insert then a refused advance (an
# aborted transaction); (b)-(d) look-alike tables whose checks pass, so that
# the transaction stays open with the owner's locks: FOR SHARE on b2's
# branch row (score_check), FOR NO KEY UPDATE on it (period_check), SHARE on
# score, award and evaluation (rulebook_guard).  Meanwhile b2's recorder
# records and the admin advances and reopens b2's quarter, within 3 s.
{
	my @attackers;
	my %attack = (
		'(a) a refused score insert, then a refused advance' => q{
			INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('m02', '2026-05-01', 'study_notes', 1);
			SELECT pointsys.advance('b2', 2026, 2);},
		'(b) score_check on a look-alike score table' => q{
			CREATE TEMP TABLE score (LIKE pointsys.score INCLUDING DEFAULTS);
			CREATE TRIGGER red BEFORE INSERT ON pg_temp.score FOR EACH ROW EXECUTE FUNCTION pointsys.score_check();
			INSERT INTO pg_temp.score (member_id, month, item, points) VALUES ('m02', '2026-05-01', 'study_notes', 1);},
		'(c) period_check on a look-alike period table' => q{
			CREATE TEMP TABLE period (LIKE pointsys.period INCLUDING DEFAULTS);
			CREATE TRIGGER red BEFORE INSERT ON pg_temp.period FOR EACH ROW EXECUTE FUNCTION pointsys.period_check();
			INSERT INTO pg_temp.period (branch_id, year, quarter, status) VALUES ('b2', 2026, 2, 'recording');},
		'(d) rulebook_guard on a look-alike member table' => q{
			CREATE TEMP TABLE member (LIKE pointsys.member);
			INSERT INTO pg_temp.member VALUES ('zz98', 'x', 'b2', NULL, NULL);
			CREATE TRIGGER red BEFORE UPDATE ON pg_temp.member FOR EACH ROW EXECUTE FUNCTION pointsys.rulebook_guard();
			UPDATE pg_temp.member SET joined_on = '2030-01-01';},
	);
	for my $what (sort keys %attack)
	{
		my $session = $node->background_psql($db, on_error_stop => 0, timeout => 120,
			extra_params => [ '-U', 'rec1' ]);
		$session->query(q{SET lock_timeout = '10s'; SET statement_timeout = '30s'; SET idle_in_transaction_session_timeout = 0});
		$session->query("BEGIN;\n\\set VERBOSITY verbose\n$attack{$what}");
		like($session->{stderr}, qr/ERROR/, "rec1's open session $what: refused")
		  if $what =~ /^\(a\)/;
		push @attackers, [ $what, $session ];
	}
	my $audit_before = audit_count();
	my ($state, $msg) = sqlstate_of('rec2', q{
		SET lock_timeout = '3s';
		BEGIN;
		INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('m02', '2026-05-01', 'study_notes', 1);
		COMMIT;});
	is("$state $msg", '00000 ', 'while rec1\'s sessions stay open: rec2 records a score for b2');
	($state, $msg) = sqlstate_of('boss', q{
		SET lock_timeout = '3s';
		SELECT pointsys.advance('b2', 2026, 2);
		SELECT pointsys.reopen('b2', 2026, 2, 'red team: reopened while rec1 hangs on');});
	is("$state $msg", '00000 ', 'while rec1\'s sessions stay open: the admin advances and reopens b2\'s quarter');
	for my $s (@attackers)
	{
		$s->[1]->query('ROLLBACK');
		$s->[1]->quit;
	}
	wait_up();
	is($node->safe_psql($db, q{SELECT count(*) FROM pointsys.score WHERE member_id = 'm02' AND month = '2026-05-01'}),
		'1', 'rec2\'s score is there');
	is($node->safe_psql($db, q{SELECT status FROM pointsys.period WHERE branch_id = 'b2' AND year = 2026 AND quarter = 2}),
		'recording', 'b2\'s quarter was advanced and reopened');
	is(audit_count(), $audit_before + 3, 'the score, the advance and the reopening are audited, nothing else');
}

# --- 7. recorded_by and recorded_at are the writer's -----------------------------------
{
	# the writes, then the stamps they left on m01's score and award
	my $stamps = q{
		SELECT recorded_by, recorded_at = now() FROM pointsys.score
		WHERE member_id = 'm01' AND month = '2026-03-01' AND item = 'study_notes';
		SELECT recorded_by, recorded_at = now() FROM pointsys.award
		WHERE member_id = 'm01' AND month = '2026-03-01';
		COMMIT;};
	my ($state, $msg, $detail, $hint, $out) = sqlstate_of('rec1', q{
		BEGIN;
		INSERT INTO pointsys.score (member_id, month, item, points, recorded_by, recorded_at)
		VALUES ('m01', '2026-03-01', 'study_notes', 1, 'somebody_else', '2000-01-01');
		INSERT INTO pointsys.award (member_id, month, kind, recorded_by, recorded_at)
		VALUES ('m01', '2026-03-01', 'county', 'somebody_else', '2000-01-01');} . $stamps);
	is("$state $msg\n$out", "00000 \nrec1|t\nrec1|t", 'stamps given on INSERT are replaced by the writer and now()');

	($state, $msg, $detail, $hint, $out) = sqlstate_of('rec1', q{
		BEGIN;
		UPDATE pointsys.score SET recorded_by = 'somebody_else', recorded_at = '2000-01-01'
		WHERE member_id = 'm01' AND month = '2026-03-01' AND item = 'study_notes';
		UPDATE pointsys.award SET recorded_by = 'somebody_else', recorded_at = '2000-01-01'
		WHERE member_id = 'm01' AND month = '2026-03-01';} . $stamps);
	is("$state $msg\n$out", "00000 \nrec1|t\nrec1|t", 'stamps set by UPDATE are replaced by the writer and now()');
	is($node->safe_psql($db, q{
		SELECT count(*) FROM (SELECT recorded_by, recorded_at FROM pointsys.score
							  UNION ALL SELECT recorded_by, recorded_at FROM pointsys.award) s
		WHERE recorded_by = 'somebody_else' OR recorded_at < '2001-01-01'}),
		'0', 'no forged stamp is stored');
}

# --- 8. pointsys.reason is at most 1000 characters -----------------------------------
{
	my $score = q{INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('m01', '2026-04-01', '%s', 1)};
	my $reason_of = q{SELECT length(reason), octet_length(reason) FROM pointsys.audit
					  WHERE table_name = 'score' AND new_row ->> 'member_id' = 'm01'
						AND new_row ->> 'month' = '2026-04-01' AND new_row ->> 'item' = '%s'};
	my @cases = (
		[ 'x', 1001, 'study_notes', '22001' ],
		[ '理', 1001, 'org_life', '22001' ],
		[ 'x', 1000, 'reflection', '00000', '1000|1000' ],
		[ '理', 1000, 'business_notes', '00000', '1000|3000' ],
	);
	for my $c (@cases)
	{
		my ($char, $n, $item, $expected, $stored) = @$c;
		my $audit_before = audit_count();
		my ($state, $msg) = sqlstate_of('rec1',
			qq{SELECT set_config('pointsys.reason', repeat('$char', $n), false);\n} . sprintf($score, $item));
		is($state, $expected, "a reason of $n × '$char': SQLSTATE $expected") or diag($msg);
		if ($expected eq '00000')
		{
			is($node->safe_psql($db, sprintf($reason_of, $item)), $stored,
				"a reason of $n × '$char' is stored whole");
			is(audit_count(), $audit_before + 1, "a reason of $n × '$char': one audit row");
		}
		else
		{
			is(audit_count(), $audit_before, "a reason of $n × '$char': no audit row");
			is($node->safe_psql($db, qq{SELECT count(*) FROM pointsys.score
										   WHERE member_id = 'm01' AND month = '2026-04-01' AND item = '$item'}),
				'0', "a reason of $n × '$char': no score written");
		}
	}
}

# --- 9. recorders do not read sanctions or annual results, nor (1.5) the
# democratic scores of members outside their branches ---------------------------------
for my $sql (q{SELECT pointsys.is_vetoed('m02', 2024)}, q{SELECT * FROM pointsys.annual_results},
	q{SELECT * FROM pointsys.sanction}, q{SELECT pointsys.annual_grade('m02', 2024)})
{
	my ($state, $msg, $detail, $hint, $out) = sqlstate_of('rec1', $sql);
	is($state, '42501', "rec1: $sql is refused") or diag("$msg\n$out");
}
{
	my ($state, $msg, $detail, $hint, $out) =
	  sqlstate_of('rec1', q{SELECT DISTINCT pointsys.branch_of(member_id, make_date(year, 12, 1)) FROM pointsys.evaluation});
	is($state, '00000', 'rec1 reads evaluations (1.5)') or diag($msg);
	is($out, 'b1', "rec1 reads only the evaluations of b1's members in December");
}

# --- 10. a superuser attaching a C trigger function to a look-alike table -------------
# For each function: the table it serves, when it fires, the events; a
# look-alike with the same column names and other types (and a row of it),
# and one with the genuine types (a row copied from the genuine table).
{
	my $log_offset = -s $node->logfile;
	my $audit_before = audit_count();
	my @cases = (
		[ 'score_check', 'score', 'BEFORE', 'ROW', [qw(INSERT UPDATE DELETE)],
		  'member_id int, month text, item int, points text', q{(1, 'x', 2, 'y')},
		  q{SELECT * FROM pointsys.score WHERE member_id = 'm01' AND month = '2025-02-01' LIMIT 1}, 'points = points' ],
		[ 'award_check', 'award', 'BEFORE', 'ROW', [qw(INSERT UPDATE DELETE)],
		  'member_id int, month text, kind int', q{(1, 'x', 2)},
		  q{SELECT * FROM pointsys.award ORDER BY award_id LIMIT 1}, 'kind = kind' ],
		[ 'evaluation_check', 'evaluation', 'BEFORE', 'ROW', [qw(INSERT UPDATE)],
		  'member_id int, year text, democratic text', q{(1, 'x', 'y')},
		  q{SELECT * FROM pointsys.evaluation WHERE member_id = 'm02' AND year = 2024}, 'year = year' ],
		[ 'sanction_check', 'sanction', 'BEFORE', 'ROW', [qw(INSERT UPDATE)],
		  'member_id int, kind int, effective_on text', q{(1, 2, 'x')},
		  q{SELECT * FROM pointsys.sanction ORDER BY sanction_id LIMIT 1}, 'kind = kind' ],
		[ 'period_check', 'period', 'BEFORE', 'ROW', [qw(INSERT UPDATE DELETE)],
		  'branch_id int, year text, quarter text, status int', q{(1, 'x', 'y', 2)},
		  q{VALUES ('b1', 2026, 3, 'recording', 'postgres'::name, now())}, "status = 'approved'" ],
		[ 'rulebook_guard', 'member', 'BEFORE', 'ROW', [qw(UPDATE)],
		  'member_id int, name int, branch_id int, joined_on text, left_on text', q{(1, 2, 3, 'x', 'y')},
		  q{SELECT * FROM pointsys.member WHERE member_id = 'm02'}, "joined_on = '2030-01-01'" ],
		[ 'rulebook_guard', 'category', 'BEFORE', 'ROW', [qw(UPDATE DELETE)],
		  'category int, title int, cap text', q{(1, 2, 'x')},
		  q{SELECT * FROM pointsys.category WHERE category = 'reward'}, 'cap = 1' ],
		[ 'rulebook_changed', 'item', 'AFTER', 'STATEMENT', [qw(INSERT UPDATE DELETE TRUNCATE)],
		  'item int, max_points text', q{(1, 'x')},
		  q{SELECT * FROM pointsys.item WHERE item = 'role'}, 'item = item' ],
		[ 'member_month_changed', 'score', 'AFTER', 'STATEMENT', [qw(INSERT UPDATE DELETE TRUNCATE)],
		  'member_id int, month text, item int, points text', q{(1, 'x', 2, 'y')},
		  q{SELECT * FROM pointsys.score WHERE member_id = 'm01' AND month = '2025-02-01' LIMIT 1}, 'points = points' ],
		[ 'audit_changes', 'score', 'AFTER', undef, [qw(INSERT UPDATE DELETE TRUNCATE)],
		  'member_id int, month text, item int, points text', q{(1, 'x', 2, 'y')},
		  q{SELECT * FROM pointsys.score WHERE member_id = 'm01' AND month = '2025-02-01' LIMIT 1}, 'points = points' ],
		[ 'audit_immutable', 'audit', 'BEFORE', undef, [qw(UPDATE DELETE TRUNCATE)],
		  'audit_id text, reason int', q{('x', 1)},
		  q{SELECT * FROM pointsys.audit ORDER BY audit_id LIMIT 1}, 'reason = reason' ],
	);
	for my $c (@cases)
	{
		my ($fn, $table, $timing, $level, $events, $columns, $row, $genuine_row, $set) = @$c;
		for my $variant ('other types', 'genuine types')
		{
			my $create = $variant eq 'other types'
			  ? "CREATE TEMP TABLE $table ($columns);\nINSERT INTO pg_temp.$table VALUES $row;"
			  : "CREATE TEMP TABLE $table (LIKE pointsys.$table);\nINSERT INTO pg_temp.$table $genuine_row;";
			my $update_set = $variant eq 'other types' ? ((split ' ', $columns)[0] . ' = ' . (split ' ', $columns)[0]) : $set;
			for my $event (@$events)
			{
				# the genuine triggers' shapes: audit_changes is
				# statement-level with transition tables; audit_immutable
				# statement-level on TRUNCATE only
				my $each = $level
				  // ($fn eq 'audit_changes' ? 'STATEMENT'
					  : ($event eq 'TRUNCATE' ? 'STATEMENT' : 'ROW'));
				my $referencing = '';
				if ($timing eq 'AFTER' && $each eq 'STATEMENT' && $fn ne 'rulebook_changed')
				{
					$referencing = 'REFERENCING NEW TABLE AS pointsys_new_rows' if $event eq 'INSERT';
					$referencing = 'REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows'
					  if $event eq 'UPDATE';
					$referencing = 'REFERENCING OLD TABLE AS pointsys_old_rows' if $event eq 'DELETE';
				}
				my $fire = {
					INSERT => "INSERT INTO pg_temp.$table SELECT * FROM pg_temp.$table",
					UPDATE => "UPDATE pg_temp.$table SET $update_set",
					DELETE => "DELETE FROM pg_temp.$table",
					TRUNCATE => "TRUNCATE pg_temp.$table",
				}->{$event};
				my ($state, $msg) = sqlstate_of($superuser, qq{
					$create
					CREATE TRIGGER red $timing $event ON pg_temp.$table $referencing
						FOR EACH $each EXECUTE FUNCTION pointsys.$fn();
					SET pointsys.reason = 'superuser look-alike';
					$fire;});
				is($state, '39P01', "superuser, $fn on a look-alike $table ($variant), $event: 39P01")
				  or diag($msg);
				wait_up() if $state eq 'CRASH' || $state eq '?????';
			}
		}
	}
	is($node->safe_psql('postgres', 'SELECT 1'), '1', 'superuser look-alikes: the node is up');
	is(crashes_since($log_offset), '', 'superuser look-alikes: no backend terminated by a signal');
	is(audit_count(), $audit_before, 'superuser look-alikes write no audit row');
	is($node->safe_psql($db, q{SELECT count(*) FROM pointsys.audit WHERE reason = 'superuser look-alike'}),
		'0', 'superuser look-alikes: no audit row with their reason');
}

# the genuine ledger still works after all this
{
	my ($state, $msg) = sqlstate_of('rec2', q{
		INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('m02', '2026-06-01', 'role', 15);
		UPDATE pointsys.score SET points = 14 WHERE member_id = 'm02' AND month = '2026-06-01' AND item = 'role';
		DELETE FROM pointsys.score WHERE member_id = 'm02' AND month = '2026-06-01' AND item = 'role';});
	is("$state $msg", '00000 ', 'rec2 still inserts, updates and deletes its scores');
	is($node->safe_psql($db, q{SELECT count(*) FROM pointsys.audit WHERE new_row ->> 'month' = '2026-06-01'
								  OR old_row ->> 'month' = '2026-06-01'}),
		'3', 'and each of these writes is audited');
}

is(crashes_since(0), '', 'the server log has no crash');
$node->stop;
done_testing();
