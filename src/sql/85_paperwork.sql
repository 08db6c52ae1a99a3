-- src/sql/85_paperwork.sql
-- 台账文书与结果运用 paperwork and the use of results: settings,
-- publicity dates, rankings, the record form, publicity lists, mentoring,
-- points needed

------------------------------------------------------------------------
-- 台账文书与结果运用 the branch's paperwork and the use of results
-- (issue 14): settings, publicity dates, rankings, the record form,
-- publicity lists, mentoring, points needed, printable sheets
------------------------------------------------------------------------

CREATE TABLE @extschema@.setting (
	name pg_catalog.text PRIMARY KEY,
	value pg_catalog.int4 NOT NULL,
	CONSTRAINT setting_known CHECK (
		(name OPERATOR(pg_catalog.=) 'publicity_days'
		 AND value OPERATOR(pg_catalog.>=) 0 AND value OPERATOR(pg_catalog.<=) 60)
		OR (name OPERATOR(pg_catalog.=) 'mentees_per_mentor'
			AND value OPERATOR(pg_catalog.>=) 1 AND value OPERATOR(pg_catalog.<=) 10)
		OR (name OPERATOR(pg_catalog.=) 'appraisal_quorum_percent'
			AND value OPERATOR(pg_catalog.>=) 0 AND value OPERATOR(pg_catalog.<=) 99))
);
COMMENT ON TABLE @extschema@.setting IS
	'局设置 the bureau''s settings (pointsys_admin); no row: the default (publicity_days 5, mentees_per_mentor 1, appraisal_quorum_percent 50)';
COMMENT ON COLUMN @extschema@.setting.name IS
	'设置项 publicity_days (公示天数, 0..60), mentees_per_mentor (每名帮扶人帮扶人数, 1..10) or appraisal_quorum_percent (民主评议有效票须超过发出票数的百分比, 0..99)';
COMMENT ON COLUMN @extschema@.setting.value IS '值 value';
COMMENT ON CONSTRAINT setting_known ON @extschema@.setting IS '设置范围 a known setting within its range';

-- 公示 the publicity dates of a quarter: set when it moves to publicized;
-- it moves to filed only once publicity has ended.  Dates are Beijing time,
-- so that a session's TimeZone cannot shorten publicity.
CREATE FUNCTION @extschema@.period_publicity() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	today pg_catalog.date := (pg_catalog.now() AT TIME ZONE 'Asia/Shanghai')::pg_catalog.date;
	days pg_catalog.int4;
BEGIN
	PERFORM pointsys.check_firing('period_publicity', TG_RELID, TG_TABLE_NAME, TG_WHEN, TG_LEVEL, TG_OP,
								 'pointsys.period', 'BEFORE', '{INSERT,UPDATE}');
	IF NEW.status OPERATOR(pg_catalog.=) 'publicized'
	   AND (TG_OP OPERATOR(pg_catalog.=) 'INSERT' OR OLD.status OPERATOR(pg_catalog.<>) 'publicized') THEN
		SELECT s.value INTO days FROM pointsys.setting s
		WHERE s.name OPERATOR(pg_catalog.=) 'publicity_days';
		NEW.publicity_start := today;
		NEW.publicity_end := today OPERATOR(pg_catalog.+) COALESCE(days, 5);
	ELSIF TG_OP OPERATOR(pg_catalog.=) 'INSERT' OR NEW.status OPERATOR(pg_catalog.=) 'recording' THEN
		NEW.publicity_start := NULL;
		NEW.publicity_end := NULL;
	ELSE
		NEW.publicity_start := OLD.publicity_start;
		NEW.publicity_end := OLD.publicity_end;
		IF NEW.status OPERATOR(pg_catalog.=) 'filed' AND OLD.status OPERATOR(pg_catalog.=) 'publicized'
		   AND today OPERATOR(pg_catalog.<) OLD.publicity_end THEN
			PERFORM pointsys.refuse('55000', 'quarter %s-Q%s of branch "%s" is still in publicity until %s',
									'Publicity started on %5$s and ends at the start of %6$s (Beijing time).',
									'File the quarter on or after %6$s.',
									NEW.year::pg_catalog.text, NEW.quarter::pg_catalog.text, NEW.branch_id,
									(OLD.publicity_end OPERATOR(pg_catalog.-) 1)::pg_catalog.text,
									OLD.publicity_start::pg_catalog.text, OLD.publicity_end::pg_catalog.text);
		END IF;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.period_publicity() IS
	'公示期 stamps a quarter''s publicity dates when it is publicized; refuses filed before publicity has ended';
-- named to fire after period_check (BEFORE triggers fire in name order)
CREATE TRIGGER period_publicity BEFORE INSERT OR UPDATE ON @extschema@.period
	FOR EACH ROW EXECUTE FUNCTION @extschema@.period_publicity();
COMMENT ON TRIGGER period_publicity ON @extschema@.period IS '公示期 publicity dates; no filing before publicity ends';

-- 排名 rankings: a quarter's score, a year's total; ties share a rank
-- (1, 1, 3); vetoed years after every other year, pending years unranked
CREATE VIEW @extschema@.rankings WITH (security_invoker = true) AS
SELECT q.member_id, b.branch_id, q.year, q.quarter, q.score,
	   pg_catalog.rank() OVER (PARTITION BY b.branch_id, q.year, q.quarter ORDER BY q.score DESC) AS branch_rank,
	   pg_catalog.rank() OVER (PARTITION BY q.year, q.quarter ORDER BY q.score DESC) AS bureau_rank,
	   NULL::pg_catalog.bool AS vetoed
FROM @extschema@.quarterly_scores q
JOIN @extschema@.member m ON m.member_id OPERATOR(pg_catalog.=) q.member_id
-- the branch of the quarter's last month (looked up for the members with
-- more than one membership row, as in annual_results)
LEFT JOIN @extschema@.moved_members() t (member_id)
	ON t.member_id OPERATOR(pg_catalog.=) q.member_id
