-- src/sql/30_tables.sql
-- 台账 the ledger's tables: branch, member, category, item, award_kind,
-- score, award, sanction, evaluation

------------------------------------------------------------------------
-- 台账 the ledger: tables
------------------------------------------------------------------------

CREATE TABLE @extschema@.branch (
	branch_id pg_catalog.text PRIMARY KEY,
	name pg_catalog.text NOT NULL
);
COMMENT ON TABLE @extschema@.branch IS '党支部 party branches';
COMMENT ON COLUMN @extschema@.branch.branch_id IS '支部编号 branch code';
COMMENT ON COLUMN @extschema@.branch.name IS '支部名称 branch name, at most 100 characters';

CREATE TABLE @extschema@.member (
	member_id pg_catalog.text PRIMARY KEY,
	name pg_catalog.text NOT NULL,
	branch_id pg_catalog.text NOT NULL REFERENCES @extschema@.branch,
	joined_on pg_catalog.date,
	left_on pg_catalog.date,
	CONSTRAINT member_left_after_joined CHECK (left_on OPERATOR(pg_catalog.>=) joined_on)
);
CREATE INDEX member_branch_id_idx ON @extschema@.member (branch_id);
COMMENT ON TABLE @extschema@.member IS '党员 party members';
COMMENT ON COLUMN @extschema@.member.member_id IS '党员编号 member code';
COMMENT ON COLUMN @extschema@.member.name IS '姓名 name, at most 100 characters';
COMMENT ON COLUMN @extschema@.member.branch_id IS '所在支部 current branch: the branch of the latest row of pointsys.membership (kept in step both ways)';
COMMENT ON COLUMN @extschema@.member.joined_on IS '入党(转入)日期 joined the party (or this bureau) on; NULL: before any record';
COMMENT ON COLUMN @extschema@.member.left_on IS '离开日期 left on; NULL: still a member';

CREATE TABLE @extschema@.category (
	category pg_catalog.text PRIMARY KEY,
	title pg_catalog.text NOT NULL,
	cap pg_catalog.numeric NOT NULL,
	CONSTRAINT category_cap_range CHECK (cap OPERATOR(pg_catalog.>=) 0 AND cap OPERATOR(pg_catalog.<=) 100)
);
COMMENT ON TABLE @extschema@.category IS '积分类别 score categories of the rulebook';
COMMENT ON COLUMN @extschema@.category.category IS '类别编号 category code';
COMMENT ON COLUMN @extschema@.category.title IS '类别名称 category title, at most 100 characters';
COMMENT ON COLUMN @extschema@.category.cap IS '类别上限 monthly cap of the category';

CREATE TABLE @extschema@.item (
	item pg_catalog.text PRIMARY KEY,
	category pg_catalog.text NOT NULL REFERENCES @extschema@.category,
	title pg_catalog.text NOT NULL,
	max_points pg_catalog.numeric NOT NULL,
	step pg_catalog.numeric NOT NULL DEFAULT 0.5,
	CONSTRAINT item_not_reward CHECK (category OPERATOR(pg_catalog.<>) 'reward'),
	CONSTRAINT item_max_points_range CHECK (max_points OPERATOR(pg_catalog.>) 0 AND max_points OPERATOR(pg_catalog.<=) 100),
	CONSTRAINT item_step_range CHECK (step OPERATOR(pg_catalog.>) 0 AND step OPERATOR(pg_catalog.<=) max_points)
);
CREATE INDEX item_category_idx ON @extschema@.item (category);
COMMENT ON TABLE @extschema@.item IS '积分项目 scored items of the rulebook';
COMMENT ON COLUMN @extschema@.item.item IS '项目编号 item code';
COMMENT ON COLUMN @extschema@.item.category IS '所属类别 category';
COMMENT ON COLUMN @extschema@.item.title IS '项目内容 item title, at most 100 characters';
COMMENT ON COLUMN @extschema@.item.max_points IS '最高分 maximum points in a month';
COMMENT ON COLUMN @extschema@.item.step IS '计分步长 points are multiples of this step';

CREATE TABLE @extschema@.award_kind (
	kind pg_catalog.text PRIMARY KEY,
	title pg_catalog.text NOT NULL,
	points pg_catalog.numeric NOT NULL,
	CONSTRAINT award_kind_points_range CHECK (points OPERATOR(pg_catalog.>) 0 AND points OPERATOR(pg_catalog.<=) 100)
);
COMMENT ON TABLE @extschema@.award_kind IS '奖励种类 kinds of award events';
COMMENT ON COLUMN @extschema@.award_kind.kind IS '奖励种类编号 award kind code';
COMMENT ON COLUMN @extschema@.award_kind.title IS '奖励内容 award title, at most 100 characters';
COMMENT ON COLUMN @extschema@.award_kind.points IS '加分 points added per event';

CREATE TABLE @extschema@.score (
	member_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	month pg_catalog.date NOT NULL,
	item pg_catalog.text NOT NULL REFERENCES @extschema@.item,
	points pg_catalog.numeric NOT NULL,
	note pg_catalog.text,
	recorded_by pg_catalog.name NOT NULL DEFAULT CURRENT_USER,
	recorded_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (member_id, month, item)
);
CREATE INDEX score_item_idx ON @extschema@.score (item);
COMMENT ON TABLE @extschema@.score IS '积分台账 monthly item scores';
COMMENT ON COLUMN @extschema@.score.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.score.month IS '月份 month (stored as its first day)';
COMMENT ON COLUMN @extschema@.score.item IS '积分项目 item';
COMMENT ON COLUMN @extschema@.score.points IS '得分 points, 0 to the item''s maximum in its step';
COMMENT ON COLUMN @extschema@.score.note IS '备注 note, at most 500 characters';
COMMENT ON COLUMN @extschema@.score.recorded_by IS
	'记录人 the role that wrote the row (set by pointsys; a superuser''s value is kept)';
