/*
 * pointsys.c
 *		Module entry point: settings and cache invalidation callbacks.
 */
#include "pointsys.h"

#include "miscadmin.h"
#include "utils/guc.h"

#include "caches.h"
#include "owner_spi.h"
#include "refusal.h"
#include "workflow.h"

PG_MODULE_MAGIC;

int			pointsys_language = LANGUAGE_ZH;
char	   *pointsys_reason = NULL;
bool		pointsys_allow_drop = false;

static const struct config_enum_entry language_options[] = {
	{"zh", LANGUAGE_ZH, false},
	{"en", LANGUAGE_EN, false},
	{NULL, 0, false}
};

void		_PG_init(void);

void
_PG_init(void)
{
	pg_bindtextdomain(TEXTDOMAIN);
	DefineCustomEnumVariable("pointsys.language",
							 "Language of grade labels in output: zh (Chinese) or en (English).",
							 NULL,
							 &pointsys_language,
							 LANGUAGE_ZH,
							 language_options,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	DefineCustomStringVariable("pointsys.reason",
							   "Reason recorded in the audit trail for this session's changes.",
							   "SET LOCAL pointsys.reason before a correction; NULL when unset.",
							   &pointsys_reason,
							   NULL,
							   PGC_USERSET,
							   0,
							   NULL, NULL, NULL);
	DefineCustomBoolVariable("pointsys.allow_drop",
							 "Allows DROP EXTENSION pointsys while the ledger holds rows.",
							 "Dump the database first: dropping the extension drops the ledger.",
							 &pointsys_allow_drop,
							 false,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	MarkGUCPrefixReserved("pointsys");
	owner_spi_register_callbacks();
	caches_register_callbacks();
	quarter_check_register_callbacks();
	refusal_register_hook();
}
