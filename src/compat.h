/*
 * compat.h
 *		Every difference between the PostgreSQL majors pointsys builds on
 *		(15, 17 and 18), behind PG_VERSION_NUM, in this one place.
 *
 * Included by pointsys.h right after postgres.h; the C files use the names
 * defined here instead of the server's API where the API differs.
 */
#ifndef POINTSYS_COMPAT_H
#define POINTSYS_COMPAT_H

#include "postgres.h"

#if !((PG_VERSION_NUM >= 150000 && PG_VERSION_NUM < 160000) || \
	  (PG_VERSION_NUM >= 170000 && PG_VERSION_NUM < 190000))
#error "pointsys supports PostgreSQL 15, 17 and 18 only"
#endif

/*
 * 16 split the varlena macros (VARDATA, VARSIZE_ANY_EXHDR, SET_VARSIZE, ...)
 * out of postgres.h into varatt.h.
 */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * 16 replaced the per-class ownership checks (pg_extension_ownercheck, ...)
 * by object_ownercheck(classid, objectid, roleid).
 */
#include "utils/acl.h"
#if PG_VERSION_NUM >= 160000
#include "catalog/pg_extension.h"
#define pointsys_extension_ownercheck(ext_oid, roleid) \
	object_ownercheck(ExtensionRelationId, (ext_oid), (roleid))
#else
#define pointsys_extension_ownercheck(ext_oid, roleid) \
	pg_extension_ownercheck((ext_oid), (roleid))
#endif

/*
 * 17 moved the backend's local transaction id from PGPROC.lxid into
 * PGPROC.vxid.lxid.  Use as: pointsys_current_lxid() (needs storage/proc.h).
 */
#if PG_VERSION_NUM >= 170000
#define pointsys_current_lxid()	(MyProc->vxid.lxid)
#else
#define pointsys_current_lxid()	(MyProc->lxid)
#endif

/*
 * 16 added ExecInsertIndexTuples's onlySummarizing (for HOT updates).  Use
 * as: pointsys_insert_index_tuples(result_rel, slot, estate) for the index
 * entries of a newly inserted row (needs executor/executor.h).
 */
#if PG_VERSION_NUM >= 160000
#define pointsys_insert_index_tuples(rri, slot, estate) \
	ExecInsertIndexTuples((rri), (slot), (estate), false, false, NULL, NIL, false)
#else
#define pointsys_insert_index_tuples(rri, slot, estate) \
	ExecInsertIndexTuples((rri), (slot), (estate), false, false, NULL, NIL)
#endif

/*
 * lc_messages's value, declared in utils/pg_locale.h, which from 17 on
 * includes ICU's headers (a build would need libicu-dev): declared here.
 */
extern PGDLLIMPORT char *locale_messages;

/*
 * A function that never returns: from 18 on, pg_noreturn (C11's _Noreturn)
 * before the declaration; before 18, pg_attribute_noreturn() after it.
 */
#if PG_VERSION_NUM >= 180000
#define POINTSYS_NORETURN_BEFORE pg_noreturn
#define POINTSYS_NORETURN_AFTER
#else
#define POINTSYS_NORETURN_BEFORE
#define POINTSYS_NORETURN_AFTER pg_attribute_noreturn()
#endif

#endif							/* POINTSYS_COMPAT_H */
