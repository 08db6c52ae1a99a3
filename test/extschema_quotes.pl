#!/usr/bin/perl
# test/extschema_quotes.pl FILE...: where an extension script writes
# @extschema@ inside quoted text.  CREATE EXTENSION substitutes it
# everywhere, quotes or not, so inside a string literal, a quoted
# identifier or a dollar-quoted body (a function's, a DO block's) a schema
# name could end the quotes (CVE-2023-39417).  src/sql/00_header.sql says
# what to write instead: the fixed schema name, pointsys.
#
# Reads SQL as the server's lexer does for this purpose: -- and nested
# /* */ comments, '...' (doubled quotes), E'...' (backslash escapes),
# "..." and $tag$...$tag$; a line of psql's (\echo) is skipped.  Prints
# FILE:LINE: for each, and exits 1 if there is any.
use strict;
use warnings;

my $bad = 0;
for my $file (@ARGV) {
	open(my $fh, '<:encoding(UTF-8)', $file) or die "$file: $!\n";
	my $sql = do { local $/; <$fh> };
	close $fh;
	$sql =~ s/^\\[^\n]*//mg;    # psql's own lines, kept as empty lines
	# report each @extschema@ of the quoted text from $start to pos($sql)
	my $where = sub {
		my ($start, $what) = @_;
		my $text = substr($sql, $start, pos($sql) - $start);
		while ($text =~ /\@extschema\@/g) {
			my $line = 1 + (substr($sql, 0, $start + $-[0]) =~ tr/\n//);
			print "$file:$line: \@extschema\@ inside $what\n";
			$bad = 1;
		}
	};
	pos($sql) = 0;
	while (pos($sql) < length $sql) {
		my $start = pos($sql);
		if ($sql =~ /\G--[^\n]*/gc) {
		} elsif ($sql =~ /\G\/\*/gc) {
			my $depth = 1;
			while ($depth > 0 && $sql =~ /\G(\/\*|\*\/|.)/gcs) {
				$depth++ if $1 eq '/*';
				$depth-- if $1 eq '*/';
			}
		} elsif ($sql =~ /\G[Ee]'(?:[^'\\]|\\.|'')*'/gcs || $sql =~ /\G'(?:[^']|'')*'/gcs) {
			$where->($start, 'a string literal');
		} elsif ($sql =~ /\G"(?:[^"]|"")*"/gcs) {
			$where->($start, 'a quoted identifier');
		} elsif ($sql =~ /\G(\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$)/gc) {
			my $tag = $1;
			$sql =~ /\G.*?\Q$tag\E/gcs or die "$file: $tag is not closed\n";
			$where->($start, "a $tag quoted body");
		} else {
			# a word (with $ and @ in it: $1, @extschema@) or one character
			$sql =~ /\G(?:[A-Za-z_0-9\$\@]+|.)/gcs;
		}
	}
}
exit $bad;
