"""test/clients/psycopg_check.py: a report designer and a clerk through
psycopg 3 (Debian's python3-psycopg), run by test/clients.sh.

The reporting login "report" reads the views in text and in binary mode:
the published figures arrive as decimals with two places and the column
metadata says scale 2; grades arrive as their labels; a grade filter takes
a Python str.  The recorder "clerk" (lc_messages = 'zh_CN.UTF-8') reads a
refusal's SQLSTATE and fields from e.diag, and a dry run of the bulk
import.  Prints "ok N - ..." / "not ok N - ..."; exits 1 if one failed.
"""
import decimal

import psycopg
from psycopg.types.json import Jsonb

from client_checks import LABELS, PORT, check, finish


def connect(user):
    return psycopg.connect(f"host=127.0.0.1 port={PORT} dbname=bureau user={user}", autocommit=True)


FIGURES = {"q1", "q2", "q3", "q4", "assessment", "total"}

with connect("report") as conn:
    for binary in (False, True):
        mode = "binary" if binary else "text"
        cur = conn.cursor(binary=binary)
        cur.execute("SELECT member_id, q1, q2, q3, q4, assessment, total, grade, eligibility, eligibility_label"
                    " FROM annual_results WHERE year = 2024 ORDER BY member_id")
        cols = {c.name: c for c in cur.description}
        rows = cur.fetchall()
        check(len(rows) >= 30, f"{mode}: annual_results has the sample bureau's 2024 ({len(rows)} rows)")
        check(all(cols[f].type_code == 1700 and cols[f].scale == 2 for f in FIGURES),
              f"{mode}: q1..q4, assessment, total are numeric with scale 2 in the metadata "
              f"(got {[(f, cols[f].type_code, cols[f].precision, cols[f].scale) for f in sorted(FIGURES)]})")
        check(cols["total"].precision == 5 and cols["assessment"].precision == 14,
              f"{mode}: total numeric(5,2), assessment numeric(14,2) "
              f"(got {cols['total'].precision}, {cols['assessment'].precision})")
        values = [r[i] for r in rows for i in range(1, 7) if r[i] is not None]
        check(values and all(isinstance(v, decimal.Decimal) and v.as_tuple().exponent == -2 for v in values),
              f"{mode}: every figure is a Decimal with two places (e.g. {values[:3]})")
        grades = [r[7] for r in rows if r[7] is not None]
        if binary:
            # an extension type psycopg does not know arrives as its bytes:
            # the label in UTF-8 since 1.3 (1.1 sent one byte)
            grades = [bytes(g).decode("utf-8") for g in grades]
        check(grades and set(grades) <= LABELS and len(set(grades)) == 4,
              f"{mode}: grades are their labels, all four present (got {sorted(set(grades))})")
        labels = {r[9] for r in rows if r[9] is not None}
        check("优先推荐参加市级以上评先树优" in labels, f"{mode}: eligibility_label in Chinese (got {sorted(labels)})")
        cur.execute("SELECT count(*) FROM annual_results WHERE year = 2024 AND grade >= %s", ["良好"])
        at_least_good = cur.fetchone()[0]
        check(at_least_good == sum(1 for g in grades if g in ("良好", "优秀")),
              f"{mode}: grade >= %s with a str parameter ({at_least_good} rows)")
        cur.execute("SELECT study, reward, total FROM monthly_scores WHERE member_id = 'm01' ORDER BY month LIMIT 1")
        row = cur.fetchone()
        check([c.scale for c in cur.description] == [2, 2, 2] and row == (decimal.Decimal("20.00"), decimal.Decimal("10.00"), decimal.Decimal("100.00")),
              f"{mode}: monthly_scores at scale 2 (got {row})")
        # every figure of every report and paperwork function (issue 24)
        for what, sql, want in (
                ("rankings", "SELECT score FROM rankings WHERE year = 2024", {"score": 14}),
                ("record_sheet", "SELECT award_points, reward, total FROM record_sheet WHERE month >= '2024-01-01'",
                 {"award_points": 14, "reward": 14, "total": 14}),
                ("annual_results", "SELECT democratic FROM annual_results WHERE year = 2024", {"democratic": 5}),
                ("publicity()", "SELECT m1, m2, m3, score FROM pointsys.publicity('b1', 2024, 1)",
                 {"m1": 14, "m2": 14, "m3": 14, "score": 14}),
                ("annual_publicity()",
                 "SELECT q1, q2, q3, q4, assessment, democratic, total FROM pointsys.annual_publicity('b1', 2024)",
                 {"q1": 14, "q2": 14, "q3": 14, "q4": 14, "assessment": 14, "democratic": 5, "total": 5}),
                ("points_needed()", "SELECT monthly_total FROM pointsys.points_needed('m02', 2024, 85)",
                 {"monthly_total": 14})):
            cur.execute(sql)
            got = {c.name: (c.type_code, c.precision, c.scale) for c in cur.description}
            rows = cur.fetchall()
            values = [v for r in rows for v in r if v is not None]
            check(rows and all(got[c] == (1700, p, 2) for c, p in want.items())
                  and all(isinstance(v, decimal.Decimal) and v.as_tuple().exponent == -2 for v in values),
                  f"{mode}: {what}: {', '.join(f'{c} numeric({p},2)' for c, p in want.items())}, two places "
                  f"(got {got}, e.g. {rows[:1]})")
        cur.execute("SELECT points FROM record_sheet WHERE member_id = 'm01' ORDER BY month LIMIT 1")
        points = cur.fetchone()[0]
        check(points and all(v is None or (isinstance(v, decimal.Decimal) and v.as_tuple().exponent == -2)
                             for v in points),
              f"{mode}: record_sheet.points, numeric(5,2)[]: each item's points with two places (got {points[:3]})")

with connect("clerk") as conn:
    cur = conn.cursor()
    try:
        cur.execute("INSERT INTO pointsys.score (member_id, month, item, points) VALUES (%s, %s, %s, %s)",
                    ["c01", "2026-03-01", "org_life", decimal.Decimal("4.5")])
        check(False, "a score above the maximum is refused")
    except psycopg.Error as e:
        d = e.diag
        check(e.sqlstate == "22003", f"refusal: SQLSTATE 22003 (got {e.sqlstate})")
        check((d.schema_name, d.table_name, d.column_name, d.constraint_name)
              == ("pointsys", "score", "points", "score_points_max"),
              f"refusal: pointsys.score.points, score_points_max (got {d.schema_name}.{d.table_name}.{d.column_name}, {d.constraint_name})")
        check("超过考核项目" in (d.message_primary or "") and "4.5" in (d.message_detail or ""),
              f"refusal: Chinese message, the value in the detail (got {d.message_primary} / {d.message_detail})")
    sheet = [{"member_id": "c01", "month": "2026-03-01", "item": "org_life", "points": 4},
             {"member_id": "c01", "month": "2026-03-01", "item": "nap", "points": 1}]
    cur.execute("SELECT row_number, field, error_code, constraint_name FROM pointsys.import_scores(%s, dry_run => true)",
                [Jsonb(sheet)])
    got = cur.fetchall()
    check(got == [(2, "item", "23503", "score_item_fkey")], f"dry run: row 2's item (got {got})")
    cur.execute("SELECT count(*) FROM pointsys.import_scores(%s)", [Jsonb(sheet[:1])])
    check(cur.fetchone()[0] == 0, "the good sheet loads")
    cur.execute("SELECT points FROM pointsys.score WHERE member_id = 'c01' AND month = '2026-03-01'")
    check(cur.fetchall() == [(decimal.Decimal("4"),)], "its row is stored")

finish("psycopg")
