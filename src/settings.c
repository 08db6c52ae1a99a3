/*
 * settings.c
 *		pointsys's settings: their variables and their definitions
 *		(DefineCustom*Variable), made once by _PG_init (module.c).
 */
#include "pointsys.h"

#include "settings.h"

#include "rules.h"

#include "utils/guc.h"

int			pointsys_language = LANGUAGE_ZH;
char	   *pointsys_reason = NULL;
bool		pointsys_allow_drop = false;

static const struct config_enum_entry language_options[] = {
	{"zh", LANGUAGE_ZH, false},
	{"en", LANGUAGE_EN, false},
	{NULL, 0, false}
};

/* Define the settings and reserve their prefix "pointsys." */
void
settings_define(void)
{
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
}
