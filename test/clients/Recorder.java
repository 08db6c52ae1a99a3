// test/clients/Recorder.java: a branch clerk's data-entry form through
// pgjdbc (test/clients.sh runs it with the JDK's single-file launcher:
// java -cp postgresql.jar Recorder.java HOST PORT).  The login "clerk"
// records for branch b1 and has lc_messages = 'zh_CN.UTF-8'.
// Prints "ok N - ..." / "not ok N - ..." per check; exits 1 if one failed.
import java.math.BigDecimal;
import java.sql.*;
import java.time.LocalDate;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

public class Recorder {
	static int n = 0, failed = 0;

	static void check(boolean ok, String what) {
		n++;
		if (!ok) failed++;
		System.out.println((ok ? "ok " : "not ok ") + n + " - " + what);
	}

	static int count(Connection c, String sql) throws SQLException {
		try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getInt(1);
		}
	}

	// One refused INSERT: its SQLSTATE, table, column, constraint and a piece of its Chinese message
	static void refused(Connection c, String member, String month, String item, String points,
						String state, String table, String column, String constraint, String zh) {
		String what = member + " " + month + " " + item + " " + points;
		try (PreparedStatement ps = c.prepareStatement(
				"INSERT INTO pointsys.score (member_id, month, item, points) VALUES (?, ?, ?, ?)")) {
			ps.setString(1, member);
			ps.setObject(2, LocalDate.parse(month));
			ps.setString(3, item);
			ps.setBigDecimal(4, new BigDecimal(points));
			ps.executeUpdate();
			check(false, what + ": refused (it was accepted)");
		} catch (PSQLException e) {
			ServerErrorMessage m = e.getServerErrorMessage();
			check(state.equals(e.getSQLState()), what + ": SQLSTATE " + state + " (got " + e.getSQLState() + ")");
			check(m != null && "pointsys".equals(m.getSchema()) && table.equals(m.getTable()),
				  what + ": table pointsys." + table + " (got " + (m == null ? null : m.getSchema() + "." + m.getTable()) + ")");
			check(m != null && java.util.Objects.equals(column, m.getColumn()),
				  what + ": column " + column + " (got " + (m == null ? null : m.getColumn()) + ")");
			check(m != null && constraint.equals(m.getConstraint()),
				  what + ": constraint " + constraint + " (got " + (m == null ? null : m.getConstraint()) + ")");
			check(m != null && m.getMessage() != null && m.getMessage().contains(zh),
				  what + ": Chinese message containing \"" + zh + "\" (got " + (m == null ? null : m.getMessage()) + ")");
		} catch (SQLException e) {
			check(false, what + ": a server error (got " + e + ")");
		}
	}

	public static void main(String[] args) throws Exception {
		String url = "jdbc:postgresql://" + args[0] + ":" + args[1] + "/bureau";
		try (Connection c = DriverManager.getConnection(url, "clerk", "")) {
			// a batch of prepared INSERTs: January 2026, every item
			try (PreparedStatement ps = c.prepareStatement(
					"INSERT INTO pointsys.score (member_id, month, item, points) VALUES (?, ?, ?, ?)");
				 Statement s = c.createStatement();
				 ResultSet items = s.executeQuery("SELECT item, max_points FROM pointsys.item ORDER BY item")) {
				int rows = 0;
				while (items.next()) {
					ps.setString(1, "c01");
					ps.setObject(2, LocalDate.of(2026, 1, 1));
					ps.setString(3, items.getString(1));
					ps.setBigDecimal(4, items.getBigDecimal(2));
					ps.addBatch();
					rows++;
				}
				int[] counts = ps.executeBatch();
				check(counts.length == rows && rows == 17, "a batch of " + rows + " prepared INSERTs runs");
			}
			check(count(c, "SELECT count(*) FROM pointsys.score WHERE member_id = 'c01' AND month = '2026-01-01'") == 17,
				  "the batch's 17 rows are stored");
			check(count(c, "SELECT count(*) FROM monthly_scores WHERE member_id = 'c01' AND total = 90.00") == 1,
				  "monthly_scores shows January at 90.00 (the database's search_path)");

			// each refusal a form can act on
			refused(c, "c01", "2026-02-01", "org_life", "4.5", "22003", "score", "points", "score_points_max", "超过考核项目");
			refused(c, "c01", "2026-02-01", "org_life", "-1", "22003", "score", "points", "score_points_min", "低于最低分");
			refused(c, "c01", "2026-02-01", "org_life", "1.25", "23514", "score", "points", "score_points_step", "计分步长");
			refused(c, "c01", "2026-02-01", "nap", "1", "23503", "score", "item", "score_item_fkey", "不在积分细则中");
			refused(c, "c99", "2026-02-01", "org_life", "4", "42501", "score", "member_id", "recorder_branch", "行级安全策略");
			refused(c, "c01", "0026-02-01", "org_life", "4", "22008", "score", "month", "score_month_after_founding", "早于 1921 年 7 月");
			refused(c, "c01", "2999-02-01", "org_life", "4", "22008", "score", "month", "score_month_not_future", "晚于当前月份");

			// a duplicate: PostgreSQL's 23505, with the key that row-level security would hide
			try (Statement s = c.createStatement()) {
				s.executeUpdate("INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('c01', '2026-01-01', 'org_life', 4)");
				check(false, "a duplicate score is refused");
			} catch (PSQLException e) {
				ServerErrorMessage m = e.getServerErrorMessage();
				check("23505".equals(e.getSQLState()) && m != null && "score_pkey".equals(m.getConstraint()),
					  "a duplicate score: 23505 on score_pkey (got " + e.getSQLState() + ")");
				check(m != null && m.getDetail() != null && m.getDetail().contains("(c01, 2026-01-01, org_life)"),
					  "its detail names the key (got " + (m == null ? null : m.getDetail()) + ")");
			}

			// a batch with a bad row: rejected, nothing of it stored
			try (PreparedStatement ps = c.prepareStatement(
					"INSERT INTO pointsys.score (member_id, month, item, points) VALUES (?, ?, ?, ?)")) {
				String[][] sheet = {{"org_life", "4"}, {"role", "20"}, {"exceed", "9"}, {"extra_duties", "3"}};
				for (String[] r : sheet) {
					ps.setString(1, "c01");
					ps.setObject(2, LocalDate.of(2026, 2, 1));
					ps.setString(3, r[0]);
					ps.setBigDecimal(4, new BigDecimal(r[1]));
					ps.addBatch();
				}
				ps.executeBatch();
				check(false, "a batch with a bad row is rejected");
			} catch (BatchUpdateException e) {
				SQLException next = e.getNextException();
				check(next instanceof PSQLException && "22003".equals(next.getSQLState())
					  && "points".equals(((PSQLException) next).getServerErrorMessage().getColumn()),
					  "the batch's refusal: 22003 on column points (got " + next + ")");
			}
			check(count(c, "SELECT count(*) FROM pointsys.score WHERE member_id = 'c01' AND month = '2026-02-01'") == 0,
				  "the rejected batch stored nothing");

			// the bulk import: a dry run lists every bad row, then the good sheet loads
			String bad = "[{\"member_id\": \"c01\", \"month\": \"2026-02-01\", \"item\": \"org_life\", \"points\": 4},"
					   + " {\"member_id\": \"c01\", \"month\": \"2026-02-01\", \"item\": \"role\", \"points\": 25},"
					   + " {\"member_id\": \"c99\", \"month\": \"2026-02-01\", \"item\": \"role\", \"points\": 5},"
					   + " {\"member_id\": \"c01\", \"month\": \"2026-02-31\", \"item\": \"study\", \"points\": 1}]";
			try (PreparedStatement ps = c.prepareStatement(
					"SELECT row_number, field, error_code, constraint_name, message FROM pointsys.import_scores(?::jsonb, ?)")) {
				ps.setString(1, bad);
				ps.setBoolean(2, true);
				StringBuilder got = new StringBuilder();
				boolean chinese = false;
				try (ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						got.append(rs.getInt(1)).append(':').append(rs.getString(2)).append(':').append(rs.getString(3)).append(' ');
						if (rs.getInt(1) == 2)
							chinese = rs.getString(5).contains("超过");
					}
				}
				check(got.toString().equals("2:points:22003 3:member_id:42501 4:month:22008 "),
					  "the dry run lists rows 2, 3 and 4 with their fields and SQLSTATEs (got " + got + ")");
				check(chinese, "the dry run's messages are Chinese");
			}
			check(count(c, "SELECT count(*) FROM pointsys.score WHERE member_id = 'c01' AND month = '2026-02-01'") == 0,
				  "the dry run stored nothing");
			try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pointsys.import_scores(?::jsonb)")) {
				ps.setString(1, "[{\"member_id\": \"c01\", \"month\": \"2026-02-01\", \"item\": \"org_life\", \"points\": 4},"
							  + " {\"member_id\": \"c01\", \"month\": \"2026-02-01\", \"item\": \"role\", \"points\": 20}]");
				try (ResultSet rs = ps.executeQuery()) {
					rs.next();
					check(rs.getInt(1) == 0, "the good sheet loads (no bad row)");
				}
			}
			check(count(c, "SELECT count(*) FROM pointsys.score WHERE member_id = 'c01' AND month = '2026-02-01'") == 2,
				  "the good sheet's 2 rows are stored");
		}
		System.out.println(failed == 0 ? "JDBC: all " + n + " checks passed" : "JDBC: " + failed + " of " + n + " checks failed");
		System.exit(failed == 0 ? 0 : 1);
	}
}
