"""test/clients/odbc_check.py: a reporting tool and a clerk through psqlODBC
(Debian's odbc-postgresql, registered with unixODBC as "PostgreSQL
Unicode"), driven by pyodbc; run by test/clients.sh.

The reporting login connects through README's DSN as written
(test/clients/readme_dsn.sh puts it in $ODBCINI) and reads annual_results:
the column metadata (SQLDescribeCol, as pyodbc's cursor.description)
gives scale 2 for the figures, values arrive as decimals, grades as
labels, and a grade filter takes a string parameter; rankings,
record_sheet and the paperwork functions' figures have scale 2 too
(issue 24).  The recorder's refusal arrives with its SQLSTATE
and Chinese message.  Prints "ok N - ..." / "not ok N - ..."; exits 1 if
one failed.
"""
import decimal

import pyodbc

from client_checks import LABELS, PORT, check, finish


def connect(user):
    return pyodbc.connect(f"Driver={{PostgreSQL Unicode}};Server=127.0.0.1;Port={PORT};"
                          f"Database=bureau;Uid={user};Pwd=;", autocommit=True)


def described(cur, sql, *params):
    """(type, precision, scale) of each column, and the rows"""
    cur.execute(sql, *params)
    return {d[0]: (d[1], d[4], d[5]) for d in cur.description}, cur.fetchall()


def two_places(rows):
    values = [v for r in rows for v in r if isinstance(v, decimal.Decimal)]
    return values and all(v.as_tuple().exponent == -2 for v in values)


# README's DSN (Username = report), as written
with pyodbc.connect("DSN=bureau", autocommit=True) as conn:
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
    # every figure of every report has its scale (issue 24)
    for what, sql, want in (
            ("rankings", "SELECT score, democratic FROM rankings r JOIN annual_results a USING (member_id, year)"
             " WHERE r.year = 2024 AND r.quarter IS NULL", {"score": 14, "democratic": 5}),
            ("record_sheet", "SELECT award_points, reward, total FROM record_sheet WHERE month >= '2024-01-01'",
             {"award_points": 14, "reward": 14, "total": 14}),
            ("publicity()", "SELECT m1, m2, m3, score FROM pointsys.publicity('b1', 2024, 1)",
             {"m1": 14, "m2": 14, "m3": 14, "score": 14}),
            ("annual_publicity()", "SELECT q1, assessment, democratic, total FROM pointsys.annual_publicity('b1', 2024)",
             {"q1": 14, "assessment": 14, "democratic": 5, "total": 5}),
            ("points_needed()", "SELECT monthly_total FROM pointsys.points_needed('m02', 2024, 85)",
             {"monthly_total": 14})):
        got, rows = described(cur, sql)
        check(rows and all(got[c] == (decimal.Decimal, p, 2) for c, p in want.items()) and two_places(rows),
              f"{what}: {', '.join(f'{c} numeric({p},2)' for c, p in want.items())}, two places "
              f"(got {got}, e.g. {rows[:1]})")

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
