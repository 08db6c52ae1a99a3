#!/usr/bin/perl
# po/sql_messages.pl: the messages of pointsys's SQL source for xgettext,
# and the check that the SQL raises no text that escapes translation.
#
#   perl po/sql_messages.pl src/sql/*.sql > po/sql_messages.c
#       every string literal of the message, detail and hint arguments
#       (the 2nd to 4th) of each pointsys.refuse(...) call, written as
#       _("...") lines of C for xgettext (the Makefile's pot rule);
#   perl po/sql_messages.pl --check src/sql/*.sql
#       fails (exit 1, naming file and line) on a refuse call whose message,
#       detail or hint is not literal text (a function call or || where
#       translation needs a whole literal: format() would put the arguments
#       in before the catalog is asked), and on a RAISE with text of its own
#       (a literal message, detail or hint) outside the list below.  RAISE
#       that passes on an error already made (MESSAGE = a variable) or
#       raises a bare SQLSTATE carries no text of its own.
#
# SQL is read as PostgreSQL reads it: '…' literals with '' for a quote,
# -- and /* */ comments; dollar quotes are looked through (function bodies
# are where the calls are).
use strict;
use warnings;

# RAISE with text of its own that stays, by the text's beginning: why
my %allowed = (
	# 00_header.sql: raised before anything of pointsys may be created in
	# the schema (pointsys.refuse included); written in both languages
	'schema "pointsys" is owned by another role' => 'both languages',
);

my $check = @ARGV && $ARGV[0] eq '--check' ? shift @ARGV : '';
my $failed = 0;
my %seen;

# tokens of a file: [type, text, line]; type s (string), ( ) , ; or w
sub tokens
{
	my ($text) = @_;
	my @t;
	my $line = 1;
	pos($text) = 0;
	while (pos($text) < length $text)
	{
		if ($text =~ /\G(\n)/gc) { $line++; }
		elsif ($text =~ /\G[ \t\r\f]+/gc) { }
		elsif ($text =~ /\G--[^\n]*/gc) { }
		elsif ($text =~ /\G(\/\*.*?\*\/)/gcs) { $line += ($1 =~ tr/\n//); }
		elsif ($text =~ /\G[Ee]?'((?:[^']|'')*)'/gc)
		{
			my $s = $1;
			my $l = $line;
			$line += ($s =~ tr/\n//);
			$s =~ s/''/'/g;
			push @t, ['s', $s, $l];
		}
		elsif ($text =~ /\G\$([A-Za-z_]\w*)?\$/gc) { }
		elsif ($text =~ /\G([(),;])/gc) { push @t, [$1, $1, $line]; }
		elsif ($text =~ /\G(\|\|)/gc) { push @t, ['w', $1, $line]; }
		elsif ($text =~ /\G([\w.@\$]+)/gc) { push @t, ['w', $1, $line]; }
		elsif ($text =~ /\G(.)/gcs) { push @t, ['w', $1, $line]; }
	}
	return @t;
}

sub c_string
{
	my ($s) = @_;
	$s =~ s/\\/\\\\/g;
	$s =~ s/"/\\"/g;
	$s =~ s/\n/\\n/g;
	$s =~ s/\t/\\t/g;
	return "\"$s\"";
}

for my $file (@ARGV)
{
	open my $fh, '<:raw', $file or die "$file: $!\n";
	local $/;
	my @t = tokens(<$fh>);
	close $fh;
	for (my $i = 0; $i < @t; $i++)
	{
		my ($type, $text, $line) = @{ $t[$i] };
		next unless $type eq 'w';
		if ($text =~ /^(?:pointsys|\@extschema\@)\.refuse$/ && $i + 1 < @t && $t[$i + 1][0] eq '(')
		{
			# the arguments, split at the commas of the call's own level
			my ($depth, $arg, @args) = (0, 0);
			my $j;
			for ($j = $i + 2; $j < @t; $j++)
			{
				my $k = $t[$j][0];
				if ($k eq '(') { $depth++; }
				elsif ($k eq ')') { last if $depth-- == 0; }
				elsif ($k eq ',' && $depth == 0) { $arg++; next; }
				push @{ $args[$arg] }, $t[$j];
			}
			for my $n (1 .. 3)
			{
				my @a = @{ $args[$n] || [] };
				if (grep { $_->[0] eq '(' || $_->[1] eq '||' } @a)
				{
					print STDERR "$file:$line: pointsys.refuse's "
					  . (qw(sqlstate message detail hint))[$n]
					  . " is not literal text: no translation can be looked up for it\n";
					$failed = 1;
				}
				for my $s (grep { $_->[0] eq 's' } @a)
				{
					next if $seen{ $s->[1] }++;
					print "/* $file:$s->[2] */ _(" . c_string($s->[1]) . ");\n" unless $check;
				}
			}
			$i = $j;
		}
		elsif (uc($text) eq 'RAISE')
		{
			my @texts;
			my $j;
			for ($j = $i + 1; $j < @t && $t[$j][0] ne ';'; $j++)
			{
				next unless $t[$j][0] eq 's';
				my $before = uc($t[$j - 1][1]);
				my $before2 = $j >= 2 ? uc($t[$j - 2][1]) : '';
				next if $before eq 'SQLSTATE' || ($before eq '=' && $before2 eq 'ERRCODE');
				push @texts, $t[$j];
			}
			# a statement is allowed whole, by its message
			my $ok = grep { my $s = $_; grep { index($s->[1], $_) == 0 } keys %allowed } @texts;
			for my $s ($ok ? () : @texts)
			{
				print STDERR "$file:$s->[2]: RAISE with text of its own, never translated: '"
				  . substr($s->[1], 0, 60) . "'; use pointsys.refuse\n";
				$failed = 1;
			}
			$i = $j;
		}
	}
}
exit $failed;
