#!/usr/bin/perl
# test/docs_blocks.pl TREE OUTDIR DOC...: the code blocks of Markdown
# documents, for test/docs.sh (doc/testing.md, "The documents are tested",
# says what the marks mean).  For each document, in order, writes its
# blocks to OUTDIR/NNNN.<kind> and one line per block to OUTDIR/manifest:
#     NNNN <TAB> kind <TAB> doc:line <TAB> role
# kind: sql or sh (to run), output (what the block before printed),
# skip (marked <!-- not run: reason -->, or <!-- run by test/t/NNN.pl: step N -->
# for a block that TAP test extracts and runs as written, with the output
# block after it), text (an untagged or `text` block: pictures, messages,
# output not checked).  Prints every fault in
# the documents, one a line, and exits 1 if there is any:
#   - a block that is neither run nor marked (java, python, ini, ... without
#     <!-- not run: reason -->), or a mark without a reason;
#   - a `text` or untagged block that looks like SQL or a shell command;
#   - an `output` block that does not follow a block that runs;
#   - an indented code block (write a fenced one with an info string);
#   - an inline `path` (a/b, or a file name with a known extension) that
#     names no file of TREE (a bare name may be anywhere in it);
#   - a link [..](file#anchor) to a missing file or heading.
use strict;
use warnings;
use utf8;
use open qw(:std :encoding(UTF-8));
use File::Find;
use File::Basename;

my ($tree, $out, @docs) = @ARGV;
my @faults;
my $n = 0;
open(my $manifest, '>', "$out/manifest") or die "$out/manifest: $!";

# every file of the tree (for bare names), and every path
my (%exists, %basename);
find({ no_chdir => 1, wanted => sub {
	my $p = $File::Find::name;
	return if $p =~ m{/\.git(/|$)};
	$p =~ s{^\Q$tree\E/?}{};
	$exists{$p} = 1;
	$exists{"$p/"} = 1 if -d $File::Find::name;
	$basename{ basename($p) } = 1;
} }, $tree);

