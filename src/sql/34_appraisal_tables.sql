-- src/sql/34_appraisal_tables.sql
-- 民主评议 the democratic appraisal's tables: the bureau's weights, a
-- round per branch and year, its tally, the voters' register, one-time
-- codes and anonymous ballots (the rules: 89_appraisal.sql; the argument
-- for the ballots' anonymity: doc/appraisal.md)

CREATE TABLE @extschema@.appraisal_weight (
	label pg_catalog.text PRIMARY KEY,
	weight pg_catalog.numeric NOT NULL,
	CONSTRAINT appraisal_weight_label CHECK (
		label OPERATOR(pg_catalog.=) ANY (ARRAY['excellent', 'qualified', 'basically_qualified',
												'unqualified']::pg_catalog.text[])),
	CONSTRAINT appraisal_weight_range CHECK (
		weight OPERATOR(pg_catalog.>=) 0 AND weight OPERATOR(pg_catalog.<=) 100
		AND pg_catalog.scale(weight) OPERATOR(pg_catalog.<=) 2)
);
COMMENT ON TABLE @extschema@.appraisal_weight IS
	'评议权重 the points each label of a 测评票 is worth (pointsys_admin); no row: the default (excellent 100, qualified 80, basically_qualified 60, unqualified 0)';
COMMENT ON COLUMN @extschema@.appraisal_weight.label IS
	'评议等次 excellent 优秀, qualified 合格, basically_qualified 基本合格, unqualified 不合格';
COMMENT ON COLUMN @extschema@.appraisal_weight.weight IS '分值 points, 0 to 100 with at most two decimals';
COMMENT ON CONSTRAINT appraisal_weight_label ON @extschema@.appraisal_weight IS '评议等次 one of the four labels';
COMMENT ON CONSTRAINT appraisal_weight_range ON @extschema@.appraisal_weight IS '分值 0 to 100, at most two decimals';

CREATE TABLE @extschema@.appraisal_round (
	branch_id pg_catalog.text NOT NULL REFERENCES @extschema@.branch,
	year pg_catalog.int4 NOT NULL,
	status pg_catalog.text NOT NULL DEFAULT 'open',
	electronic pg_catalog.bool NOT NULL DEFAULT false,
	voting_ended pg_catalog.bool NOT NULL DEFAULT false,
	ballots_issued pg_catalog.int4 NOT NULL,
	ballots_returned pg_catalog.int4,
	weight_excellent pg_catalog.numeric,
	weight_qualified pg_catalog.numeric,
	weight_basically_qualified pg_catalog.numeric,
	weight_unqualified pg_catalog.numeric,
	quorum_percent pg_catalog.int4,
	changed_by pg_catalog.name NOT NULL DEFAULT CURRENT_USER,
	changed_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
	publicity_start pg_catalog.date,
	publicity_end pg_catalog.date,
	CONSTRAINT appraisal_round_pkey PRIMARY KEY (branch_id, year),
	CONSTRAINT appraisal_round_status CHECK (
		status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'closed', 'publicized', 'final']::pg_catalog.text[])),
	CONSTRAINT appraisal_round_ballots CHECK (
		ballots_issued OPERATOR(pg_catalog.>=) 1 AND ballots_issued OPERATOR(pg_catalog.<=) 10000
		AND ballots_returned OPERATOR(pg_catalog.>=) 0
		AND ballots_returned OPERATOR(pg_catalog.<=) ballots_issued),
	CONSTRAINT appraisal_round_year CHECK (year OPERATOR(pg_catalog.>=) 1921 AND year OPERATOR(pg_catalog.<=) 9999)
);
COMMENT ON TABLE @extschema@.appraisal_round IS
	'民主评议轮次 a branch''s democratic appraisal of a year: open (投票计票) → closed (scores into evaluation) → publicized (公示) → final';
COMMENT ON COLUMN @extschema@.appraisal_round.branch_id IS '支部 branch';
COMMENT ON COLUMN @extschema@.appraisal_round.year IS '年度 year appraised';
COMMENT ON COLUMN @extschema@.appraisal_round.status IS '状态 open, closed, publicized or final';
COMMENT ON COLUMN @extschema@.appraisal_round.electronic IS
	'电子投票 true: voters cast anonymous ballots on screens (cast_ballot); false: tellers enter the paper ballots'' tally';
COMMENT ON COLUMN @extschema@.appraisal_round.voting_ended IS
	'投票结束 an electronic round takes no more ballots, ever (set and committed before it closes: doc/appraisal.md)';
COMMENT ON COLUMN @extschema@.appraisal_round.ballots_issued IS '发出票数 ballots issued (1 to 10000)';
COMMENT ON COLUMN @extschema@.appraisal_round.ballots_returned IS
	'收回票数 ballots returned: entered by the tellers (paper), counted when the round closes (electronic)';