CROSS JOIN LATERAL (SELECT COALESCE(@extschema@.branch_of(t.member_id,
		pg_catalog.make_date(q.year, q.quarter OPERATOR(pg_catalog.*) 3, 1)), m.branch_id) AS branch_id) b
UNION ALL
SELECT r.member_id, r.branch_id, r.year, NULL::pg_catalog.int4, CAST(r.total AS pg_catalog.numeric(14,2)),
	   CASE WHEN r.total IS NOT NULL THEN
		   pg_catalog.rank() OVER (PARTITION BY r.branch_id, r.year, r.total IS NULL
								   ORDER BY r.vetoed, r.total DESC) END,
	   CASE WHEN r.total IS NOT NULL THEN
		   pg_catalog.rank() OVER (PARTITION BY r.year, r.total IS NULL
								   ORDER BY r.vetoed, r.total DESC) END,
	   r.vetoed
FROM @extschema@.annual_results r;
COMMENT ON VIEW @extschema@.rankings IS
	'排名 ranks in the branch and the bureau per quarter and per year; ties share a rank; vetoed years last, pending years unranked';
COMMENT ON COLUMN @extschema@.rankings.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.rankings.branch_id IS '所在支部 branch: the member''s branch in the quarter''s last month, or in December for the year';
COMMENT ON COLUMN @extschema@.rankings.year IS '年度 year';
COMMENT ON COLUMN @extschema@.rankings.quarter IS '季度 quarter (1..4); NULL: the year';
COMMENT ON COLUMN @extschema@.rankings.score IS '积分 quarter score, or the annual total (NULL while pending)';
COMMENT ON COLUMN @extschema@.rankings.branch_rank IS '支部排名 rank in the branch (NULL while pending)';
COMMENT ON COLUMN @extschema@.rankings.bureau_rank IS '全局排名 rank in the bureau (NULL while pending)';
COMMENT ON COLUMN @extschema@.rankings.vetoed IS '一票否决 the year is vetoed (ranked last); NULL for a quarter';

-- 积分管理记录表 the record form: one row per recorded member-month, the
-- rulebook's items in its order (the categories and items as shipped, then
-- any added ones by code)
CREATE FUNCTION @extschema@.rulebook_items() RETURNS pg_catalog.text[]
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.array_agg(i.item ORDER BY
		pg_catalog.array_position(ARRAY['study', 'service', 'innovation', 'worklist', 'role']::pg_catalog.text[],
								  i.category) NULLS LAST,
		i.category,
		pg_catalog.array_position(ARRAY['study_training', 'study_notes', 'org_life', 'business_notes',
										'reflection', 'liaison', 'mass_work', 'solve_difficulties',
										'volunteer', 'innovation_recorded', 'resolve_conflicts',
										'share_innovation', 'on_time', 'exceed', 'recognized',
										'extra_duties', 'role']::pg_catalog.text[],
								  i.item) NULLS LAST,
		i.item)
	FROM @extschema@.item i;
END;
COMMENT ON FUNCTION @extschema@.rulebook_items() IS
	'细则顺序 the item codes in rulebook order: the shipped categories and items in the order of the rules, then added ones by code';

CREATE VIEW @extschema@.record_sheet WITH (security_invoker = true) AS
SELECT @extschema@.branch_of(mm.member_id, mm.month) AS branch_id, mm.member_id, m.name, mm.month, r.items,
	   CAST(ARRAY(SELECT s.points
				  FROM pg_catalog.unnest(r.items) WITH ORDINALITY AS u(item, n)
				  LEFT JOIN @extschema@.score s
					 ON s.member_id OPERATOR(pg_catalog.=) mm.member_id
					AND s.month OPERATOR(pg_catalog.=) mm.month
					AND s.item OPERATOR(pg_catalog.=) u.item
				  ORDER BY u.n) AS pg_catalog.numeric(5,2)[]) AS points,
	   CAST(mm.award_points AS pg_catalog.numeric(14,2)) AS award_points,
	   CAST(LEAST(mm.award_points, c.cap) AS pg_catalog.numeric(14,2)) AS reward,
	   CAST(mm.points OPERATOR(pg_catalog.+) LEAST(mm.award_points, c.cap) AS pg_catalog.numeric(14,2)) AS total
FROM @extschema@.member_month mm
JOIN @extschema@.member m ON m.member_id OPERATOR(pg_catalog.=) mm.member_id
CROSS JOIN (SELECT @extschema@.rulebook_items() AS items) r
CROSS JOIN (SELECT cap FROM @extschema@.category WHERE category OPERATOR(pg_catalog.=) 'reward') c;
COMMENT ON VIEW @extschema@.record_sheet IS
	'党员积分管理记录表 the record form: one row per recorded member-month, each item''s points in rulebook order, the awards, the capped reward and the total';
COMMENT ON COLUMN @extschema@.record_sheet.branch_id IS '支部 branch: the member''s branch in that month';
COMMENT ON COLUMN @extschema@.record_sheet.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.record_sheet.name IS '姓名 name';
COMMENT ON COLUMN @extschema@.record_sheet.month IS '月份 month (first day)';
COMMENT ON COLUMN @extschema@.record_sheet.items IS '积分项目 the item codes in rulebook order (the same in every row)';
COMMENT ON COLUMN @extschema@.record_sheet.points IS '各项得分 points of each item, in the order of items; NULL: no score row';
COMMENT ON COLUMN @extschema@.record_sheet.award_points IS '奖励加分 award points before the cap';
COMMENT ON COLUMN @extschema@.record_sheet.reward IS '奖励分 award points, capped';
COMMENT ON COLUMN @extschema@.record_sheet.total IS '月度积分 monthly total';

-- Who may print a branch's documents: pointsys_admin and pointsys_reader
-- every branch, a recorder their branches.  may_record_branch is called in
-- a statement of its own, reached only by a recorder: a role without
-- EXECUTE on it gets this refusal, not one naming it.
CREATE FUNCTION @extschema@.check_branch_documents(branch_id pg_catalog.text) RETURNS void
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	allowed pg_catalog.bool := pg_catalog.pg_has_role('pointsys_admin', 'USAGE')
		OR pg_catalog.pg_has_role('pointsys_reader', 'USAGE');
