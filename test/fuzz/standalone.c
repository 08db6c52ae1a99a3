/*
 * test/fuzz/standalone.c
 *		A small stand-in for libFuzzer, for machines without clang's
 *		fuzzer runtime: runs a harness's LLVMFuzzerTestOneInput on the seed
 *		corpus, then on random mutations of it (bit flips, byte edits,
 *		dictionary tokens, splices) until a time or run budget is spent.
 *		Built with gcc -fsanitize=address,undefined.  It takes the
 *		libFuzzer options run.sh uses and prints the same final statistic
 *		line; on a failure it writes the input to <artifact_prefix>crash.
 *
 *	standalone [-max_total_time=S] [-runs=N] [-seed=N] [-artifact_prefix=P]
 *			   [-max_len=N] corpus_dir_or_file...
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

#include "fuzz.h"

#define MAX_SEEDS 4096

static uint8_t *seeds[MAX_SEEDS];
static size_t seed_len[MAX_SEEDS];
static int	nseeds;

static const uint8_t *current;
static size_t current_len;
static char artifact[4096] = "./";

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
next_random(void)
{
	return fuzz_random(&rng);
}

static void
save_current(void)
{
	char		path[4200];
	FILE	   *f;

	if (current == NULL)
		return;					/* not inside the harness */
	snprintf(path, sizeof(path), "%scrash", artifact);
	f = fopen(path, "wb");
	if (f != NULL)
	{
		if (current_len > 0)
			fwrite(current, 1, current_len, f);
		fclose(f);
		fprintf(stderr, "standalone: the failing input is in %s\n", path);
	}
}