COMMENT ON COLUMN @extschema@.appraisal_round.weight_excellent IS '优秀分值 the weight of excellent when the round closed';
COMMENT ON COLUMN @extschema@.appraisal_round.weight_qualified IS '合格分值 the weight of qualified when the round closed';
COMMENT ON COLUMN @extschema@.appraisal_round.weight_basically_qualified IS '基本合格分值 the weight of basically_qualified when the round closed';
COMMENT ON COLUMN @extschema@.appraisal_round.weight_unqualified IS '不合格分值 the weight of unqualified when the round closed';
COMMENT ON COLUMN @extschema@.appraisal_round.quorum_percent IS '有效票比例 the quorum when the round closed (setting appraisal_quorum_percent)';
COMMENT ON COLUMN @extschema@.appraisal_round.changed_by IS '变更人 changed by';
COMMENT ON COLUMN @extschema@.appraisal_round.changed_at IS '变更时间 changed at';
COMMENT ON COLUMN @extschema@.appraisal_round.publicity_start IS '公示开始 publicity started on (Beijing time)';
COMMENT ON COLUMN @extschema@.appraisal_round.publicity_end IS '公示结束 publicity ends at the start of this day: the round may be final from this day on';
COMMENT ON INDEX @extschema@.appraisal_round_pkey IS '评议轮次主键 one round per branch and year';
COMMENT ON CONSTRAINT appraisal_round_status ON @extschema@.appraisal_round IS '状态 a known status';
COMMENT ON CONSTRAINT appraisal_round_ballots ON @extschema@.appraisal_round IS '票数 1 to 10000 issued, at most as many returned';
COMMENT ON CONSTRAINT appraisal_round_year ON @extschema@.appraisal_round IS '年度 from 1921';

CREATE TABLE @extschema@.appraisal_tally (
	branch_id pg_catalog.text NOT NULL,
	year pg_catalog.int4 NOT NULL,
	member_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	excellent pg_catalog.int4 NOT NULL DEFAULT 0,
	qualified pg_catalog.int4 NOT NULL DEFAULT 0,
	basically_qualified pg_catalog.int4 NOT NULL DEFAULT 0,
	unqualified pg_catalog.int4 NOT NULL DEFAULT 0,
	spoilt pg_catalog.int4 NOT NULL DEFAULT 0,
	valid pg_catalog.int4 GENERATED ALWAYS AS (excellent OPERATOR(pg_catalog.+) qualified
		OPERATOR(pg_catalog.+) basically_qualified OPERATOR(pg_catalog.+) unqualified) STORED,
	CONSTRAINT appraisal_tally_pkey PRIMARY KEY (branch_id, year, member_id),
	CONSTRAINT appraisal_tally_round_fkey FOREIGN KEY (branch_id, year) REFERENCES @extschema@.appraisal_round,
	CONSTRAINT appraisal_tally_counts CHECK (
		excellent OPERATOR(pg_catalog.>=) 0 AND qualified OPERATOR(pg_catalog.>=) 0
		AND basically_qualified OPERATOR(pg_catalog.>=) 0 AND unqualified OPERATOR(pg_catalog.>=) 0
		AND spoilt OPERATOR(pg_catalog.>=) 0)
);
CREATE INDEX appraisal_tally_member_idx ON @extschema@.appraisal_tally (member_id, year);
COMMENT ON TABLE @extschema@.appraisal_tally IS
	'计票 the tally of a round: for each member appraised, the votes for each label and the ballots spoilt for her';
COMMENT ON COLUMN @extschema@.appraisal_tally.branch_id IS '支部 branch of the round';
COMMENT ON COLUMN @extschema@.appraisal_tally.year IS '年度 year of the round';
COMMENT ON COLUMN @extschema@.appraisal_tally.member_id IS '被评议党员 the member appraised';
COMMENT ON COLUMN @extschema@.appraisal_tally.excellent IS '优秀 votes';
COMMENT ON COLUMN @extschema@.appraisal_tally.qualified IS '合格 votes';
COMMENT ON COLUMN @extschema@.appraisal_tally.basically_qualified IS '基本合格 votes';
COMMENT ON COLUMN @extschema@.appraisal_tally.unqualified IS '不合格 votes';
COMMENT ON COLUMN @extschema@.appraisal_tally.spoilt IS '废票 ballots whose mark for her is not valid';
COMMENT ON COLUMN @extschema@.appraisal_tally.valid IS '有效票 valid votes: the four labels'' votes together (generated)';
COMMENT ON INDEX @extschema@.appraisal_tally_pkey IS '计票主键 one tally per member in a round';
COMMENT ON INDEX @extschema@.appraisal_tally_member_idx IS '党员计票 a member''s tallies';
COMMENT ON CONSTRAINT appraisal_tally_round_fkey ON @extschema@.appraisal_tally IS '评议轮次 the round tallied';
COMMENT ON CONSTRAINT appraisal_tally_counts ON @extschema@.appraisal_tally IS '票数 no count below 0';