BEGIN
	IF NOT allowed AND pg_catalog.pg_has_role('pointsys_recorder', 'USAGE') THEN
		allowed := pointsys.may_record_branch(check_branch_documents.branch_id);
	END IF;
	IF NOT allowed THEN
		PERFORM pointsys.refuse('42501', 'permission denied for the documents of branch "%s"',
								'Only pointsys_admin, pointsys_reader and the branch''s recorders may read them.', NULL,
								check_branch_documents.branch_id);
	END IF;
	IF NOT EXISTS (SELECT FROM pointsys.branch b
				   WHERE b.branch_id OPERATOR(pg_catalog.=) check_branch_documents.branch_id) THEN
		PERFORM pointsys.refuse('42704', 'branch "%s" does not exist', NULL, NULL, check_branch_documents.branch_id);
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.check_branch_documents(pg_catalog.text) IS
	'文书权限 refuses (42501) a role that may not read the branch''s documents, (42704) an unknown branch';

-- 公示 the quarter's list to post.  Its rows are a type of their own: a
-- function's declared result columns lose their typmod (numeric(14,2)),
-- a composite type's attributes keep it, so drivers see the scale.
CREATE TYPE @extschema@.publicity_row AS (
	member_id pg_catalog.text,
	name pg_catalog.text,
	m1 pg_catalog.numeric(14,2),
	m2 pg_catalog.numeric(14,2),
	m3 pg_catalog.numeric(14,2),
	score pg_catalog.numeric(14,2),
	branch_rank pg_catalog.int8,
	status pg_catalog.text,
	publicity_start pg_catalog.date,
	publicity_end pg_catalog.date,
	branches pg_catalog.text[]
);
COMMENT ON TYPE @extschema@.publicity_row IS '季度公示行 a row of publicity(): a member of the branch quarter''s list';
COMMENT ON COLUMN @extschema@.publicity_row.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.publicity_row.name IS '姓名 name';
COMMENT ON COLUMN @extschema@.publicity_row.m1 IS '第一个月 monthly total of the quarter''s first month (wherever recorded)';
COMMENT ON COLUMN @extschema@.publicity_row.m2 IS '第二个月 monthly total of the quarter''s second month';
COMMENT ON COLUMN @extschema@.publicity_row.m3 IS '第三个月 monthly total of the quarter''s third month';
COMMENT ON COLUMN @extschema@.publicity_row.score IS '季考核积分 quarter score';
COMMENT ON COLUMN @extschema@.publicity_row.branch_rank IS '排名 rank among the members listed';
COMMENT ON COLUMN @extschema@.publicity_row.status IS '状态 the quarter''s status in the branch';
COMMENT ON COLUMN @extschema@.publicity_row.publicity_start IS '公示开始 first day of publicity (Beijing time); NULL until publicized';
COMMENT ON COLUMN @extschema@.publicity_row.publicity_end IS
	'公示截止 last day of publicity, as the printed list says (period.publicity_end is the day after: the first day the quarter may be filed); NULL until publicized';
COMMENT ON COLUMN @extschema@.publicity_row.branches IS '所在支部 the member''s branches in the quarter, in month order, each once';

