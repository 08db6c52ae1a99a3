"""test/clients/libreoffice_check.py: a report designer in LibreOffice,
headless, through README's ODBC DSN (psqlODBC) and LibreOffice's own ODBC
driver (sdbc:odbc:bureau); run by test/libreoffice.sh with
/usr/bin/python3 (Debian's python3-uno).

It starts soffice with a profile of its own, makes a data source as Base
does (com.sun.star.sdb.DatabaseContext, the character set UTF-8 as README
says) and runs README's LibreOffice queries (the ```sql block after
"LibreOffice (Debian") the way a form or report runs them: through
LibreOffice's SQL parser (SingleSelectQueryComposer) and a RowSet, which
asks psqlODBC for an updatable cursor.  Checks: the queries parse with
"year" and "quarter" quoted (and not without); the rows arrive with their
figures at scale 2 in the metadata and as text with two decimals, the
grade filter and the Chinese labels intact (and not without the character
set, in the C locale it runs in); without UpdatableCursors = 0
(the DSN "bureau_updatable", README's DSN without that line) a view fails
with psqlODBC's ctid error, which the README's line avoids.  Run by
test/clients.sh with CLIENTS=libreoffice (test/libreoffice.sh).
Prints "ok N - ..." / "not ok N - ..."; exits 1 if one failed.

Usage: libreoffice_check.py README PROFILE_DIR
"""
import os
import re
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

from checks import check, finish

README, PROFILE = sys.argv[1], sys.argv[2]


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def error(e):
    return getattr(e, "Message", str(e)).replace("\0", "").strip()


# README's queries for LibreOffice, as written
text = open(README, encoding="utf-8").read()
block = re.search(r"^LibreOffice \(Debian.*?^```sql\n(.*?)^```$", text, re.S | re.M)
if not block:
    sys.exit(f"no LibreOffice sql block in {README}")
queries = [q.strip() for q in block.group(1).split(";") if q.strip()]
check(len(queries) == 2 and all('"year"' in q for q in queries) and any('"quarter"' in q for q in queries)
      and any("grade" in q for q in queries),
      f"README's LibreOffice queries quote \"year\" and \"quarter\", one filters a grade ({len(queries)} queries)")

pipe = f"pointsys_lo_{os.getpid()}"
office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
                           "--nolockcheck", f"-env:UserInstallation=file://{PROFILE}",
                           f"--accept=pipe,name={pipe};urp;"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if office.poll() is not None:
                sys.exit("soffice stopped")
            time.sleep(0.5)
    else:
        sys.exit("soffice did not answer")
    smgr = ctx.ServiceManager
    databases = smgr.createInstanceWithContext("com.sun.star.sdb.DatabaseContext", ctx)

    def connect(dsn, charset="UTF-8"):
        """a data source as Base makes it: ODBC, the character set UTF-8"""
        source = databases.createInstance()
        source.URL = f"sdbc:odbc:{dsn}"
        source.Info = (prop("CharSet", charset),) if charset else ()
        return source.getConnection("", "")

    def parses(conn, sql):
        composer = conn.createInstance("com.sun.star.sdb.SingleSelectQueryComposer")
        try:
            composer.setQuery(sql)
            return True, composer.getQuery()
        except Exception as e:
            return False, error(e)

    def rowset(conn, sql):
        """the rows as a form or report reads them (a RowSet, its command parsed)"""
        rs = smgr.createInstanceWithContext("com.sun.star.sdb.RowSet", ctx)
        rs.ActiveConnection = conn
        rs.CommandType = 2  # COMMAND
        rs.Command = sql
        rs.EscapeProcessing = True
        rs.execute()
        md = rs.getMetaData()
        cols = {md.getColumnName(i): (md.getPrecision(i), md.getScale(i)) for i in range(1, md.getColumnCount() + 1)}
        names = [md.getColumnName(i) for i in range(1, md.getColumnCount() + 1)]
        rows = []
        while rs.next():
            rows.append({c: rs.getString(i + 1) for i, c in enumerate(names)})
        rs.dispose()
        return cols, rows

    conn = connect("bureau")
    for sql in queries:
        ok, got = parses(conn, sql)
        check(ok, f"LibreOffice's parser takes {sql[:60]}… (got {got[:120]})")
    unquoted = re.sub(r'"(year|quarter)"', r"\1", queries[0])
    ok, got = parses(conn, unquoted)
    check(not ok, f"and refuses it with year and quarter unquoted (got {got[:80]})")

    ranking = next(q for q in queries if '"quarter"' in q)
    cols, rows = rowset(conn, ranking)
    check(len(rows) >= 10, f"rankings through the DSN: {len(rows)} rows of 2024-Q1")
    check(cols.get("score") == (14, 2), f"score: precision 14, scale 2 in the metadata (got {cols.get('score')})")
    check(rows and all(re.fullmatch(r"\d+\.\d\d", r["score"]) for r in rows),
          f"every score with two decimals (e.g. {[r['score'] for r in rows[:3]]})")
    check(any(r["member_id"] == "m01" and r["score"] == "93.33" and r["branch_rank"] == "1" for r in rows),
          "m01: 93.33, rank 1 in its branch")

    graded = next(q for q in queries if "grade" in q)
    cols, rows = rowset(conn, graded)
    grades = {r["grade"] for r in rows}
    check(rows and grades <= {"优秀", "良好"} and "优秀" in grades,
          f"the grade filter (>= '良好') in Chinese: {len(rows)} rows, grades {sorted(grades)}")
    check(cols.get("total") == (5, 2) and all(re.fullmatch(r"\d+\.\d\d", r["total"]) for r in rows),
          f"total: numeric(5,2), two decimals (got {cols.get('total')}, e.g. {[r['total'] for r in rows[:3]]})")
    _, rows = rowset(conn, 'SELECT "name", "branch_id" FROM "member" WHERE "member_id" = \'m01\'')
    check(rows == [{"name": "张伟", "branch_id": "b1"}], f"a Chinese name arrives intact (got {rows})")
    conn.close()

    # without the character set, in this C locale, the grade filter fails
    conn = connect("bureau", charset=None)
    try:
        _, rows = rowset(conn, graded)
        check(False, f"without the character set UTF-8 the grade filter fails (it gave {len(rows)} rows)")
    except Exception as e:
        check("invalid input syntax for type grade" in error(e),
              f"without the character set UTF-8 the grade filter fails (got {error(e)[:80]})")
    conn.close()

    # the same DSN without UpdatableCursors = 0: psqlODBC's updatable cursor
    # asks a view for ctid
    conn = connect("bureau_updatable")
    try:
        rowset(conn, ranking)
        check(False, "without UpdatableCursors = 0 a view fails (it did not: the line may be needless)")
    except Exception as e:
        check('column "ctid" does not exist' in error(e),
              f"without UpdatableCursors = 0 a view fails with the ctid error (got {error(e)[:100]})")
    conn.close()
finally:
    try:
        smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx).terminate()
    except Exception:
        pass
    try:
        office.wait(timeout=30)
    except subprocess.TimeoutExpired:
        office.kill()

finish("LibreOffice")
