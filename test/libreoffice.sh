#!/bin/bash
# test/libreoffice.sh: a report designer's LibreOffice, headless, with
# Debian's packages (issue 24): LibreOffice's ODBC driver (sdbc:odbc) over
# psqlODBC (odbc-postgresql, unixODBC), through README's DSN as written,
# driven by Python-UNO (libreoffice-core, libreoffice-base, python3-uno).
# Run as root on Debian 12:
#
#     bash test/libreoffice.sh
#
# test/clients.sh's private install, throwaway cluster, sample bureau and
# README's DSN (test/clients/readme_dsn.sh, with a second DSN that lacks
# `UpdatableCursors = 0`), running test/clients/libreoffice_check.py in a C
# locale: README's LibreOffice queries through LibreOffice's SQL parser and
# a RowSet, "year" and "quarter" quoted (refused unquoted), the figures at
# scale 2, a grade filter and Chinese text with the character set UTF-8
# (failing without it), the ctid error without README's line.  A step of
# its own in test/check.sh: LibreOffice is heavy.
#
# Environment: PG_CONFIG, KEEP_WORK=1 (see lib.sh), CLIENTS_PORT (54391).
set -euo pipefail
exec env CLIENTS=libreoffice bash "$(dirname "${BASH_SOURCE[0]}")/clients.sh"