# GitHub's heading anchors
sub slug {
	my $t = lc shift;
	$t =~ s/[^\p{Word}\- ]//g;
	$t =~ tr/ /-/;
	return $t;
}
my %anchors;
sub anchors_of {
	my $file = shift;
	return $anchors{$file} if $anchors{$file};
	my %a;
	if (open(my $fh, '<', "$tree/$file")) {
		my $fence = 0;
		while (<$fh>) {
			$fence = !$fence if /^\s*```/;
			next if $fence;
			$a{ slug($1) } = 1 if /^#+\s+(.*?)\s*$/;
		}
	}
	return $anchors{$file} = \%a;
}

my $code_like = qr/^\s*(?:(?:SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|GRANT|REVOKE|SET|WITH|BEGIN|COPY)\b
	|(?:\$\s|sudo\s|bash\s|psql\s|make\b|apt-get\s|pg_\w+\s|createdb\s|dpkg))/xi;

for my $doc (@docs) {
	open(my $fh, '<', "$tree/$doc") or die "$tree/$doc: $!";
	my @lines = <$fh>;
	chomp @lines;
	my $dir = dirname($doc);
	my ($last_run, $last_tap, $prev_blank, $in_list) = (0, 0, 1, 0);
	my $mark = '';
	for (my $i = 0; $i < @lines; $i++) {
		my $line = $lines[$i];
		my $where = "$doc:" . ($i + 1);
		if ($line =~ /^(\s*)```+\s*([^`\s]*)\s*$/) {
			my ($indent, $lang) = (length $1, $2);
			my @body;
			my $j = $i + 1;
			while ($j < @lines && $lines[$j] !~ /^\s*```+\s*$/) {
				my $l = $lines[$j];
				my $k = 0;
				$k++ while $k < $indent && substr($l, $k, 1) eq ' ';
				$l = substr($l, $k);
				push @body, $l;
				$j++;
			}
			push @faults, "$where: a fenced block that is not closed" if $j >= @lines;
			my ($kind, $role) = ('', 'postgres');
			my $tap_run = 0;
			if ($mark =~ /^not run:\s*(.*)$/) {
				push @faults, "$where: <!-- not run: --> without a reason" unless length $1;
				$kind = 'skip';
			} elsif ($mark =~ /^run by (\S+)(?::\s*step\s+\d+)?$/) {
				# run as written by a TAP test, which finds the block by this mark
				my $test = $1;
				push @faults, "$where: <!-- run by $test --> names no TAP test of the tree (test/t/NNN_name.pl)"
					unless $test =~ m{^test/t/[^/]+\.pl$} && $exists{$test};
				push @faults, "$where: <!-- run by $test --> is for sql and sh blocks"
					unless $lang eq 'sql' || $lang eq 'sh';
				($kind, $tap_run) = ('skip', 1);
			} elsif ($lang eq 'output' && $last_tap) {
				# what a block run by a TAP test printed: that test compares it
				$kind = 'skip';
			} elsif ($lang eq 'sql' || $lang eq 'sh') {
				$kind = $lang;
				$role = $1 if $mark =~ /^run as (\w+)$/;
				push @faults, "$where: <!-- run as ROLE --> is for sql blocks" if $role ne 'postgres' && $lang ne 'sql';
			} elsif ($lang eq 'output') {
				push @faults, "$where: an output block that follows no block that runs" unless $last_run;
				$kind = 'output';
			} elsif ($lang eq '' || $lang eq 'text') {
				my ($first) = grep { /\S/ } @body;
				push @faults, "$where: a text block that looks like code (give it sql or sh, or mark it <!-- not run: reason -->)"
					if defined $first && $first =~ $code_like;
				$kind = 'text';
			} else {
				push @faults, "$where: a $lang block neither run nor marked <!-- not run: reason -->";
				$kind = 'skip';
			}
			push @faults, "$where: a mark <!-- $mark --> before a block that does not run"
				if $mark =~ /^run as/ && $kind ne 'sql';
			$n++;
			my $id = sprintf('%04d', $n);
			open(my $b, '>', "$out/$id.$kind") or die "$out/$id.$kind: $!";
			print $b "$_\n" for @body;
			close $b;
			print $manifest "$id\t$kind\t$where\t$role\n";
			$last_run = ($kind eq 'sql' || $kind eq 'sh') ? 1 : ($kind eq 'output' ? $last_run : 0);
			$last_tap = $tap_run || ($lang eq 'output' && $last_tap);
			$i = $j;
			($mark, $prev_blank) = ('', 0);
			next;
		}
		if ($line =~ /^\s*<!--\s*(.*?)\s*-->\s*$/) {
			$mark = $1;
			next;
		}
		$mark = '' if $line =~ /\S/;
		# indented code blocks (outside lists)
		if ($line =~ /^(?:\s*[-*+]\s|\s*\d+\.\s)/ && $line !~ /^ {4}/) {
			$in_list = 1;
		} elsif ($line =~ /^\S/) {
			$in_list = 0;
		}
		push @faults, "$where: an indented code block (write a fenced block with an info string)"
			if $prev_blank && !$in_list && $line =~ /^ {4,}\S/;
		$prev_blank = $line !~ /\S/;
		# inline paths and links
		my $text = $line;
		while ($text =~ /`([^`\s]+)`/g) {
			my $p = $1;
			next if $p =~ m{^/|[*<>\$…{}=]|^https?:|^\.\.?/};
			next unless $p =~ m{^[\w.\-/]+$};
			next unless $p =~ m{\w/\w} || $p =~ /\.(?:sql|sh|c|h|pl|md|spec|json|po|supp|control)$/;
			next if $p =~ /^[\d.]/;
			# placeholders (pointsys--X.Y.sql) and PostgreSQL's own headers
			next if $p =~ /^pointsys--/ && $p !~ /^pointsys--[\d.]+(?:--[\d.]+)?\.sql$/;
			next if $p =~ /^(?:postgres|fmgr|varatt|pg_locale|funcapi|miscadmin)\.h$/;
			(my $q = $p) =~ s{/$}{};
			# a path starts with a top-level entry of the tree (grade_in/out is no path)
			next if $p =~ m{/} && !$exists{ (split m{/}, $p)[0] };
			if ($p =~ m{/}) {
				push @faults, "$where: `$p` names no file of the tree" unless $exists{$q} || $exists{"$q/"};
			} else {
				push @faults, "$where: `$p` names no file of the tree" unless $basename{$q};
			}
		}
		while ($text =~ /\]\(([^)\s]+)\)/g) {
			my $link = $1;
			next if $link =~ /^(?:https?|mailto):/;
			my ($file, $anchor) = split /#/, $link, 2;
			$file = $file eq '' ? $doc : ($dir eq '.' ? $file : "$dir/$file");
			1 while $file =~ s{[^/]+/\.\./}{};
			if (!$exists{$file}) {
				push @faults, "$where: link to $file, which does not exist";
			} elsif (defined $anchor && !anchors_of($file)->{$anchor}) {
				push @faults, "$where: link to $file#$anchor, which has no such heading";
			}
		}
	}
}
close $manifest;
print "$_\n" for @faults;
exit(@faults ? 1 : 0);