static void
on_signal(int sig)
{
	save_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
add_seed(const uint8_t *data, size_t len)
{
	if (nseeds >= MAX_SEEDS)
		return;
	seeds[nseeds] = malloc(len ? len : 1);
	memcpy(seeds[nseeds], data, len);
	seed_len[nseeds++] = len;
}

static void
load_file(const char *path)
{
	FILE	   *f = fopen(path, "rb");
	uint8_t		buf[1 << 16];
	size_t		len;

	if (f == NULL)
		return;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	add_seed(buf, len);
}

static void
load(const char *path)
{
	struct stat st;
	DIR		   *dir;
	struct dirent *e;

	if (stat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode))
	{
		load_file(path);
		return;
	}
	if ((dir = opendir(path)) == NULL)
		return;
	while ((e = readdir(dir)) != NULL)
	{
		char		child[4096];

		if (e->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
		load(child);
	}
	closedir(dir);
}

/* Run one input from an exact-size heap copy, so that ASan sees overreads */
static void
run_one(const uint8_t *data, size_t len)
{
	uint8_t    *copy = malloc(len ? len : 1);

	memcpy(copy, data, len);
	current = copy;
	current_len = len;
	LLVMFuzzerTestOneInput(copy, len);
	current = NULL;
	free(copy);
}

static const char *const tokens[] = {
	"totals ", "rows ", "2024", " ", ":", "+", ".", "-", "\n", "0", "1", "9",
	"12:", "000000", "999999999999", "1000000000000", "0.000001", "100.000000",
	"85.500000", "\xe4\xbc\x98\xe7\xa7\x80", "\xe4\xb8\x8d\xe5\x90\x88\xe6\xa0\xbc",
	"\xe3\x80\x80", "Excellent", "qualified", "warning", "law_violation",
	"\xff\xff\xff\xff\xff\xff\xff\xff", "\x00\x00\x00\x00",
};

static size_t
mutate(uint8_t *buf, size_t len, size_t max_len)
{
	int			rounds = 1 + (int) (next_random() % 4);

	while (rounds-- > 0)
	{
		size_t		at = len ? (size_t) (next_random() % (len + 1)) : 0;

		switch (next_random() % 7)
		{
			case 0:				/* flip a bit */
				if (len > 0)
					buf[at % len] ^= (uint8_t) (1u << (next_random() % 8));
				break;
			case 1:				/* set a byte */
				if (len > 0)
					buf[at % len] = (uint8_t) next_random();
				break;
			case 2:				/* insert a byte */
				if (len < max_len)
				{
					memmove(buf + at + 1, buf + at, len - at);
					buf[at] = (uint8_t) next_random();
					len++;
				}
				break;
			case 3:				/* delete a few bytes */
				if (len > 0)
				{
					size_t		n = 1 + (size_t) (next_random() % 4);

					at %= len;
					if (n > len - at)
						n = len - at;
					memmove(buf + at, buf + at + n, len - at - n);
					len -= n;
				}
				break;
			case 4:				/* insert a token */
				{
					const char *t = tokens[next_random() % (sizeof(tokens) / sizeof(tokens[0]))];
					size_t		n = strlen(t) ? strlen(t) : 1;

					if (len + n <= max_len)
					{
						memmove(buf + at + n, buf + at, len - at);
						memcpy(buf + at, t, n);
						len += n;
					}
				}
				break;
			case 5:				/* splice in part of another seed */
				if (nseeds > 0)
				{
					int			s = (int) (next_random() % (uint64_t) nseeds);
					size_t		from = seed_len[s] ? (size_t) (next_random() % seed_len[s]) : 0;
					size_t		n = seed_len[s] - from;

					if (n > max_len - at)
						n = max_len - at;
					memcpy(buf + at, seeds[s] + from, n);
					if (at + n > len)
						len = at + n;
				}
				break;
			default:			/* an ASCII digit */
				if (len > 0)
					buf[at % len] = (uint8_t) ('0' + next_random() % 10);
				break;
		}
	}
	return len;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	double		max_time = 10;
	long long	max_runs = -1;
	size_t		max_len = 512;
	long long	runs = 0;
	double		start = now();
	uint8_t    *buf;
	int			i;

	for (i = 1; i < argc; i++)
	{
		if (strncmp(argv[i], "-max_total_time=", 16) == 0)
			max_time = atof(argv[i] + 16);
		else if (strncmp(argv[i], "-runs=", 6) == 0)
			max_runs = atoll(argv[i] + 6);
		else if (strncmp(argv[i], "-seed=", 6) == 0)
			rng = strtoull(argv[i] + 6, NULL, 10);
		else if (strncmp(argv[i], "-max_len=", 9) == 0)
			max_len = (size_t) atol(argv[i] + 9);
		else if (strncmp(argv[i], "-artifact_prefix=", 17) == 0)
			snprintf(artifact, sizeof(artifact), "%s", argv[i] + 17);
		else if (argv[i][0] != '-')
			load(argv[i]);
	}
	signal(SIGABRT, on_signal);
	signal(SIGSEGV, on_signal);
	signal(SIGFPE, on_signal);
	__sanitizer_set_death_callback(save_current);

	/* the seeds as they are, and the empty input */
	run_one((const uint8_t *) "", 0);
	runs++;
	for (i = 0; i < nseeds; i++, runs++)
		run_one(seeds[i], seed_len[i]);

	buf = malloc(max_len + 1);
	while ((max_runs < 0 || runs < max_runs) && now() - start < max_time)
	{
		int			k;

		for (k = 0; k < 256 && (max_runs < 0 || runs < max_runs); k++, runs++)
		{
			size_t		len = 0;

			if (nseeds > 0 && next_random() % 8 != 0)
			{
				int			s = (int) (next_random() % (uint64_t) nseeds);

				len = seed_len[s] < max_len ? seed_len[s] : max_len;
				memcpy(buf, seeds[s], len);
			}
			else
			{
				len = (size_t) (next_random() % 64);
				for (size_t j = 0; j < len; j++)
					buf[j] = (uint8_t) next_random();
			}
			len = mutate(buf, len, max_len);
			run_one(buf, len);
		}
	}
	free(buf);
	for (i = 0; i < nseeds; i++)
		free(seeds[i]);
	fprintf(stderr, "stat::number_of_executed_units: %lld\n", runs);
	fprintf(stderr, "Done %lld runs in %.0f second(s)\n", runs, now() - start);
	return 0;
}
