/*
 * module.c
 *		The module's entry point, _PG_init: the message catalog's text
 *		domain, the settings (settings.c), and the invalidation callbacks and
 *		hooks of owner_spi.c, caches.c, member_cache.c, quarter_check.c and refusal.c.
 *
 * Nothing includes this file's declarations: it sits above every other
 * file of src/ (doc/architecture.md).
 */
#include "pointsys.h"

#include "caches.h"
#include "member_cache.h"
#include "owner_spi.h"
#include "quarter_check.h"
#include "refusal.h"
#include "settings.h"

#include "miscadmin.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	pg_bindtextdomain(TEXTDOMAIN);
	settings_define();
	owner_spi_register_callbacks();
	caches_register_callbacks();
	member_cache_register_callbacks();
	quarter_check_register_callbacks();
	refusal_register_hook();
}
