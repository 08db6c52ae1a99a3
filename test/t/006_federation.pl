# Three bureaus federated into a city database with postgres_fdw (issue 13).
# bureau1 and bureau2 share one cluster, bureau3 has its own, the city a
# third; each bureau is a generated one (test/data/generate.sql) with its own
# member ids.  The city follows README's "City level" recipe: pointsys and
# postgres_fdw installed, a foreign server per bureau with extensions
# 'pointsys' (and async_capable), a user mapping to the bureau's reader,
# IMPORT FOREIGN SCHEMA, ANALYZE, and UNION ALL city views.  It proves:
#   1. the city's grade distribution (per bureau and city-wide), its ranking,
#      its quarter scores and averages and its annual assessments equal the
#      union of the bureaus' own local results, and a plain-SQL
#      recomputation (test/data/plain_report.sql, run in each bureau);
#   2. EXPLAIN VERBOSE shows each bureau doing the work: the grade filter,
#      GROUP BY grade, pointsys.quarter_avg, pointsys.annual_assessment and
#      the grouping by pointsys.year_of / pointsys.quarter_of are in the
#      Remote SQL, and the bureaus' rows are read concurrently (Async
#      Foreign Scan); without extensions 'pointsys' none of it is shipped.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $members = 300;
my %bureaus;    # name => node
my $east = PostgreSQL::Test::Cluster->new('east');
my $west = PostgreSQL::Test::Cluster->new('west');
my $city = PostgreSQL::Test::Cluster->new('city');
$_->init, $_->start for ($east, $west, $city);
@bureaus{qw(bureau1 bureau2 bureau3)} = ($east, $east, $west);
my @names = sort keys %bureaus;
my $tmp = PostgreSQL::Test::Utils::tempdir;

# --- the bureaus ------------------------------------------------------------------

my $seed = 0;
for my $b (@names)
{
	my $node = $bureaus{$b};
	$seed++;
	$node->safe_psql('postgres', qq{CREATE DATABASE $b ENCODING 'UTF8' TEMPLATE template0});
	$node->safe_psql($b, 'CREATE EXTENSION pointsys');
	$node->command_ok(
		[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', "members=$members", '-v', 'years=1',
		  '-v', "seed=$seed", '-v', "prefix=${b}_", '-d', $node->connstr($b),
		  '-f', 'test/data/generate.sql' ],
		"$b: a generated bureau of $members members");
	$node->command_ok(
		[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr($b),
		  '-f', 'test/data/plain_report.sql' ],
		"$b: the plain-SQL recomputation");
	# the city reads as the bureau's reader
	$node->safe_psql($b, q{
		DO $$ BEGIN
			IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'city_reader') THEN
				CREATE ROLE city_reader LOGIN;
			END IF;
		END $$;
		GRANT pointsys_reader TO city_reader;
		GRANT USAGE ON SCHEMA pointsys_plain TO city_reader;
		GRANT SELECT ON ALL TABLES IN SCHEMA pointsys_plain TO city_reader;
		ANALYZE;
	});

	# the bureau's own results, and the plain recomputation, to compare with
	$node->safe_psql($b, qq{
		\\copy (SELECT '$b', member_id, year, assessment, total, grade::text, 'local' FROM pointsys.annual_results) TO '$tmp/$b.results.local'
		\\copy (SELECT '$b', member_id, year, assessment, total, grade, 'plain' FROM pointsys_plain.annual_results) TO '$tmp/$b.results.plain'
		\\copy (SELECT '$b', member_id, year, quarter, score, 'local' FROM pointsys.quarterly_scores) TO '$tmp/$b.quarters.local'
		\\copy (SELECT '$b', member_id, year, quarter, score, 'plain' FROM pointsys_plain.quarterly) TO '$tmp/$b.quarters.plain'
	});
}

# --- the city: README's recipe ------------------------------------------------------