CREATE FUNCTION @extschema@.publicity(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS SETOF @extschema@.publicity_row
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p_status pg_catalog.text;
	p_start pg_catalog.date;
	p_end pg_catalog.date;
	first_month pg_catalog.date;
BEGIN
	-- the rights first: a refused role learns nothing of the arguments
	PERFORM pointsys.check_branch_documents(publicity.branch_id);
	first_month := pointsys.quarter_start(publicity.year, publicity.quarter);
	SELECT p.status, p.publicity_start, p.publicity_end INTO p_status, p_start, p_end
	FROM pointsys.period p
	WHERE p.branch_id OPERATOR(pg_catalog.=) publicity.branch_id
	  AND p.year OPERATOR(pg_catalog.=) publicity.year
	  AND p.quarter OPERATOR(pg_catalog.=) publicity.quarter;
	IF COALESCE(p_status, 'recording') OPERATOR(pg_catalog.=) 'recording' THEN
		PERFORM pointsys.refuse('55000', 'quarter %s-Q%s of branch "%s" is not approved yet', NULL,
								'The branch meeting approves the quarter first (pointsys.advance).',
								publicity.year::pg_catalog.text, publicity.quarter::pg_catalog.text, publicity.branch_id);
	END IF;
	RETURN QUERY
	SELECT q.member_id, m.name,
		   (SELECT t.total FROM pointsys.monthly_scores t
			WHERE t.member_id OPERATOR(pg_catalog.=) q.member_id AND t.month OPERATOR(pg_catalog.=) first_month),
		   (SELECT t.total FROM pointsys.monthly_scores t
			WHERE t.member_id OPERATOR(pg_catalog.=) q.member_id
			  AND t.month OPERATOR(pg_catalog.=) (first_month OPERATOR(pg_catalog.+) '1 month'::pg_catalog.interval)::pg_catalog.date),
		   (SELECT t.total FROM pointsys.monthly_scores t
			WHERE t.member_id OPERATOR(pg_catalog.=) q.member_id
			  AND t.month OPERATOR(pg_catalog.=) (first_month OPERATOR(pg_catalog.+) '2 months'::pg_catalog.interval)::pg_catalog.date),
		   q.score,
		   pg_catalog.rank() OVER (ORDER BY q.score DESC),
		   p_status, p_start,
		   -- the last day of publicity (a publicity of 0 or 1 day: its first)
		   GREATEST(p_end OPERATOR(pg_catalog.-) 1, p_start), l.branches
	FROM pointsys.quarterly_scores q
	JOIN pointsys.member m ON m.member_id OPERATOR(pg_catalog.=) q.member_id
	-- the members of the branch in at least one month of the quarter
	CROSS JOIN LATERAL (SELECT pointsys.branches_between(q.member_id, first_month,
			(first_month OPERATOR(pg_catalog.+) '2 months'::pg_catalog.interval)::pg_catalog.date) AS branches) l
	WHERE publicity.branch_id OPERATOR(pg_catalog.=) ANY (l.branches)
	  AND q.year OPERATOR(pg_catalog.=) publicity.year
	  AND q.quarter OPERATOR(pg_catalog.=) publicity.quarter
	ORDER BY 7, 1;
END
$$;
COMMENT ON FUNCTION @extschema@.publicity(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'季度公示 a branch quarter''s list to post: the members of the branch in at least one month of the quarter, their three monthly totals, quarter score and rank among them, the publicity''s first and last day, their branches in the quarter; 55000 before the quarter is approved';

-- 年度公示 the year's list to post, once every democratic score is in
-- (its rows a type of their own, as publicity's)
CREATE TYPE @extschema@.annual_publicity_row AS (
	member_id pg_catalog.text,
	name pg_catalog.text,
	q1 pg_catalog.numeric(14,2),
	q2 pg_catalog.numeric(14,2),
	q3 pg_catalog.numeric(14,2),
	q4 pg_catalog.numeric(14,2),
	assessment pg_catalog.numeric(14,2),
	democratic pg_catalog.numeric(5,2),
	vetoed pg_catalog.bool,
	total pg_catalog.numeric(5,2),
	grade @extschema@.grade,
	branch_rank pg_catalog.int8,
	final pg_catalog.bool,
	branches pg_catalog.text[],
	excellent pg_catalog.int4,
	qualified pg_catalog.int4,
	basically_qualified pg_catalog.int4,
	unqualified pg_catalog.int4,
	spoilt pg_catalog.int4
);
COMMENT ON TYPE @extschema@.annual_publicity_row IS '年度公示行 a row of annual_publicity(): a member of the branch year''s list';
COMMENT ON COLUMN @extschema@.annual_publicity_row.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.annual_publicity_row.name IS '姓名 name';
COMMENT ON COLUMN @extschema@.annual_publicity_row.q1 IS '一季度 first quarter score';
COMMENT ON COLUMN @extschema@.annual_publicity_row.q2 IS '二季度 second quarter score';
COMMENT ON COLUMN @extschema@.annual_publicity_row.q3 IS '三季度 third quarter score';
COMMENT ON COLUMN @extschema@.annual_publicity_row.q4 IS '四季度 fourth quarter score';
COMMENT ON COLUMN @extschema@.annual_publicity_row.assessment IS '年度考核积分 annual assessment';
COMMENT ON COLUMN @extschema@.annual_publicity_row.democratic IS '民主评议 democratic score';
COMMENT ON COLUMN @extschema@.annual_publicity_row.vetoed IS '一票否决 vetoed';
COMMENT ON COLUMN @extschema@.annual_publicity_row.total IS '年度积分 annual total';
COMMENT ON COLUMN @extschema@.annual_publicity_row.grade IS '格次 grade';
COMMENT ON COLUMN @extschema@.annual_publicity_row.branch_rank IS '排名 rank among the members listed';
COMMENT ON COLUMN @extschema@.annual_publicity_row.final IS '定级 the grade is final';
COMMENT ON COLUMN @extschema@.annual_publicity_row.branches IS '所在支部（年度） the member''s branches in the year';
COMMENT ON COLUMN @extschema@.annual_publicity_row.excellent IS '优秀 votes in the democratic appraisal; NULL: the score was typed in';
COMMENT ON COLUMN @extschema@.annual_publicity_row.qualified IS '合格 votes';
COMMENT ON COLUMN @extschema@.annual_publicity_row.basically_qualified IS '基本合格 votes';
COMMENT ON COLUMN @extschema@.annual_publicity_row.unqualified IS '不合格 votes';
COMMENT ON COLUMN @extschema@.annual_publicity_row.spoilt IS '废票 ballots spoilt for the member';

CREATE FUNCTION @extschema@.annual_publicity(branch_id pg_catalog.text, year pg_catalog.int4)
	RETURNS SETOF @extschema@.annual_publicity_row
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	missing pg_catalog.text;
	open_quarter pg_catalog.int4;
BEGIN
	PERFORM pointsys.check_branch_documents(annual_publicity.branch_id);
	SELECT pg_catalog.string_agg(r.member_id, ', ' ORDER BY r.member_id) INTO missing
	FROM pointsys.annual_results r
	WHERE annual_publicity.branch_id OPERATOR(pg_catalog.=) ANY (r.branches)
	  AND r.year OPERATOR(pg_catalog.=) annual_publicity.year
	  AND r.democratic IS NULL AND NOT r.vetoed;
	IF missing IS NOT NULL THEN
		PERFORM pointsys.refuse('55000', 'the %s results of branch "%s" are not complete',
								'No democratic score for %3$s.',
								'Record the democratic evaluation (pointsys.evaluation) first.',
								annual_publicity.year::pg_catalog.text, annual_publicity.branch_id, missing);
	END IF;
	-- the quarters of the branch with months recorded in it
	SELECT pointsys.quarter_of(mm.month) INTO open_quarter
	FROM pointsys.member_month mm
	LEFT JOIN pointsys.period p
		ON p.branch_id OPERATOR(pg_catalog.=) annual_publicity.branch_id
	   AND p.year OPERATOR(pg_catalog.=) annual_publicity.year
	   AND p.quarter OPERATOR(pg_catalog.=) pointsys.quarter_of(mm.month)
	WHERE mm.month OPERATOR(pg_catalog.>=) pg_catalog.make_date(annual_publicity.year, 1, 1)
	  AND mm.month OPERATOR(pg_catalog.<) pg_catalog.make_date(annual_publicity.year OPERATOR(pg_catalog.+) 1, 1, 1)
	  AND pointsys.branch_of(mm.member_id, mm.month) OPERATOR(pg_catalog.=) annual_publicity.branch_id
	  AND COALESCE(p.status, 'recording') OPERATOR(pg_catalog.=) 'recording'
	ORDER BY 1 LIMIT 1;
	IF open_quarter IS NOT NULL THEN
		PERFORM pointsys.refuse('55000', 'quarter %s-Q%s of branch "%s" is not approved yet', NULL,
								'Every recorded quarter of the year is approved before the year''s results are posted.',
								annual_publicity.year::pg_catalog.text, open_quarter::pg_catalog.text,
								annual_publicity.branch_id);
	END IF;
	RETURN QUERY
	-- the members of the branch in at least one month of the year, ranked
	-- among themselves as pointsys.rankings ranks a branch
	SELECT r.member_id, m.name, r.q1, r.q2, r.q3, r.q4, r.assessment, r.democratic, r.vetoed,
		   r.total, r.grade,
		   CASE WHEN r.total IS NOT NULL THEN
			   pg_catalog.rank() OVER (PARTITION BY r.total IS NULL ORDER BY r.vetoed, r.total DESC) END,
		   r.final, r.branches, t.excellent, t.qualified, t.basically_qualified, t.unqualified, t.spoilt
	FROM pointsys.annual_results r
	JOIN pointsys.member m ON m.member_id OPERATOR(pg_catalog.=) r.member_id
	-- the votes behind a score from an appraisal round
	LEFT JOIN pointsys.evaluation e
		ON e.member_id OPERATOR(pg_catalog.=) r.member_id AND e.year OPERATOR(pg_catalog.=) r.year
	LEFT JOIN pointsys.appraisal_tally t
		ON t.branch_id OPERATOR(pg_catalog.=) e.round_branch_id AND t.year OPERATOR(pg_catalog.=) e.year
	   AND t.member_id OPERATOR(pg_catalog.=) e.member_id
	WHERE annual_publicity.branch_id OPERATOR(pg_catalog.=) ANY (r.branches)
	  AND r.year OPERATOR(pg_catalog.=) annual_publicity.year
	ORDER BY 12, 1;
END
$$;
COMMENT ON FUNCTION @extschema@.annual_publicity(pg_catalog.text, pg_catalog.int4) IS
	'年度公示 a branch year''s results to post: the members of the branch in at least one month of the year, ranked among them, with their branches of the year and the votes of their democratic appraisal; 55000 while a democratic score is missing or a recorded quarter is not approved';

-- 一对一帮扶 mentoring of 不合格 member-years
CREATE TABLE @extschema@.mentoring (
	member_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	year pg_catalog.int4 NOT NULL,
	mentor_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	assigned_on pg_catalog.date NOT NULL DEFAULT CURRENT_DATE,
	ended_on pg_catalog.date,
	note pg_catalog.text,
	recorded_by pg_catalog.name NOT NULL DEFAULT CURRENT_USER,
	recorded_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT mentoring_pkey PRIMARY KEY (member_id, year),
	CONSTRAINT mentoring_ended_after_assigned CHECK (ended_on OPERATOR(pg_catalog.>=) assigned_on)
);
CREATE INDEX mentoring_mentor_idx ON @extschema@.mentoring (mentor_id, year);
COMMENT ON TABLE @extschema@.mentoring IS '一对一帮扶 the mentor assigned to each 不合格 member-year';
COMMENT ON COLUMN @extschema@.mentoring.member_id IS '帮扶对象 the member graded 不合格';
COMMENT ON COLUMN @extschema@.mentoring.year IS '年度 the year graded 不合格';
COMMENT ON COLUMN @extschema@.mentoring.mentor_id IS '帮扶人 the mentor: a member of the party that year, not 不合格 that year';
COMMENT ON COLUMN @extschema@.mentoring.assigned_on IS '确定日期 assigned on';
COMMENT ON COLUMN @extschema@.mentoring.ended_on IS '结束日期 mentoring ended on; NULL: under way';
COMMENT ON COLUMN @extschema@.mentoring.note IS '备注 note, at most 500 characters';
COMMENT ON COLUMN @extschema@.mentoring.recorded_by IS '记录人 the role that wrote the row';
COMMENT ON COLUMN @extschema@.mentoring.recorded_at IS '记录时间 when the row was written';
COMMENT ON INDEX @extschema@.mentoring_pkey IS '帮扶主键 one mentoring per member-year';
COMMENT ON INDEX @extschema@.mentoring_mentor_idx IS '帮扶人 mentees of a mentor in a year';
COMMENT ON CONSTRAINT mentoring_ended_after_assigned ON @extschema@.mentoring IS '帮扶期间 ended on or after it was assigned';

-- the row that one mentor's assignments in a year take turns on
CREATE TABLE @extschema@.mentor_turn (
	mentor_id pg_catalog.text NOT NULL,
	year pg_catalog.int4 NOT NULL,
	turns pg_catalog.int8 NOT NULL DEFAULT 1,
	CONSTRAINT mentor_turn_pkey PRIMARY KEY (mentor_id, year)
);
COMMENT ON TABLE @extschema@.mentor_turn IS
	'帮扶轮次 one row per mentor-year, updated by each assignment of that mentor: assignments of one mentor and year take turns on it (no grants: only pointsys''s trigger locks it)';
COMMENT ON COLUMN @extschema@.mentor_turn.mentor_id IS '帮扶人 the mentor';
COMMENT ON COLUMN @extschema@.mentor_turn.year IS '年度 year';
COMMENT ON COLUMN @extschema@.mentor_turn.turns IS '次数 assignments checked so far';
COMMENT ON INDEX @extschema@.mentor_turn_pkey IS '帮扶轮次主键 one row per mentor-year';

-- Who writes, first, as the writer: a recorder's row for a member outside
-- their branches fails with row security's own error before any rule is
-- checked (the rules would tell about another branch); then the stamps.
CREATE FUNCTION @extschema@.mentoring_access() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM pointsys.check_firing('mentoring_access', TG_RELID, TG_TABLE_NAME, TG_WHEN, TG_LEVEL, TG_OP,
								 'pointsys.mentoring', 'BEFORE', '{INSERT,UPDATE}');
	IF NOT pg_catalog.pg_has_role('pointsys_admin', 'USAGE') THEN
		IF NOT (pg_catalog.pg_has_role('pointsys_recorder', 'USAGE')
				AND EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
							WHERE pointsys.may_record(NEW.member_id, pg_catalog.make_date(NEW.year, g.n, 1)))) THEN
			PERFORM pointsys.refuse('42501', 'new row violates row-level security policy for table "%s"',
									'The row sent: member "%2$s", %3$s, mentor "%4$s".',
									'A recorder writes for the members of her branches, in the months they belong to them.',
									'mentoring', NEW.member_id, NEW.year::pg_catalog.text, NEW.mentor_id);
		END IF;
		-- a recorder's mentor is of her branches that year: nothing of
		-- another branch's members is looked at, nor locked by the
		-- foreign key, for her
		IF NEW.mentor_id IS NOT NULL
		   AND (TG_OP OPERATOR(pg_catalog.=) 'INSERT'
				OR (NEW.mentor_id, NEW.year) IS DISTINCT FROM (OLD.mentor_id, OLD.year))
		   AND NOT EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
						   WHERE pointsys.may_record(NEW.mentor_id, pg_catalog.make_date(NEW.year, g.n, 1))) THEN
			PERFORM pointsys.refuse('42501', 'mentor "%s" is not a member of your branches in %s', NULL,
									'A recorder names a mentor from her own branches; pointsys_admin assigns mentors from other branches.',
									NEW.mentor_id, NEW.year::pg_catalog.text);
		END IF;
	END IF;
	NEW.recorded_by := CURRENT_USER;
	NEW.recorded_at := pg_catalog.now();
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.mentoring_access() IS
	'帮扶权限 row security first (42501 for a member, or a recorder''s mentor, outside the recorder''s branches that year); stamps recorded_by and recorded_at';
-- named to fire before mentoring_check (BEFORE triggers fire in name order)
CREATE TRIGGER mentoring_access BEFORE INSERT OR UPDATE ON @extschema@.mentoring
	FOR EACH ROW EXECUTE FUNCTION @extschema@.mentoring_access();
COMMENT ON TRIGGER mentoring_access ON @extschema@.mentoring IS '帮扶权限 row security first; the stamps';

-- The rules, as the owner: they read grades and mentors of every branch.
-- Checked on INSERT and when member, year or mentor change.
CREATE FUNCTION @extschema@.mentoring_check() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	member_grade pointsys.grade;
	mentor pointsys.member;
	mentor_grade pointsys.grade;
	limit_mentees pg_catalog.int4;
	mentees pg_catalog.int8;
	-- may the writer (stamped by mentoring_access, which fired first) read
	-- grades and every branch's mentoring?  Then the refusals explain.
	may_read pg_catalog.bool;
BEGIN
	PERFORM pointsys.check_firing('mentoring_check', TG_RELID, TG_TABLE_NAME, TG_WHEN, TG_LEVEL, TG_OP,
								 'pointsys.mentoring', 'BEFORE', '{INSERT,UPDATE}');
	IF NEW.member_id IS NULL OR NEW.year IS NULL OR NEW.mentor_id IS NULL THEN
		RETURN NEW;				-- for NOT NULL to refuse
	END IF;
	-- an end or a note changes no rule: the rules held when assigned
	IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE'
	   AND (NEW.member_id, NEW.year, NEW.mentor_id) IS NOT DISTINCT FROM (OLD.member_id, OLD.year, OLD.mentor_id) THEN
		RETURN NEW;
	END IF;
	IF NOT EXISTS (SELECT FROM pointsys.member m
				   WHERE m.member_id OPERATOR(pg_catalog.=) NEW.member_id) THEN
		RETURN NEW;				-- for the foreign key to refuse
	END IF;
	may_read := pg_catalog.has_table_privilege(NEW.recorded_by, 'pointsys.annual_results', 'SELECT');
	SELECT r.grade INTO member_grade FROM pointsys.annual_results r
	WHERE r.member_id OPERATOR(pg_catalog.=) NEW.member_id
	  AND r.year OPERATOR(pg_catalog.=) NEW.year;
	IF member_grade IS NULL OR member_grade OPERATOR(pointsys.<>) 'unqualified'::pointsys.grade THEN
		IF may_read THEN
			PERFORM pointsys.refuse('55000', 'member "%s" is not graded 不合格 for %s',
									CASE WHEN member_grade IS NULL THEN 'The %2$s grade is pending.'
										 ELSE 'The %2$s grade is %3$s.' END,
									'Mentors are assigned to members graded 不合格 (unqualified) only.',
									NEW.member_id, NEW.year::pg_catalog.text, member_grade::pg_catalog.text);
		END IF;
		PERFORM pointsys.refuse('55000', 'member "%s" is not graded 不合格 for %s', NULL,
								'Mentors are assigned to members graded 不合格 (unqualified) only.',
								NEW.member_id, NEW.year::pg_catalog.text);
	END IF;
	IF NEW.mentor_id OPERATOR(pg_catalog.=) NEW.member_id THEN
		PERFORM pointsys.refuse('23514', 'member "%s" cannot mentor themself', NULL, NULL, NEW.member_id);
	END IF;
	SELECT * INTO mentor FROM pointsys.member m
	WHERE m.member_id OPERATOR(pg_catalog.=) NEW.mentor_id;
	IF NOT FOUND THEN
		RETURN NEW;				-- for the foreign key to refuse
	END IF;
	-- (a recorder's mentor is of her branches: she may read these dates)
	IF mentor.joined_on OPERATOR(pg_catalog.>) pg_catalog.make_date(NEW.year, 12, 31)
	   OR mentor.left_on OPERATOR(pg_catalog.<) pg_catalog.make_date(NEW.year, 1, 1) THEN
		PERFORM pointsys.refuse('23514', 'mentor "%s" was not a member of the party in %s',
								'Joined on %3$s, left on %4$s.', NULL,
								NEW.mentor_id, NEW.year::pg_catalog.text,
								COALESCE(mentor.joined_on::pg_catalog.text, '-'),
								COALESCE(mentor.left_on::pg_catalog.text, '-'));
	END IF;
	SELECT r.grade INTO mentor_grade FROM pointsys.annual_results r
	WHERE r.member_id OPERATOR(pg_catalog.=) NEW.mentor_id
	  AND r.year OPERATOR(pg_catalog.=) NEW.year;
	IF mentor_grade OPERATOR(pointsys.=) 'unqualified'::pointsys.grade THEN
		PERFORM pointsys.refuse('23514', CASE WHEN may_read THEN 'mentor "%s" is graded 不合格 for %s'
											  ELSE 'mentor "%s" cannot mentor in %s' END,
								NULL, 'Choose a mentor who is not 不合格 that year.',
								NEW.mentor_id, NEW.year::pg_catalog.text);
	END IF;
	SELECT s.value INTO limit_mentees FROM pointsys.setting s
	WHERE s.name OPERATOR(pg_catalog.=) 'mentees_per_mentor';
	limit_mentees := COALESCE(limit_mentees, 1);
	-- one assignment of this mentor and year at a time: the row of
	-- mentor_turn, which only this trigger writes (an update, so that a
	-- REPEATABLE READ transaction that raced another gets 40001); the count
	-- below then sees the other's committed row under READ COMMITTED
	INSERT INTO pointsys.mentor_turn AS t (mentor_id, year) VALUES (NEW.mentor_id, NEW.year)
	ON CONFLICT ON CONSTRAINT mentor_turn_pkey DO UPDATE SET turns = t.turns OPERATOR(pg_catalog.+) 1;
	SELECT pg_catalog.count(*) INTO mentees FROM pointsys.mentoring t
	WHERE t.mentor_id OPERATOR(pg_catalog.=) NEW.mentor_id
	  AND t.year OPERATOR(pg_catalog.=) NEW.year
	  AND t.member_id OPERATOR(pg_catalog.<>) NEW.member_id;
	IF mentees OPERATOR(pg_catalog.>=) limit_mentees THEN
		PERFORM pointsys.refuse('23514', CASE WHEN may_read THEN 'mentor "%1$s" already has %3$s mentee(s) in %2$s'
											  ELSE 'mentor "%s" has no room for another mentee in %s' END,
								'The limit is %4$s (pointsys.setting mentees_per_mentor).', NULL,
								NEW.mentor_id, NEW.year::pg_catalog.text, mentees::pg_catalog.text,
								limit_mentees::pg_catalog.text);
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.mentoring_check() IS
	'帮扶规则 a 不合格 member-year; the mentor a member that year, not the member, not 不合格, within mentees_per_mentor; a writer who may not read grades is told no grade and no other branch''s count';
CREATE TRIGGER mentoring_check BEFORE INSERT OR UPDATE ON @extschema@.mentoring
	FOR EACH ROW EXECUTE FUNCTION @extschema@.mentoring_check();
COMMENT ON TRIGGER mentoring_check ON @extschema@.mentoring IS '帮扶规则 mentoring rules';

CREATE VIEW @extschema@.mentoring_due WITH (security_invoker = true) AS
SELECT r.member_id, r.branch_id, r.year, r.total, r.vetoed, r.final
FROM @extschema@.annual_results r
WHERE r.grade OPERATOR(@extschema@.=) 'unqualified'::@extschema@.grade
  AND NOT EXISTS (SELECT FROM @extschema@.mentoring t
				  WHERE t.member_id OPERATOR(pg_catalog.=) r.member_id
					AND t.year OPERATOR(pg_catalog.=) r.year);
COMMENT ON VIEW @extschema@.mentoring_due IS '待帮扶 不合格 member-years without a mentor';
COMMENT ON COLUMN @extschema@.mentoring_due.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.mentoring_due.branch_id IS '所在支部 branch';
COMMENT ON COLUMN @extschema@.mentoring_due.year IS '年度 year';
COMMENT ON COLUMN @extschema@.mentoring_due.total IS '年度积分 annual total';
COMMENT ON COLUMN @extschema@.mentoring_due.vetoed IS '一票否决 vetoed';
COMMENT ON COLUMN @extschema@.mentoring_due.final IS '定级 the grade is final';

-- 对标找差 points needed
CREATE FUNCTION @extschema@.projected_grade(months pg_catalog.date[], totals pg_catalog.numeric[],
											open_months pg_catalog.date[], fill pg_catalog.numeric,
											democratic pg_catalog.numeric)
	RETURNS @extschema@.grade
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT @extschema@.annual_grade(@extschema@.annual_assessment(t.month, t.total), projected_grade.democratic, false)
	FROM (SELECT u.month, u.total
		  FROM ROWS FROM (pg_catalog.unnest(projected_grade.months), pg_catalog.unnest(projected_grade.totals)) AS u(month, total)
		  UNION ALL
		  SELECT o.month, projected_grade.fill
		  FROM pg_catalog.unnest(projected_grade.open_months) AS o(month)) t;
END;
COMMENT ON FUNCTION @extschema@.projected_grade(pg_catalog.date[], pg_catalog.numeric[], pg_catalog.date[], pg_catalog.numeric, pg_catalog.numeric) IS
	'预计格次 the grade of a year whose recorded months have these totals and whose open months all score fill (not vetoed)';

-- (its rows a type of their own, as publicity's: the scale of monthly_total)
CREATE TYPE @extschema@.points_needed_row AS (
	grade @extschema@.grade,
	monthly_total pg_catalog.numeric(14,2),
	status pg_catalog.text
);
COMMENT ON TYPE @extschema@.points_needed_row IS '对标找差行 a row of points_needed(): a grade and what reaching it takes';
COMMENT ON COLUMN @extschema@.points_needed_row.grade IS '格次 grade';
COMMENT ON COLUMN @extschema@.points_needed_row.monthly_total IS '月度积分 the lowest monthly total (to 0.01) reaching the grade; 0.00 secured; NULL out of reach';
COMMENT ON COLUMN @extschema@.points_needed_row.status IS '状态 needed, secured or out_of_reach';

CREATE FUNCTION @extschema@.points_needed(member_id pg_catalog.text, year pg_catalog.int4,
										  democratic pg_catalog.numeric DEFAULT NULL)
	RETURNS SETOF @extschema@.points_needed_row
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r pointsys.points_needed_row;
	who pointsys.member;
	dem pg_catalog.numeric := points_needed.democratic;
	recorded pg_catalog.date[];
	recorded_totals pg_catalog.numeric[];
	open_months pg_catalog.date[];
	top pg_catalog.numeric;
	vetoed pg_catalog.bool;
	target pointsys.grade;
	lo pg_catalog.numeric;
	hi pg_catalog.numeric;
	mid pg_catalog.numeric;
BEGIN
	-- the veto reads the member's sanctions, which recorders may not read
	IF NOT (pg_catalog.pg_has_role('pointsys_admin', 'USAGE')
			OR pg_catalog.pg_has_role('pointsys_reader', 'USAGE')) THEN
		PERFORM pointsys.refuse('42501', 'permission denied for function %s',
								'It reads the veto (sanctions): pointsys_admin and pointsys_reader may call it.', NULL,
								'points_needed');
	END IF;
	SELECT * INTO who FROM pointsys.member m WHERE m.member_id OPERATOR(pg_catalog.=) points_needed.member_id;
	IF NOT FOUND THEN
		PERFORM pointsys.refuse('42704', 'member "%s" does not exist', NULL, NULL, points_needed.member_id);
	END IF;
	PERFORM pointsys.quarter_start(points_needed.year, 1);
	IF dem IS NULL THEN
		SELECT e.democratic INTO dem FROM pointsys.evaluation e
		WHERE e.member_id OPERATOR(pg_catalog.=) points_needed.member_id
		  AND e.year OPERATOR(pg_catalog.=) points_needed.year;
		IF dem IS NULL THEN
			PERFORM pointsys.refuse('22004', 'member "%s" has no democratic score for %s', NULL,
									'Pass an assumed democratic score: pointsys.points_needed(member_id, year, democratic).',
									points_needed.member_id, points_needed.year::pg_catalog.text);
		END IF;
	END IF;
	IF dem OPERATOR(pg_catalog.<) 0 OR dem OPERATOR(pg_catalog.>) 100 THEN
		PERFORM pointsys.refuse('22003', 'democratic score %s is out of range for member "%s"',
								'A democratic score is from 0 to 100.', NULL,
								dem::pg_catalog.text, points_needed.member_id);
	END IF;
	SELECT pg_catalog.array_agg(t.month ORDER BY t.month), pg_catalog.array_agg(t.total ORDER BY t.month)
	INTO recorded, recorded_totals
	FROM pointsys.monthly_scores t
	WHERE t.member_id OPERATOR(pg_catalog.=) points_needed.member_id
	  AND pointsys.year_of(t.month) OPERATOR(pg_catalog.=) points_needed.year;
	-- the months of the year the member belongs to the party, not recorded
	SELECT pg_catalog.array_agg(d.month ORDER BY d.month) INTO open_months
	FROM (SELECT pg_catalog.make_date(points_needed.year, mo, 1) AS month
		  FROM pg_catalog.generate_series(1, 12) AS mo) d
	WHERE (who.joined_on IS NULL
		   OR who.joined_on OPERATOR(pg_catalog.<) (d.month OPERATOR(pg_catalog.+) '1 month'::pg_catalog.interval))
	  AND (who.left_on IS NULL OR who.left_on OPERATOR(pg_catalog.>=) d.month)
	  AND d.month OPERATOR(pg_catalog.<>) ALL (COALESCE(recorded, '{}'));
	vetoed := pointsys.is_vetoed(points_needed.member_id, points_needed.year);
	-- the highest monthly total the rulebook allows
	SELECT COALESCE(pg_catalog.sum(LEAST(c.cap, COALESCE(i.most, 0))), 0) INTO top
	FROM pointsys.category c
	LEFT JOIN (SELECT i.category, pg_catalog.sum(i.max_points) AS most
			   FROM pointsys.item i GROUP BY i.category) i
		ON i.category OPERATOR(pg_catalog.=) c.category
	WHERE c.category OPERATOR(pg_catalog.<>) 'reward';
	top := top OPERATOR(pg_catalog.+)
		   (SELECT c.cap FROM pointsys.category c WHERE c.category OPERATOR(pg_catalog.=) 'reward');

	FOREACH target IN ARRAY ARRAY['excellent', 'good', 'qualified', 'unqualified']::pointsys.grade[] LOOP
		r.grade := target;
		IF target OPERATOR(pointsys.=) 'unqualified'::pointsys.grade THEN
			r.monthly_total := 0.00;
			r.status := 'secured';
		ELSIF vetoed THEN
			r.monthly_total := NULL;
			r.status := 'out_of_reach';
		ELSIF pointsys.projected_grade(recorded, recorded_totals, open_months, 0::pg_catalog.numeric, dem)
			  OPERATOR(pointsys.>=) target THEN
			r.monthly_total := 0.00;
			r.status := 'secured';
		ELSIF COALESCE(pg_catalog.cardinality(open_months), 0) OPERATOR(pg_catalog.=) 0
			  OR pointsys.projected_grade(recorded, recorded_totals, open_months, top, dem)
				 OPERATOR(pointsys.<) target THEN
			r.monthly_total := NULL;
			r.status := 'out_of_reach';
		ELSE
			-- the lowest total to 0.01 that reaches target: lo fails, hi reaches
			lo := 0;
			hi := top;
			WHILE hi OPERATOR(pg_catalog.-) lo OPERATOR(pg_catalog.>) 0.01 LOOP
				mid := pg_catalog.round((lo OPERATOR(pg_catalog.+) hi) OPERATOR(pg_catalog./) 2, 2);
				IF pointsys.projected_grade(recorded, recorded_totals, open_months, mid, dem)
				   OPERATOR(pointsys.>=) target THEN
					hi := mid;
				ELSE
					lo := mid;
				END IF;
			END LOOP;
			r.monthly_total := pg_catalog.round(hi, 2);
			r.status := 'needed';
		END IF;
		RETURN NEXT r;
	END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.points_needed(pg_catalog.text, pg_catalog.int4, pg_catalog.numeric) IS
	'对标找差 per grade: the lowest monthly total that, recorded in every month not yet recorded, reaches it (needed), or secured, or out_of_reach; democratic NULL: the recorded one';
