# pointsys: 党员积分台账, a PostgreSQL extension (PGXS)

MODULE_big = pointsys
OBJS = \
	src/aggregates.o \
	src/audit.o \
	src/caches.o \
	src/dates.o \
	src/drop_guard.o \
	src/fixedpoint.o \
	src/grade.o \
	src/ledger.o \
	src/ledger_state.o \
	src/member_month.o \
	src/numeric_points.o \
	src/owner_spi.o \
	src/pointsys.o \
	src/quarter_check.o \
	src/refusal.o \
	src/row_security.o \
	src/rulebook_guard.o \
	src/rules.o \
	src/scoring.o \
	src/trigger_check.o \
	src/workflow.o \
	src/write_rules.o

EXTENSION = pointsys
DATA = pointsys--1.0.sql pointsys--1.0--1.1.sql pointsys--1.1--1.2.sql pointsys--1.2.sql \
	pointsys--1.2--1.3.sql pointsys--1.3.sql
PGFILEDESC = "pointsys - party-member points ledger"

REGRESS = install grade scoring aggregates security ledger_rules ledger_reports process_roles generator owner_code refusals
REGRESS_OPTS = --encoding=UTF8 --no-locale
ISOLATION = rulebook_race quarter_race reopen_race month_ledger_race
ISOLATION_OPTS = --encoding=UTF8 --no-locale
# TAP tests (PostgreSQL::Test::Cluster; Debian's libipc-run-perl, run as
# postgres): `make installcheck TAP_TESTS=1` adds them to the quick tier
PROVE_TESTS ?= $(sort $(wildcard test/t/*.pl))

# `make ASAN=1`: pointsys built with AddressSanitizer and
# UndefinedBehaviorSanitizer, for test/sanitize.sh (which explains how the
# stock server loads it).  -fno-wrapv undoes the server's -fwrapv for our
# code, so that signed overflow is reported instead of wrapping silently.
ifeq ($(ASAN),1)
PG_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -fno-wrapv
PG_LDFLAGS += -fsanitize=address,undefined
endif

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# The release tarball, from what is committed: `make dist`
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" pointsys.control)
dist:
	git archive --format=tar.gz --prefix=pointsys-$(EXTVERSION)/ -o pointsys-$(EXTVERSION).tar.gz HEAD
.PHONY: dist

# The benchmark (BENCHMARKS.md): as root, `make bench [MEMBERS=n] [REPS=n]`
bench:
	bash test/bench/run.sh
.PHONY: bench
