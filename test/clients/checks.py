"""test/clients/checks.py: the "ok N - what" / "not ok N - what" lines of
the client checks, and their summary (exit 1 if one failed)."""
import sys

counts = {"n": 0, "failed": 0}


def check(ok, what):
    counts["n"] += 1
    if not ok:
        counts["failed"] += 1
    print(("ok " if ok else "not ok ") + f"{counts['n']} - {what}", flush=True)


def finish(client):
    n, failed = counts["n"], counts["failed"]
    print(f"{client}: all {n} checks passed" if not failed else f"{client}: {failed} of {n} checks failed")
    sys.exit(1 if failed else 0)