-- 电子投票 the register of logins who may vote, the one-time codes and the
-- ballots.  Codes and ballots have no grants: only cast_ballot (as the
-- owner) writes them, and a ballot has no voter, time, id or order.
CREATE TABLE @extschema@.appraisal_voter (
	branch_id pg_catalog.text NOT NULL,
	year pg_catalog.int4 NOT NULL,
	role_name pg_catalog.name NOT NULL,
	voted pg_catalog.bool NOT NULL DEFAULT false,
	CONSTRAINT appraisal_voter_pkey PRIMARY KEY (branch_id, year, role_name),
	CONSTRAINT appraisal_voter_round_fkey FOREIGN KEY (branch_id, year) REFERENCES @extschema@.appraisal_round
);
COMMENT ON TABLE @extschema@.appraisal_voter IS
	'投票人名册 the logins who may cast one ballot in an electronic round; records only whether each voted';
COMMENT ON COLUMN @extschema@.appraisal_voter.branch_id IS '支部 branch of the round';
COMMENT ON COLUMN @extschema@.appraisal_voter.year IS '年度 year of the round';
COMMENT ON COLUMN @extschema@.appraisal_voter.role_name IS '投票人 the voter''s login';
COMMENT ON COLUMN @extschema@.appraisal_voter.voted IS '已投票 she has voted';
COMMENT ON INDEX @extschema@.appraisal_voter_pkey IS '投票人主键 a login once per round';
COMMENT ON CONSTRAINT appraisal_voter_round_fkey ON @extschema@.appraisal_voter IS '评议轮次 the round';

CREATE TABLE @extschema@.appraisal_code (
	code_hash pg_catalog.bytea NOT NULL,
	branch_id pg_catalog.text NOT NULL,
	year pg_catalog.int4 NOT NULL,
	used pg_catalog.bool NOT NULL DEFAULT false,
	CONSTRAINT appraisal_code_pkey PRIMARY KEY (code_hash),
	CONSTRAINT appraisal_code_round_fkey FOREIGN KEY (branch_id, year) REFERENCES @extschema@.appraisal_round
);
CREATE INDEX appraisal_code_round_idx ON @extschema@.appraisal_code (branch_id, year);
COMMENT ON TABLE @extschema@.appraisal_code IS
	'投票码 one-time codes printed for an electronic round: their SHA-256 only, and whether each was used (no grants)';
COMMENT ON COLUMN @extschema@.appraisal_code.code_hash IS '投票码摘要 SHA-256 of the code';
COMMENT ON COLUMN @extschema@.appraisal_code.branch_id IS '支部 branch of the round';
COMMENT ON COLUMN @extschema@.appraisal_code.year IS '年度 year of the round';
COMMENT ON COLUMN @extschema@.appraisal_code.used IS '已使用 a ballot was cast with it';
COMMENT ON INDEX @extschema@.appraisal_code_pkey IS '投票码主键 each code once';
COMMENT ON INDEX @extschema@.appraisal_code_round_idx IS '轮次投票码 the codes of a round';
COMMENT ON CONSTRAINT appraisal_code_round_fkey ON @extschema@.appraisal_code IS '评议轮次 the round';

CREATE TABLE @extschema@.appraisal_ballot (
	branch_id pg_catalog.text NOT NULL,
	year pg_catalog.int4 NOT NULL,
	marks pg_catalog.jsonb NOT NULL,
	CONSTRAINT appraisal_ballot_round_fkey FOREIGN KEY (branch_id, year) REFERENCES @extschema@.appraisal_round
);
CREATE INDEX appraisal_ballot_round_idx ON @extschema@.appraisal_ballot (branch_id, year);
COMMENT ON TABLE @extschema@.appraisal_ballot IS
	'电子测评票 the ballots of electronic rounds: each member''s label, nothing of the voter (no grants; read them in appraisal_ballots once the round is closed)';
COMMENT ON COLUMN @extschema@.appraisal_ballot.branch_id IS '支部 branch of the round';
COMMENT ON COLUMN @extschema@.appraisal_ballot.year IS '年度 year of the round';
COMMENT ON COLUMN @extschema@.appraisal_ballot.marks IS '评议 {member_id: label}; a member left out: no vote for her';
COMMENT ON INDEX @extschema@.appraisal_ballot_round_idx IS '轮次选票 the ballots of a round';
COMMENT ON CONSTRAINT appraisal_ballot_round_fkey ON @extschema@.appraisal_ballot IS '评议轮次 the round';

-- 民主评议得分 an evaluation's round: NULL for a score typed in
ALTER TABLE @extschema@.evaluation ADD COLUMN round_branch_id pg_catalog.text,
	ADD CONSTRAINT evaluation_round_fkey FOREIGN KEY (round_branch_id, year) REFERENCES @extschema@.appraisal_round;
COMMENT ON COLUMN @extschema@.evaluation.round_branch_id IS
	'评议轮次 the branch of the appraisal round the score came from (with year); NULL: typed in';
COMMENT ON CONSTRAINT evaluation_round_fkey ON @extschema@.evaluation IS '评议轮次 the round the score came from';
