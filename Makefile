# pointsys: 党员积分台账, a PostgreSQL extension (PGXS)

MODULE_big = pointsys
OBJS = \
	src/aggregates.o \
	src/audit.o \
	src/ballot_box.o \
	src/caches.o \
	src/csv.o \
	src/dates.o \
	src/drop_guard.o \
	src/fixedpoint.o \
	src/grade.o \
	src/ledger.o \
	src/ledger_state.o \
	src/member_cache.o \
	src/member_month.o \
	src/member_month_replicated.o \
	src/membership.o \
	src/module.o \
	src/month_key.o \
	src/numeric_points.o \
	src/owner_spi.o \
	src/period.o \
	src/quarter_check.o \
	src/refusal.o \
	src/row_jsonb.o \
	src/row_security.o \
	src/rulebook_guard.o \
	src/rules.o \
	src/scoring.o \
	src/settings.o \
	src/text_limits.o \
	src/trigger_check.o \
	src/write_rules.o

EXTENSION = pointsys
# The version is written once, in pointsys.control
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" pointsys.control)
# The install script of the current release is built (rule below) from the
# SQL source files src/sql/NN_concept.sql, one concept each, concatenated in
# name order.  The scripts of older releases are not kept whole: release
# 1.0's script and every update script, src/sql/updates/*.sql, take a
# database to any later release (PGXS installs them by their base name).
SQL_SOURCES = $(sort $(wildcard src/sql/*.sql))
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA = $(sort $(wildcard src/sql/updates/*.sql))
PGFILEDESC = "pointsys - party-member points ledger"

REGRESS = install grade scoring aggregates security ledger_rules ledger_reports process_roles generator owner_code city paperwork transfers refusals messages import import_csv filing audit_chain appraisal appraisal_sheets
REGRESS_OPTS = --encoding=UTF8 --no-locale
ISOLATION = rulebook_race quarter_race reopen_race month_ledger_race transfer_race delete_order mentoring_race membership_race appraisal_race
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

# PGXS tracks no header dependencies (Debian's server is built without
# --enable-depend): a changed header rebuilds every object
$(OBJS): $(wildcard src/*.h)

# Message catalogs (issue 11): po/<lang>.po compiled with msgfmt and
# installed as <localedir>/<lang>/LC_MESSAGES/pointsys-<major>.mo, the text
# domain PG_TEXTDOMAIN("pointsys") that _PG_init binds.  `make po-check`
# fails when a message of src/*.c has no translation.
PO_LANGUAGES = zh_CN
PO_FILES = $(addprefix po/,$(addsuffix .mo,$(PO_LANGUAGES)))
EXTRA_CLEAN += $(PO_FILES) po/pointsys.pot
MSGFMT ?= msgfmt

all: $(PO_FILES)

po/%.mo: po/%.po
	$(MSGFMT) -c -o $@ $<

install: install-po
install-po: $(PO_FILES)
	for lang in $(PO_LANGUAGES); do \
		$(MKDIR_P) '$(DESTDIR)$(localedir)'/$$lang/LC_MESSAGES && \
		$(INSTALL_DATA) po/$$lang.mo '$(DESTDIR)$(localedir)'/$$lang/LC_MESSAGES/pointsys-$(MAJORVERSION).mo || exit 1; \
	done
uninstall: uninstall-po
uninstall-po:
	for lang in $(PO_LANGUAGES); do \
		rm -f '$(DESTDIR)$(localedir)'/$$lang/LC_MESSAGES/pointsys-$(MAJORVERSION).mo; \
	done

# The SQL's messages too (issue 24): the message, detail and hint of every
# pointsys.refuse call of src/sql/*.sql, written as C for xgettext by
# po/sql_messages.pl (not src/sql/updates: their functions are replaced by
# the current source's).  po-check also fails on a refuse call whose text is
# not literal and on a RAISE with text of its own (the script's --check).
po/sql_messages.c: $(SQL_SOURCES) po/sql_messages.pl
	perl po/sql_messages.pl $(SQL_SOURCES) >$@.tmp && mv $@.tmp $@
EXTRA_CLEAN += po/sql_messages.c
po/pointsys.pot: $(wildcard src/*.c) po/sql_messages.c
	xgettext --from-code=UTF-8 -k_ -kgettext_noop -kerrmsg -kerrdetail -kerrhint -kerrmsg_plural:1,2 \
		--no-location --sort-output -o $@ $^
po-check: po/pointsys.pot
	@perl po/sql_messages.pl --check $(SQL_SOURCES)
	@for lang in $(PO_LANGUAGES); do \
		untranslated=$$(msgcmp po/$$lang.po po/pointsys.pot 2>&1) || \
			{ echo "$$untranslated"; echo "po/$$lang.po: messages without a translation"; exit 1; }; \
	done
.PHONY: install-po uninstall-po po-check

# The install script: the source files with a blank line between them
$(EXTENSION)--$(EXTVERSION).sql: $(SQL_SOURCES)
	awk 'FNR == 1 && NR > 1 { print "" } { print }' $^ >$@.tmp && mv $@.tmp $@

# The release tarball, from what is committed, with the built install
# script beside the sources (PGXN's META.json names it): `make dist`
dist: $(DATA_built)
	git archive --format=tar.gz --prefix=pointsys-$(EXTVERSION)/ \
		--add-file=$(DATA_built) -o pointsys-$(EXTVERSION).tar.gz HEAD
.PHONY: dist

# The benchmark (BENCHMARKS.md): as root, `make bench [MEMBERS=n] [REPS=n]`
bench:
	bash test/bench/run.sh
.PHONY: bench
