#!/bin/bash
# test/clients/readme_dsn.sh README PORT: README's ODBC DSN (the ```ini
# block after "ODBC (psqlODBC"), as written, pointed at the throwaway
# cluster: Servername 127.0.0.1, Port PORT, an empty password (trust).
# Prints an odbc.ini for unixODBC ($ODBCINI); used by test/clients.sh and
# test/libreoffice.sh, so that the README's text is what they test.
set -euo pipefail
readme=$1 port=$2
dsn=$(awk '/^ODBC \(psqlODBC/ { m = 1 } m && /^```ini$/ { b = 1; next } b && /^```$/ { exit } b { print }' "$readme")
grep -q '^\[bureau\]$' <<<"$dsn" || { echo "no [bureau] DSN in $readme" >&2; exit 1; }
grep -q '^Servername = ' <<<"$dsn" || { echo "no Servername in $readme's DSN" >&2; exit 1; }
sed -e '/^Port *=/d' -e "s/^Servername = .*/Servername = 127.0.0.1\nPort = $port/" -e 's/^Password = .*/Password =/' <<<"$dsn"
