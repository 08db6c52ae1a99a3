# test/t/PointsysTest.pm: what several TAP tests of test/t do alike, so
# that each says it once.  A test loads it with
#
#   use FindBin;
#   use lib $FindBin::RealBin;
#   use PointsysTest;
#
# (prove runs the tests from the top of the tree, where they find
# test/data/.)
package PointsysTest;

use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Exporter 'import';

our @EXPORT = qw(red_team_node create_bureau psql_as first_error log_crashes server_up);

# A new node $name, started, that restarts after a crash (the red team
# tests try to crash it)
sub red_team_node
{
	my ($name) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init;
	$node->append_conf('postgresql.conf', "restart_after_crash = on\n");
	$node->start;
	return $node;
}

# A new database $db (UTF8) on $node with pointsys installed and the
# sample bureau of test/data/sample_bureau.sql loaded (a test of its own)
sub create_bureau
{
	my ($node, $db) = @_;
	$node->safe_psql('postgres', qq{CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0});
	$node->safe_psql($db, 'CREATE EXTENSION pointsys');
	note('pointsys ' . $node->safe_psql($db, q{SELECT extversion FROM pg_extension WHERE extname = 'pointsys'}));
	$node->command_ok(
		[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr($db),
		  '-f', 'test/data/sample_bureau.sql' ],
		"the sample bureau loads into $db");
	return;
}

# Run $sql as $user in $db on $node; (rc, stdout, stderr).  Errors are
# verbose (SQLSTATE, DETAIL, HINT, CONTEXT); no statement waits for long;
# psql gives up after 3 minutes.  $on_error_stop: 1 unless given.
sub psql_as
{
	my ($node, $db, $user, $sql, $on_error_stop) = @_;
	my $timed_out = 0;
	my ($rc, $out, $err) = $node->psql($db,
		"SET statement_timeout = '60s';\nSET lock_timeout = '10s';\n$sql",
		extra_params => [ '-U', $user, '-v', 'VERBOSITY=verbose' ],
		on_error_stop => $on_error_stop // 1,
		timeout => 180,
		timed_out => \$timed_out);
	$err .= "\npsql timed out" if $timed_out;
	return ($rc // -1, $out // '', $err // '');
}

# The fields of the first error in psql's verbose stderr: (sqlstate,
# message, detail, hint, context); 00000 when there is none, CRASH when the
# connection was lost, ????? when psql failed otherwise.
sub first_error
{
	my ($rc, $err) = @_;
	my ($state, $msg, $detail, $hint, $context) = ('00000', '', '', '', '');
	if ($err =~ /ERROR:\s+([0-9A-Z]{5}):\s+([^\n]*)((?:\n(?!\S*ERROR:)[^\n]*)*)/)
	{
		($state, $msg) = ($1, $2);
		my $rest = $3;
		$detail = $1 if $rest =~ /^DETAIL:\s+([^\n]*)/m;
		$hint = $1 if $rest =~ /^HINT:\s+([^\n]*)/m;
		$context = $1 if $rest =~ /^CONTEXT:\s+((?:[^\n]*)(?:\n(?![A-Z]+:)[^\n]*)*)/m;
	}
	elsif ($err =~ /server closed the connection|connection to server was lost/)
	{
		($state, $msg) = ('CRASH', $err);
	}
	elsif ($rc != 0)
	{
		($state, $msg) = ('?????', $err);
	}
	return ($state, $msg, $detail, $hint, $context);
}

# After a possible crash: wait until $node accepts connections again
sub server_up
{
	my ($node) = @_;
	$node->poll_query_until('postgres', 'SELECT true')
	  or BAIL_OUT('the server did not come back');
	return;
}

# Lines of $node's server log after byte $offset that tell of a crash
sub log_crashes
{
	my ($node, $offset) = @_;
	my $log = slurp_file($node->logfile);
	return join("\n", grep { /terminated by signal|was terminated by exception|TRAP:/ }
		  split /\n/, substr($log, $offset));
}

1;
