/*
 * test/sanitize_preload.c: preloaded after the AddressSanitizer runtime into
 * the stock PostgreSQL server by test/sanitize.sh.  Not part of pointsys.
 *
 * Why: with `LD_PRELOAD=libasan.so postgres`, the runtime's own constructor
 * runs last (the dynamic loader runs preloaded libraries' constructors after
 * those of the program's dependencies), so ASan initialises lazily at the
 * first malloc.  Debian's postgres pulls in libgpg-error (under libgcrypt),
 * whose constructor calls bindtextdomain(); that malloc()s while holding
 * glibc's gettext lock (_nl_state_lock, write-locked).  ASan's
 * initialisation then looks up the optional symbol swift_demangle with
 * dlsym() and clears the failure with dlerror(), which translates the
 * message with gettext: its read lock of the same lock fails (EDEADLK,
 * ignored), its unlock releases bindtextdomain's write lock, and
 * bindtextdomain's own unlock then underflows the reader count.  The next
 * bindtextdomain() (PostgreSQL's set_pglocale_pgservice, first thing in
 * main) waits forever.  Seen with gcc 12's libasan and clang 14's
 * libclang_rt.asan alike; found with a gdb watchpoint on the lock.
 *
 * The fix: define swift_demangle, so the lookup succeeds and dlerror() has
 * nothing to translate.  ASan calls it only to demangle Swift names in
 * reports; returning NULL makes it fall back to its C/C++ demangler.
 *
 * Second, UBSAN_OPTIONS.  gcc's UBSan runtime (libubsan, a dependency of the
 * sanitized pointsys.so) initialises at its first report, in a backend, and
 * reads its options from /proc/self/environ; but PostgreSQL has overwritten
 * that memory with the process title by then, so print_stacktrace and
 * abort_on_error would be silently ignored.  UBSan also asks the program for default
 * options through __ubsan_default_options(): we answer with UBSAN_OPTIONS as
 * getenv() sees it (PostgreSQL moved the environment, it did not lose it).
 */
#include <stddef.h>
#include <stdlib.h>

char	   *swift_demangle(const char *name, size_t name_len, char *out,
						   size_t *out_len, unsigned flags);

char *
swift_demangle(const char *name, size_t name_len, char *out, size_t *out_len,
			   unsigned flags)
{
	return NULL;
}

const char *__ubsan_default_options(void);

const char *
__ubsan_default_options(void)
{
	const char *options = getenv("UBSAN_OPTIONS");

	return options ? options : "";
}