$city->safe_psql('postgres', q{CREATE DATABASE city ENCODING 'UTF8' TEMPLATE template0});
$city->safe_psql('postgres', q{ALTER DATABASE city SET search_path = "$user", public, pointsys});
my $setup = q{
	CREATE EXTENSION pointsys;
	CREATE EXTENSION postgres_fdw;
};
for my $b (@names)
{
	my $node = $bureaus{$b};
	my ($host, $port) = ($node->host, $node->port);
	$setup .= qq{
	CREATE SERVER $b FOREIGN DATA WRAPPER postgres_fdw
		OPTIONS (host '$host', port '$port', dbname '$b',
				 extensions 'pointsys', async_capable 'true', fetch_size '10000');
	CREATE USER MAPPING FOR CURRENT_USER SERVER $b OPTIONS (user 'city_reader');
	CREATE SCHEMA $b;
	IMPORT FOREIGN SCHEMA pointsys LIMIT TO (annual_results, monthly_scores, quarterly_scores)
		FROM SERVER $b INTO $b;
	ANALYZE $b.annual_results, $b.monthly_scores;
	};
}
my %arm = (
	annual_results => sub { "SELECT '$_[0]'::text AS bureau, r.* FROM $_[0].annual_results r" },
	grade_distribution => sub {
		"SELECT '$_[0]'::text AS bureau, year, grade, count(*) AS members
		 FROM $_[0].annual_results GROUP BY year, grade" },
	quarter_scores => sub {
		"SELECT '$_[0]'::text AS bureau, member_id, pointsys.year_of(month) AS year,
				pointsys.quarter_of(month) AS quarter, pointsys.quarter_avg(total) AS score,
				count(*) AS months
		 FROM $_[0].monthly_scores
		 GROUP BY member_id, pointsys.year_of(month), pointsys.quarter_of(month)" },
	assessments => sub {
		"SELECT '$_[0]'::text AS bureau, member_id, pointsys.year_of(month) AS year,
				pointsys.annual_assessment(month, total) AS assessment
		 FROM $_[0].monthly_scores GROUP BY member_id, pointsys.year_of(month)" },
);
$setup .= "CREATE SCHEMA city;\n";
for my $v (sort keys %arm)
{
	$setup .= "CREATE VIEW city.$v AS\n" . join("\nUNION ALL\n", map { $arm{$v}->($_) } @names) . ";\n";
}
$city->safe_psql('city', $setup);
pass('the city federates its bureaus');

# what the bureaus said themselves, and the plain recomputation
$city->safe_psql('city', join("\n",
	'CREATE SCHEMA check_;',
	'CREATE TABLE check_.results (bureau text, member_id text, year int, assessment numeric, total numeric, grade text, source text);',
	'CREATE TABLE check_.quarters (bureau text, member_id text, year int, quarter int, score numeric, source text);',
	map {
		my $b = $_;
		map { ("\\copy check_.results FROM '$tmp/$b.results.$_'", "\\copy check_.quarters FROM '$tmp/$b.quarters.$_'") }
			qw(local plain)
	} @names));
is($city->safe_psql('city', q{SELECT source, count(DISTINCT bureau), count(*) > 3 * 250 FROM check_.results GROUP BY 1 ORDER BY 1}),
	"local|3|t\nplain|3|t", 'every bureau\'s results are there to compare');

# --- 1. the city's figures --------------------------------------------------------

# [name, the city's query, the same over check_ (SOURCE: local or plain)]
my @reports = (
	[ 'grade distribution, city-wide',
	  q{SELECT year, grade::text, sum(members) FROM city.grade_distribution
		WHERE grade >= '合格' GROUP BY 1, 2 ORDER BY 1, 2},
	  q{SELECT year, grade, count(*) FROM check_.results
		WHERE source = 'SOURCE' AND grade IN ('合格', '良好', '优秀') GROUP BY 1, 2 ORDER BY 1, 2} ],
	[ 'grade distribution per bureau',
	  q{SELECT bureau, year, grade::text, members FROM city.grade_distribution ORDER BY 1, 2, 3},
	  q{SELECT bureau, year, grade, count(*) FROM check_.results WHERE source = 'SOURCE'
		GROUP BY 1, 2, 3 ORDER BY 1, 2, 3} ],
	[ 'ranking of the good and excellent',
	  q{SELECT bureau, member_id, round(total, 2), grade::text, rank() OVER (ORDER BY total DESC) AS r
		FROM city.annual_results WHERE year = 2024 AND grade >= '良好' ORDER BY r, member_id},
	  q{SELECT bureau, member_id, round(total, 2), grade, rank() OVER (ORDER BY total DESC) AS r
		FROM check_.results WHERE source = 'SOURCE' AND year = 2024 AND grade IN ('良好', '优秀')
		ORDER BY r, member_id} ],
	[ 'quarter scores',
	  q{SELECT bureau, member_id, year, quarter, round(score, 2) FROM city.quarter_scores ORDER BY 1, 2, 3, 4},
	  q{SELECT bureau, member_id, year, quarter, round(score, 2) FROM check_.quarters
		WHERE source = 'SOURCE' ORDER BY 1, 2, 3, 4} ],
	[ 'quarter averages, city-wide',
	  q{SELECT year, quarter, count(*), round(avg(score), 2) FROM city.quarter_scores GROUP BY 1, 2 ORDER BY 1, 2},
	  q{SELECT year, quarter, count(*), round(avg(score), 2) FROM check_.quarters
		WHERE source = 'SOURCE' GROUP BY 1, 2 ORDER BY 1, 2} ],
	[ 'annual assessments',
	  q{SELECT bureau, member_id, year, round(assessment, 2) FROM city.assessments ORDER BY 1, 2, 3},
	  q{SELECT bureau, member_id, year, round(assessment, 2) FROM check_.results
		WHERE source = 'SOURCE' ORDER BY 1, 2, 3} ],
	[ 'annual results',
	  q{SELECT bureau, member_id, year, round(assessment, 2), round(total, 2), grade::text
		FROM city.annual_results ORDER BY 1, 2, 3},
	  q{SELECT bureau, member_id, year, round(assessment, 2), round(total, 2), grade
		FROM check_.results WHERE source = 'SOURCE' ORDER BY 1, 2, 3} ],
);
for my $r (@reports)
{
	my ($name, $q_city, $q_check) = @$r;
	my $got = $city->safe_psql('city', $q_city);
	my $rows = () = $got =~ /^/mg;
	ok($rows >= 2, "$name: the city has rows ($rows)");
	for my $source (qw(local plain))
	{
		(my $q = $q_check) =~ s/SOURCE/$source/g;
		is($got, $city->safe_psql('city', $q),
			"$name: the city equals " . ($source eq 'local' ? 'the union of the bureaus\' own results' : 'the plain-SQL recomputation'));
	}
}
is($city->safe_psql('city', q{SELECT string_agg(DISTINCT grade::text, ' ' ORDER BY grade::text) FROM city.annual_results
	WHERE grade IS NOT NULL}),
	$city->safe_psql('city', q{SELECT string_agg(DISTINCT grade, ' ' ORDER BY grade) FROM check_.results WHERE grade IS NOT NULL}),
	'the grades come through as Chinese labels');
is($city->safe_psql('city', q{SELECT count(*) FROM city.annual_results WHERE vetoed}),
	$city->safe_psql('city', q{SELECT count(*) FROM check_.results WHERE source = 'local' AND grade = '不合格' AND total = 0}),
	'the vetoes come through');

# --- 2. what is pushed down ---------------------------------------------------------

# remote_sql(query): the Remote SQL lines of EXPLAIN VERBOSE, and the plan
sub remote_sql
{
	my ($db, $sql) = @_;
	my $plan = $city->safe_psql($db, "EXPLAIN (VERBOSE, COSTS OFF) $sql");
	my @remote = $plan =~ /Remote SQL: (.*)$/mg;
	return (\@remote, $plan);
}

my ($remote, $plan) = remote_sql('city',
	q{SELECT year, grade, sum(members) FROM city.grade_distribution WHERE grade >= '合格' GROUP BY 1, 2});
is(scalar(@$remote), 3, 'distribution: one remote query per bureau');
is(scalar(grep { /WHERE \(\(grade OPERATOR\(pointsys\.>=\) '合格'\)\) GROUP BY/ && /count\(\*\)/ } @$remote), 3,
	'distribution: the grade filter, GROUP BY grade and count(*) run in each bureau') or diag($plan);

($remote, $plan) = remote_sql('city',
	q{SELECT * FROM city.annual_results WHERE year = 2024 AND grade >= '良好'});
is(scalar(grep { /WHERE \(\(grade OPERATOR\(pointsys\.>=\) '良好'\)\) AND \(\(year = 2024\)\)/ } @$remote), 3,
	'ranking: the grade and year filters run in each bureau') or diag($plan);
is(scalar(() = $plan =~ /Async Foreign Scan/g), 3, 'ranking: the three bureaus are read concurrently') or diag($plan);

($remote, $plan) = remote_sql('city', q{SELECT * FROM city.quarter_scores WHERE year = 2024});
is(scalar(grep { /pointsys\.quarter_avg\(/ && /GROUP BY/ && /pointsys\.quarter_of\(/ && /pointsys\.year_of\(/ } @$remote), 3,
	'quarter scores: quarter_avg grouped by year_of and quarter_of runs in each bureau') or diag($plan);
unlike($plan, qr/^\s*(Finalize |Partial )?(Hash|Group)?Aggregate/m, 'quarter scores: nothing is aggregated in the city')
	or diag($plan);

($remote, $plan) = remote_sql('city', q{SELECT * FROM city.assessments});
is(scalar(grep { /pointsys\.annual_assessment\(/ && /GROUP BY/ && /pointsys\.year_of\(/ } @$remote), 3,
	'assessments: annual_assessment runs in each bureau') or diag($plan);

# the same without extensions 'pointsys': nothing of pointsys is shipped
my ($host, $port) = ($east->host, $east->port);
$city->safe_psql('city', qq{
	CREATE SERVER bureau1_plain FOREIGN DATA WRAPPER postgres_fdw
		OPTIONS (host '$host', port '$port', dbname 'bureau1');
	CREATE USER MAPPING FOR CURRENT_USER SERVER bureau1_plain OPTIONS (user 'city_reader');
	CREATE SCHEMA bureau1_plain;
	IMPORT FOREIGN SCHEMA pointsys LIMIT TO (annual_results, monthly_scores) FROM SERVER bureau1_plain INTO bureau1_plain;
});
($remote, $plan) = remote_sql('city',
	q{SELECT grade, count(*) FROM bureau1_plain.annual_results WHERE grade >= '合格' GROUP BY grade});
ok(@$remote == 1 && $remote->[0] !~ /GROUP BY|OPERATOR\(pointsys|WHERE/, 'without extensions \'pointsys\' neither filter nor grouping is shipped')
	or diag($plan);
($remote, $plan) = remote_sql('city',
	q{SELECT member_id, pointsys.quarter_of(month), pointsys.quarter_avg(total) FROM bureau1_plain.monthly_scores GROUP BY 1, 2});
ok(@$remote == 1 && $remote->[0] !~ /GROUP BY|pointsys\.quarter/, 'nor quarter_avg and quarter_of') or diag($plan);
is($city->safe_psql('city', q{SELECT grade::text, count(*) FROM bureau1_plain.annual_results WHERE grade >= '合格' GROUP BY 1 ORDER BY 1}),
	$city->safe_psql('city', q{SELECT grade::text, members FROM city.grade_distribution WHERE bureau = 'bureau1' AND grade >= '合格' ORDER BY 1}),
	'(the answer is the same, only slower)');

$_->stop for ($east, $west, $city);
done_testing();
