"""test/clients/odbc_check.py: a reporting tool and a clerk through psqlODBC
(Debian's odbc-postgresql, registered with unixODBC as "PostgreSQL
Unicode"), driven by pyodbc; run by test/clients.sh.

The reporting login reads annual_results: the column metadata
(SQLDescribeCol, as pyodbc's cursor.description) gives scale 2 for the
figures, values arrive as decimals, grades as labels, and a grade filter
takes a string parameter.  The recorder's refusal arrives with its SQLSTATE
and Chinese message.  Prints "ok N - ..." / "not ok N - ..."; exits 1 if
one failed.
"""
import decimal

import pyodbc

from client_checks import LABELS, PORT, check, finish


def connect(user):
    return pyodbc.connect(f"Driver={{PostgreSQL Unicode}};Server=127.0.0.1;Port={PORT};"
                          f"Database=bureau;Uid={user};Pwd=;", autocommit=True)


with connect("report") as conn:
    cur = conn.cursor()
    cur.execute("SELECT member_id, q1, assessment, total, grade, eligibility_label"
                " FROM annual_results WHERE year = 2024 ORDER BY member_id")
    desc = {d[0]: d for d in cur.description}
    rows = cur.fetchall()
    check(len(rows) >= 30, f"annual_results has the sample bureau's 2024 ({len(rows)} rows)")
    check(all(desc[c][1] is decimal.Decimal and desc[c][5] == 2 for c in ("q1", "assessment", "total")),
          f"q1, assessment, total: decimal columns with scale 2 "
          f"(got {[(c, desc[c][1], desc[c][4], desc[c][5]) for c in ('q1', 'assessment', 'total')]})")
    check(desc["total"][4] == 5 and desc["assessment"][4] == 14,
          f"precision 5 for total, 14 for assessment (got {desc['total'][4]}, {desc['assessment'][4]})")
    values = [v for r in rows for v in (r.q1, r.assessment, r.total) if v is not None]
    check(values and all(isinstance(v, decimal.Decimal) and v.as_tuple().exponent == -2 for v in values),
          f"every figure a decimal with two places (e.g. {values[:3]})")
    grades = {r.grade for r in rows if r.grade is not None}
    check(grades == LABELS, f"grades are their labels (got {sorted(grades)})")
    cur.execute("SELECT count(*) FROM annual_results WHERE year = 2024 AND grade = ?", "优秀")
    excellent = cur.fetchone()[0]
    check(excellent == sum(1 for r in rows if r.grade == "优秀") and excellent > 0,
          f"grade = ? with a string parameter ({excellent} rows)")

with connect("clerk") as conn:
    cur = conn.cursor()
    try:
        cur.execute("INSERT INTO pointsys.score (member_id, month, item, points) VALUES (?, ?, ?, ?)",
                    "c01", "2026-04-01", "role", decimal.Decimal("20.5"))
        check(False, "a score above the maximum is refused")
    except pyodbc.Error as e:
        state, message = e.args[0], e.args[1] if len(e.args) > 1 else ""
        check(state == "22003", f"refusal: SQLSTATE 22003 (got {state})")
        check("超过考核项目" in message, f"refusal: the Chinese message (got {message})")

finish("ODBC")