COMMENT ON COLUMN @extschema@.score.recorded_at IS
	'记录时间 start of the transaction that wrote the row (set by pointsys; a superuser''s value is kept)';

CREATE TABLE @extschema@.award (
	award_id pg_catalog.int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	member_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	month pg_catalog.date NOT NULL,
	kind pg_catalog.text NOT NULL REFERENCES @extschema@.award_kind,
	description pg_catalog.text,
	recorded_by pg_catalog.name NOT NULL DEFAULT CURRENT_USER,
	recorded_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX award_member_month_idx ON @extschema@.award (member_id, month);
CREATE INDEX award_kind_idx ON @extschema@.award (kind);
COMMENT ON TABLE @extschema@.award IS '奖励加分 award events';
COMMENT ON COLUMN @extschema@.award.award_id IS '奖励编号 award id';
COMMENT ON COLUMN @extschema@.award.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.award.month IS '月份 month (stored as its first day)';
COMMENT ON COLUMN @extschema@.award.kind IS '奖励种类 award kind (its points come from award_kind)';
COMMENT ON COLUMN @extschema@.award.description IS '事由 description, at most 500 characters';
COMMENT ON COLUMN @extschema@.award.recorded_by IS
	'记录人 the role that wrote the row (set by pointsys; a superuser''s value is kept)';
COMMENT ON COLUMN @extschema@.award.recorded_at IS
	'记录时间 start of the transaction that wrote the row (set by pointsys; a superuser''s value is kept)';

CREATE TABLE @extschema@.sanction (
	sanction_id pg_catalog.int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	member_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	kind pg_catalog.text NOT NULL,
	effective_on pg_catalog.date NOT NULL,
	lifted_on pg_catalog.date,
	note pg_catalog.text,
	CONSTRAINT sanction_lifted_after_effective CHECK (lifted_on OPERATOR(pg_catalog.>) effective_on)
);
CREATE INDEX sanction_member_id_idx ON @extschema@.sanction (member_id);
COMMENT ON TABLE @extschema@.sanction IS '党纪处分 sanctions; removal_from_post, probation and law_violation veto every year their period touches';
COMMENT ON COLUMN @extschema@.sanction.sanction_id IS '处分编号 sanction id';
COMMENT ON COLUMN @extschema@.sanction.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.sanction.kind IS '处分种类 kind: warning, serious_warning, removal_from_post, probation, expulsion, law_violation';
COMMENT ON COLUMN @extschema@.sanction.effective_on IS '生效日期 effective on (first day of the period)';
COMMENT ON COLUMN @extschema@.sanction.lifted_on IS '解除日期 lifted on (first day after the period); NULL: not lifted';
COMMENT ON COLUMN @extschema@.sanction.note IS '备注 note, at most 500 characters';

CREATE TABLE @extschema@.evaluation (
	member_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	year pg_catalog.int4 NOT NULL,
	democratic pg_catalog.numeric NOT NULL,
	PRIMARY KEY (member_id, year)
);
COMMENT ON TABLE @extschema@.evaluation IS '民主评议 year-end democratic evaluation';
COMMENT ON COLUMN @extschema@.evaluation.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.evaluation.year IS '年度 year';
COMMENT ON COLUMN @extschema@.evaluation.democratic IS '民主评议得分 democratic score, 0 to 100 (weight 20%)';

COMMENT ON INDEX @extschema@.member_branch_id_idx IS '支部党员 members of a branch';
COMMENT ON INDEX @extschema@.item_category_idx IS '类别项目 items of a category';
COMMENT ON INDEX @extschema@.score_item_idx IS '项目积分 scores of an item (rulebook edits check them)';
COMMENT ON INDEX @extschema@.award_member_month_idx IS '党员奖励 awards of a member-month';
COMMENT ON INDEX @extschema@.award_kind_idx IS '种类奖励 awards of a kind (rulebook edits check them)';
COMMENT ON INDEX @extschema@.sanction_member_id_idx IS '党员处分 sanctions of a member (the veto looks them up)';
COMMENT ON CONSTRAINT member_left_after_joined ON @extschema@.member IS '党籍期间 left_on is not before joined_on';
COMMENT ON CONSTRAINT category_cap_range ON @extschema@.category IS '类别上限 a cap from 0 to 100';
COMMENT ON CONSTRAINT item_not_reward ON @extschema@.item IS '奖励分 the reward category has award kinds, not items';
COMMENT ON CONSTRAINT item_max_points_range ON @extschema@.item IS '最高分 above 0, at most 100';
COMMENT ON CONSTRAINT item_step_range ON @extschema@.item IS '计分步长 above 0, at most the maximum';
COMMENT ON CONSTRAINT award_kind_points_range ON @extschema@.award_kind IS '加分 above 0, at most 100';
COMMENT ON CONSTRAINT sanction_lifted_after_effective ON @extschema@.sanction IS '处分期间 lifted after it took effect';
