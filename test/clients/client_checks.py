"""test/clients/client_checks.py: what the Python client checks share: the
port of test/clients.sh's server, the grade labels, and the "ok N - ..." /
"not ok N - ..." lines with the summary and the exit status (1 if a check
failed).  The scripts beside it import it (Python puts a script's own folder
first on its path).
"""
import os
import sys

PORT = os.environ.get("CLIENTS_PORT", "54391")
LABELS = {"优秀", "良好", "合格", "不合格"}
_n = _failed = 0


def check(ok, what):
    """Print one check's line; count it."""
    global _n, _failed
    _n += 1
    if not ok:
        _failed += 1
    print(("ok " if ok else "not ok ") + f"{_n} - {what}", flush=True)


def finish(client):
    """Print the summary for this client and exit: 1 if a check failed."""
    print(f"{client}: all {_n} checks passed" if not _failed else f"{client}: {_failed} of {_n} checks failed")
    sys.exit(1 if _failed else 0)
