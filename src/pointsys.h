/*
 * pointsys.h
 *		What every PostgreSQL-facing C file of pointsys shares, included
 *		first: postgres.h and the version differences (compat.h), fmgr, the
 *		text domain of the messages (TEXTDOMAIN, _()), and the ledger's
 *		first month.  Each file's own functions are declared in its own
 *		header (doc/architecture.md); this one declares none.
 */
#ifndef POINTSYS_H
#define POINTSYS_H

#include "postgres.h"

/*
 * pointsys's messages are translated from its own text domain,
 * "pointsys-<major>" (po/zh_CN.po, bound in _PG_init), as PL/pgSQL's are
 * from "plpgsql-<major>": ereport() and _() look them up there.
 */
#undef TEXTDOMAIN
#define TEXTDOMAIN PG_TEXTDOMAIN("pointsys")
#undef _
#ifdef ENABLE_NLS
#define _(x) dgettext(TEXTDOMAIN, x)
#else
#define _(x) (x)
#endif

#include "compat.h"

#include "fmgr.h"
#include "utils/date.h"

/* the ledger's first month: the Communist Party of China was founded in July 1921 */
#define FOUNDING_YEAR 1921
#define FOUNDING_MONTH 7

#endif							/* POINTSYS_H */
