-- src/sql/92_import.sql
-- 批量导入 bulk import: import_rows (the core), import_scores,
-- import_awards (JSON); import_csv (CSV text: csv_rows, csv_date),
-- import_branches, import_members, import_recorders, import_scores_csv,
-- import_awards_csv

------------------------------------------------------------------------
-- 批量导入 bulk import of a month's sheet (issue 11): COPY FROM is refused
-- under row-level security, so a recorder loads a sheet of scores or awards
-- with one call, all or nothing, under every write rule and its own
-- row-level security (SECURITY INVOKER); a dry run lists every bad row
-- (row number, field, SQLSTATE, constraint, message in the session's
-- language) and writes nothing.
------------------------------------------------------------------------

-- 导入核心 the one core of every import: the sheet (a JSON array of
-- objects, keyed by the target table's column names) inserted into
-- pointsys.<target> in one statement; if that fails, the sheet is tried
-- again in halves, and the halves that fail in halves again, each part in
-- a subtransaction and the whole undone, until every bad row stands alone
-- (each good row is checked with the good rows before it in place, as row
-- by row, but a sheet with a few bad rows costs a few statements, not one
-- a row).  Each bad row is reported with its field (the column the
-- refusal names, else the one whose value does not convert, else the last
-- column of the constraint, else the member or branch it is about) and a
-- detail (the refusal's, else one naming what the sheet sent: the key of a
-- duplicate and whether an earlier row has it, the value that does not
-- convert or is missing, or the row).
CREATE FUNCTION @extschema@.import_rows(target pg_catalog.text, sheet pg_catalog.jsonb, dry_run pg_catalog.bool)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text,
				   constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE plpgsql SECURITY INVOKER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cols pg_catalog.text[];
	types pg_catalog.text[];
	required pg_catalog.int4;
	collist pg_catalog.text;
	recdef pg_catalog.text;
	ins pg_catalog.text;
	total pg_catalog.int4;
	los pg_catalog.int4[] := '{}';
	his pg_catalog.int4[] := '{}';
	lo pg_catalog.int4;
	hi pg_catalog.int4;
	mid pg_catalog.int4;
	k pg_catalog.int4;
	elem pg_catalog.jsonb;
	keycols pg_catalog.text[];
	keytext pg_catalog.text;
	earlier pg_catalog.bool;
	bad pg_catalog.int4 := 0;
	fast_state pg_catalog.text;
	fast_message pg_catalog.text;
	fast_detail pg_catalog.text;
BEGIN
	cols := CASE target
		WHEN 'score' THEN '{member_id,month,item,points,note}'::pg_catalog.text[]
		WHEN 'award' THEN '{member_id,month,kind,description}'::pg_catalog.text[]
		WHEN 'branch' THEN '{branch_id,name}'::pg_catalog.text[]
		WHEN 'member' THEN '{member_id,name,branch_id,joined_on,left_on}'::pg_catalog.text[]
		WHEN 'recorder' THEN '{branch_id,role_name,elected_on}'::pg_catalog.text[] END;
	types := CASE target
		WHEN 'score' THEN '{text,date,text,numeric,text}'::pg_catalog.text[]
		WHEN 'award' THEN '{text,date,text,text}'::pg_catalog.text[]
		WHEN 'branch' THEN '{text,text}'::pg_catalog.text[]
		WHEN 'member' THEN '{text,text,text,date,date}'::pg_catalog.text[]
		WHEN 'recorder' THEN '{text,name,date}'::pg_catalog.text[] END;
	required := CASE target WHEN 'score' THEN 4 WHEN 'award' THEN 3 WHEN 'branch' THEN 2 ELSE 3 END;
	IF cols IS NULL THEN
		PERFORM pointsys.refuse('22023', 'pointsys cannot import into "%s"', NULL, NULL, target);
	END IF;
	IF pg_catalog.jsonb_typeof(sheet) IS DISTINCT FROM 'array' THEN
		PERFORM pointsys.refuse('22023', 'a sheet is a JSON array of rows', NULL, 'Give [{%s}, …].',
								pg_catalog.array_to_string(ARRAY(
									SELECT pg_catalog.format('"%s": …', c)
									FROM pg_catalog.unnest(cols[1:required]) AS c), ', '));
	END IF;
	SELECT pg_catalog.string_agg('r.' OPERATOR(pg_catalog.||) pg_catalog.quote_ident(c), ', ' ORDER BY n),
		   pg_catalog.string_agg(pg_catalog.quote_ident(c) OPERATOR(pg_catalog.||) ' pg_catalog.'
								 OPERATOR(pg_catalog.||) t, ', ' ORDER BY n)
	INTO collist, recdef
	FROM ROWS FROM (pg_catalog.unnest(cols), pg_catalog.unnest(types)) WITH ORDINALITY AS u(c, t, n);
	ins := pg_catalog.format('INSERT INTO pointsys.%I (%s) SELECT %s FROM pg_catalog.jsonb_to_recordset($1) AS r(%s)',
							 target, pg_catalog.replace(collist, 'r.', ''), collist, recdef);
	-- the sheet in one statement: every rule checked, nothing written if one
	-- fails (nor in a dry run)
	BEGIN
		EXECUTE ins USING sheet;
		IF dry_run THEN
			RAISE SQLSTATE 'PZ001';		-- a good sheet: undone
		END IF;
		RETURN;
	EXCEPTION WHEN SQLSTATE 'PZ001' THEN
		RETURN;
	WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS fast_state = RETURNED_SQLSTATE, fast_message = MESSAGE_TEXT,
			fast_detail = PG_EXCEPTION_DETAIL;
	END;
	-- in halves, first half first; the whole undone at the end
	total := pg_catalog.jsonb_array_length(sheet);
	mid := (total OPERATOR(pg_catalog.+) 1) OPERATOR(pg_catalog./) 2;
	IF total OPERATOR(pg_catalog.>) 1 THEN
		los := ARRAY[mid OPERATOR(pg_catalog.+) 1, 1];
		his := ARRAY[total, mid];
	ELSE
		los := ARRAY[1];
		his := ARRAY[1];
	END IF;
	BEGIN
		WHILE pg_catalog.cardinality(los) OPERATOR(pg_catalog.>) 0 LOOP
			lo := los[pg_catalog.cardinality(los)];
			hi := his[pg_catalog.cardinality(his)];
			los := pg_catalog.trim_array(los, 1);
			his := pg_catalog.trim_array(his, 1);
			IF lo OPERATOR(pg_catalog.<) hi THEN
				BEGIN
					EXECUTE ins USING pg_catalog.jsonb_path_query_array(sheet, '$[$lo to $hi]',
						pg_catalog.jsonb_build_object('lo', lo OPERATOR(pg_catalog.-) 1, 'hi', hi OPERATOR(pg_catalog.-) 1));
				EXCEPTION WHEN OTHERS THEN
					mid := (lo OPERATOR(pg_catalog.+) hi) OPERATOR(pg_catalog./) 2;
					los := los OPERATOR(pg_catalog.||) ARRAY[mid OPERATOR(pg_catalog.+) 1, lo];
					his := his OPERATOR(pg_catalog.||) ARRAY[hi, mid];
				END;
				CONTINUE;
			END IF;
			elem := sheet OPERATOR(pg_catalog.->) (lo OPERATOR(pg_catalog.-) 1);
			BEGIN
				EXECUTE ins USING pg_catalog.jsonb_build_array(elem);
			EXCEPTION WHEN OTHERS THEN
				GET STACKED DIAGNOSTICS error_code = RETURNED_SQLSTATE, field = COLUMN_NAME,
					constraint_name = CONSTRAINT_NAME, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
				row_number := lo;
				field := NULLIF(field, '');
				constraint_name := NULLIF(constraint_name, '');
				detail := NULLIF(detail, '');
				-- the field: a value that does not convert to its column's type
				IF field IS NULL AND pg_catalog.left(error_code, 2) OPERATOR(pg_catalog.=) '22' THEN
					FOR k IN 1 .. pg_catalog.cardinality(cols) LOOP
						BEGIN
							EXECUTE pg_catalog.format('SELECT ($1 OPERATOR(pg_catalog.->>) %L)::pg_catalog.%s',
													  cols[k], types[k]) USING elem;
						EXCEPTION WHEN OTHERS THEN
							field := cols[k];
							EXIT;
						END;
					END LOOP;
				END IF;
				-- the constraint's columns: its last names the field (a
				-- duplicate score: the item; a member: member_id)
				IF constraint_name IS NOT NULL THEN
					-- (a check's columns in table order: the later date of a range)
					SELECT pg_catalog.array_agg(a.attname::pg_catalog.text
												ORDER BY CASE WHEN c.contype OPERATOR(pg_catalog.=) 'c' THEN a.attnum::pg_catalog.int8
															  ELSE ck.n END)
					INTO keycols
					FROM pg_catalog.pg_constraint c
					CROSS JOIN LATERAL pg_catalog.unnest(c.conkey) WITH ORDINALITY AS ck(attnum, n)
					JOIN pg_catalog.pg_attribute a
					  ON a.attrelid OPERATOR(pg_catalog.=) c.conrelid AND a.attnum OPERATOR(pg_catalog.=) ck.attnum
					WHERE c.conrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.format('pointsys.%I', target))
					  AND c.conname OPERATOR(pg_catalog.=) constraint_name;
					field := COALESCE(field, keycols[pg_catalog.cardinality(keycols)]);
				ELSE
					keycols := NULL;
				END IF;
				-- row-level security: the member (or branch) the row is about
				IF field IS NULL AND error_code OPERATOR(pg_catalog.=) '42501' THEN
					field := cols[1];
				END IF;
				IF keycols IS NOT NULL AND error_code OPERATOR(pg_catalog.=) ANY ('{23505,23503}'::pg_catalog.text[]) THEN
					EXECUTE pg_catalog.format('SELECT pg_catalog.concat_ws('', '', %s) FROM pg_catalog.jsonb_to_record($1) AS r(%s)',
											  (SELECT pg_catalog.string_agg('r.' OPERATOR(pg_catalog.||) pg_catalog.quote_ident(c), ', ')
											   FROM pg_catalog.unnest(keycols) AS c), recdef)
						INTO keytext USING elem;
				END IF;
				-- a missing referenced row: PostgreSQL names the key's values
				-- only to writers that row security does not restrict
				IF error_code OPERATOR(pg_catalog.=) '23503' AND keycols IS NOT NULL
				   AND (detail IS NULL OR detail OPERATOR(pg_catalog.~~) 'Key is not present in table %') THEN
					detail := pg_catalog.format('Key (%s)=(%s) is not present in table "%s".',
						pg_catalog.array_to_string(keycols, ', '), keytext,
						(SELECT f.relname FROM pg_catalog.pg_constraint c
						 JOIN pg_catalog.pg_class f ON f.oid OPERATOR(pg_catalog.=) c.confrelid
						 WHERE c.conrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.format('pointsys.%I', target))
						   AND c.conname OPERATOR(pg_catalog.=) constraint_name));
				END IF;
				IF error_code OPERATOR(pg_catalog.=) '23505' AND keycols IS NOT NULL
				   AND (detail IS NULL OR detail OPERATOR(pg_catalog.~~) 'Key (%) already exists.') THEN
					-- a duplicate: its key, and whether an earlier row of the sheet has it
					SELECT EXISTS (
						SELECT FROM pg_catalog.jsonb_array_elements(sheet) WITH ORDINALITY AS e(v, n)
						WHERE e.n OPERATOR(pg_catalog.<) lo
						  AND NOT EXISTS (SELECT FROM pg_catalog.unnest(keycols) AS c
										  WHERE (e.v OPERATOR(pg_catalog.->>) c)
												IS DISTINCT FROM (elem OPERATOR(pg_catalog.->>) c)))
					INTO earlier;
					detail := pg_catalog.format(CASE WHEN earlier THEN 'Key (%s)=(%s) is also in an earlier row of the sheet.'
													 ELSE 'Key (%s)=(%s) already exists.' END,
												pg_catalog.array_to_string(keycols, ', '), keytext);
				ELSIF detail IS NULL AND field OPERATOR(pg_catalog.=) ANY (cols)
					  AND (pg_catalog.left(error_code, 2) OPERATOR(pg_catalog.=) '22' OR error_code OPERATOR(pg_catalog.=) '23502') THEN
					detail := CASE WHEN (elem OPERATOR(pg_catalog.->>) field) IS NULL
								   THEN 'The value is empty.'
								   ELSE pg_catalog.format('The value is "%s".', elem OPERATOR(pg_catalog.->>) field) END;
				END IF;
				IF detail IS NULL THEN
					detail := COALESCE(
						(SELECT 'The row is ' OPERATOR(pg_catalog.||)
								pg_catalog.string_agg(pg_catalog.format('%s "%s"', c, elem OPERATOR(pg_catalog.->>) c), ', ' ORDER BY n)
								OPERATOR(pg_catalog.||) '.'
						 FROM pg_catalog.unnest(cols) WITH ORDINALITY AS u(c, n)
						 WHERE (elem OPERATOR(pg_catalog.->>) c) IS NOT NULL),
						'Each row of a sheet is a JSON object keyed by column names.');
				END IF;
				bad := bad OPERATOR(pg_catalog.+) 1;
				RETURN NEXT;
			END;
		END LOOP;
		RAISE SQLSTATE 'PZ001';
	EXCEPTION WHEN SQLSTATE 'PZ001' THEN
		NULL;
	END;
	-- the one statement failed, yet no row does alone (a lock or
	-- serialization failure, say): that error is the caller's
	IF bad OPERATOR(pg_catalog.=) 0 THEN
		IF fast_detail IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = fast_state, MESSAGE = fast_message;
		END IF;
		RAISE EXCEPTION USING ERRCODE = fast_state, MESSAGE = fast_message, DETAIL = fast_detail;
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.import_rows(pg_catalog.text, pg_catalog.jsonb, pg_catalog.bool) IS
	'导入核心 the core of every import: a JSON array of rows inserted into pointsys.<target> (score, award, branch, member, recorder) all or nothing with the caller''s rights; returns every bad row (position, field, SQLSTATE, constraint, message, detail) and then writes nothing';

CREATE FUNCTION @extschema@.import_scores(sheet pg_catalog.jsonb, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text,
				   constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE sql SECURITY INVOKER
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT * FROM @extschema@.import_rows('score', import_scores.sheet, import_scores.dry_run);
END;
COMMENT ON FUNCTION @extschema@.import_scores(pg_catalog.jsonb, pg_catalog.bool) IS
	'批量导入积分 load a sheet of scores (JSON array of {member_id, month, item, points, note}) all or nothing, with the caller''s rights; returns no row when loaded, else every bad row and writes nothing; dry_run only checks';

CREATE FUNCTION @extschema@.import_awards(sheet pg_catalog.jsonb, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text,
				   constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE sql SECURITY INVOKER
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT * FROM @extschema@.import_rows('award', import_awards.sheet, import_awards.dry_run);
END;
COMMENT ON FUNCTION @extschema@.import_awards(pg_catalog.jsonb, pg_catalog.bool) IS
	'批量导入奖励 load a sheet of awards (JSON array of {member_id, month, kind, description}) all or nothing, with the caller''s rights; returns no row when loaded, else every bad row and writes nothing; dry_run only checks';

------------------------------------------------------------------------
-- 表格导入 CSV text as Excel and WPS export it (issue 24): the bureau's
-- people (branches, members, recorders) for pointsys_admin, and a month's
-- sheet of scores (long, or the record form's wide layout) or awards for
-- recorders; the text is an argument (psql: \set sheet `cat file.csv`),
-- since COPY FROM is refused under row-level security.  The CSV is read
-- into the JSON sheet of import_rows, whose report is given back with each
-- row's spreadsheet row and each field's column header as the file has it.
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.csv_rows(csv pg_catalog.text)
	RETURNS TABLE (line pg_catalog.int4, fields pg_catalog.text[])
	AS 'MODULE_PATHNAME', 'pointsys_csv_rows'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.csv_rows(pg_catalog.text) IS
	'表格行 the rows of a CSV text (UTF-8 byte order mark, CRLF, quoted fields with commas, quotes and line breaks), each with its spreadsheet row number; rows of empty fields skipped';

-- 日期 a date as spreadsheets write it, as PostgreSQL reads it: 2026/7/1,
-- 2026-07-01, 2026.7.1 and 2026年7月1日 are 2026-07-01; with whole_month,
-- 2026-07, 2026/7 and 2026年7月 too; anything else unchanged (its cast
-- fails with the value in the message)
CREATE FUNCTION @extschema@.csv_date(value pg_catalog.text, whole_month pg_catalog.bool)
	RETURNS pg_catalog.text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE
		WHEN m IS NULL OR (m[3] IS NULL AND NOT csv_date.whole_month) THEN csv_date.value
		ELSE pg_catalog.format('%s-%s-%s', m[1], pg_catalog.lpad(m[2], 2, '0'), pg_catalog.lpad(COALESCE(m[3], '1'), 2, '0')) END
	FROM pg_catalog.regexp_match(csv_date.value,
		'^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:(?:[-/.]|月)\s*(\d{1,2})\s*日?|月?)\s*$') AS m;
END;
COMMENT ON FUNCTION @extschema@.csv_date(pg_catalog.text, pg_catalog.bool) IS
	'表格日期 a date written 2026/7/1, 2026-07-01, 2026.7.1 or 2026年7月1日 (and, for a month, 2026-07, 2026/7, 2026年7月) as 2026-07-01; other text unchanged';

CREATE FUNCTION @extschema@.import_csv(target pg_catalog.text, csv pg_catalog.text, dry_run pg_catalog.bool)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text,
				   constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE plpgsql SECURITY INVOKER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	names pg_catalog.jsonb;		-- header (normalised) → column; '' ignored
	labels pg_catalog.jsonb;	-- column → its Chinese header
	required pg_catalog.text[];
	header pg_catalog.text[];
	hline pg_catalog.int4;
	h pg_catalog.text;
	c pg_catalog.text;
	k pg_catalog.int4;
	wide pg_catalog.bool := false;
	pos pg_catalog.jsonb := '{}';		-- column → its position in the header
	item_pos pg_catalog.int4[] := '{}';
	item_code pg_catalog.text[] := '{}';
	bad_header pg_catalog.bool := false;
	sheet pg_catalog.jsonb;
	lines pg_catalog.int4[];
	cells pg_catalog.text[];
BEGIN
	names := CASE target
		WHEN 'branch' THEN '{"branch_id": "branch_id", "支部编号": "branch_id", "name": "name", "支部名称": "name",
							  "序号": ""}'
		WHEN 'member' THEN '{"member_id": "member_id", "党员编号": "member_id", "name": "name", "姓名": "name",
							  "branch_id": "branch_id", "branch": "branch_id", "所在支部": "branch_id",
							  "支部编号": "branch_id", "支部": "branch_id",
							  "joined_on": "joined_on", "入党日期": "joined_on", "转入日期": "joined_on",
							  "入党(转入)日期": "joined_on", "left_on": "left_on", "离开日期": "left_on",
							  "转出日期": "left_on", "支部名称": "", "序号": ""}'
		WHEN 'recorder' THEN '{"branch_id": "branch_id", "branch": "branch_id", "支部编号": "branch_id",
								"所在支部": "branch_id", "支部": "branch_id", "role_name": "role_name",
								"记录员": "role_name", "登录名": "role_name", "elected_on": "elected_on",
								"当选日期": "elected_on", "推选日期": "elected_on", "支部名称": "", "姓名": "",
								"序号": ""}'
		WHEN 'score' THEN '{"member_id": "member_id", "党员编号": "member_id", "month": "month", "月份": "month",
							 "item": "item", "积分项目": "item", "项目编号": "item", "points": "points",
							 "得分": "points", "note": "note", "备注": "note", "name": "", "姓名": "",
							 "branch_id": "", "支部": "", "所在支部": "", "award_points": "", "奖励加分": "",
							 "reward": "", "奖励分": "", "total": "", "月度积分": "", "序号": ""}'
		WHEN 'award' THEN '{"member_id": "member_id", "党员编号": "member_id", "month": "month", "月份": "month",
							 "kind": "kind", "奖励种类": "kind", "description": "description", "事由": "description",
							 "name": "", "姓名": "", "序号": ""}' END;
	labels := '{"branch_id": "支部编号", "name": "姓名", "member_id": "党员编号", "joined_on": "入党日期",
				"left_on": "离开日期", "role_name": "记录员", "elected_on": "当选日期", "month": "月份",
				"item": "积分项目", "points": "得分", "note": "备注", "kind": "奖励种类", "description": "事由"}';
	IF target OPERATOR(pg_catalog.=) 'branch' THEN
		labels := labels OPERATOR(pg_catalog.||) '{"name": "支部名称"}';
	END IF;
	required := CASE target
		WHEN 'branch' THEN '{branch_id,name}'::pg_catalog.text[]
		WHEN 'member' THEN '{member_id,name,branch_id}'::pg_catalog.text[]
		WHEN 'recorder' THEN '{branch_id,role_name,elected_on}'::pg_catalog.text[]
		WHEN 'score' THEN '{member_id,month,item,points}'::pg_catalog.text[]
		WHEN 'award' THEN '{member_id,month,kind}'::pg_catalog.text[] END;
	IF names IS NULL THEN
		PERFORM pointsys.refuse('22023', 'pointsys cannot import into "%s"', NULL, NULL, target);
	END IF;

	-- the header: the first row
	SELECT r.line, r.fields INTO hline, header FROM pointsys.csv_rows(csv) AS r LIMIT 1;
	IF header IS NULL THEN
		RETURN QUERY SELECT 1, NULL::pg_catalog.text, '22P04'::pg_catalog.text, NULL::pg_catalog.text,
			'the CSV text has no header row'::pg_catalog.text,
			'The first row of the sheet names its columns.'::pg_catalog.text;
		RETURN;
	END IF;
	FOR k IN 1 .. pg_catalog.cardinality(header) LOOP
		h := pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.translate(header[k], '（）', '()'), '\s+', '', 'g'));
		c := names OPERATOR(pg_catalog.->>) h;
		IF c IS NULL AND h OPERATOR(pg_catalog.=) '' THEN
			CONTINUE;					-- an empty column spreadsheets add
		END IF;
		IF c IS NULL AND target OPERATOR(pg_catalog.=) 'score' THEN
			SELECT i.item INTO c FROM pointsys.item i
			WHERE pg_catalog.lower(i.item) OPERATOR(pg_catalog.=) h
			   OR pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.translate(i.title, '（）', '()'), '\s+', '', 'g'))
				  OPERATOR(pg_catalog.=) h
			ORDER BY i.item LIMIT 1;
			IF c IS NOT NULL THEN
				IF c OPERATOR(pg_catalog.=) ANY (item_code) THEN
					bad_header := true;
					RETURN QUERY SELECT hline, header[k], '22P04'::pg_catalog.text, NULL::pg_catalog.text,
						pg_catalog.format('the column of item "%s" appears twice', c),
						pg_catalog.format('Column %s repeats an earlier column.', k);
				END IF;
				item_pos := item_pos OPERATOR(pg_catalog.||) k;
				item_code := item_code OPERATOR(pg_catalog.||) c;
				CONTINUE;
			END IF;
		END IF;
		IF c IS NULL THEN
			bad_header := true;
			RETURN QUERY SELECT hline, header[k], '22P04'::pg_catalog.text, NULL::pg_catalog.text,
				pg_catalog.format('unknown column header "%s"', header[k]),
				pg_catalog.format('The columns of this sheet are %s%s.',
					(SELECT pg_catalog.string_agg(pg_catalog.format('%s (%s)', l.value, l.key), ', ' ORDER BY l.key)
					 FROM pg_catalog.jsonb_each_text(labels) AS l
					 WHERE EXISTS (SELECT FROM pg_catalog.jsonb_each_text(names) AS n
								   WHERE n.value OPERATOR(pg_catalog.=) l.key)),
					CASE WHEN target OPERATOR(pg_catalog.=) 'score'
						 THEN ', or one column per item of the rulebook, headed by its code or its title' ELSE '' END);
		ELSIF c OPERATOR(pg_catalog.<>) '' THEN
			IF pos OPERATOR(pg_catalog.?) c THEN
				bad_header := true;
				RETURN QUERY SELECT hline, header[k], '22P04'::pg_catalog.text, NULL::pg_catalog.text,
					pg_catalog.format('the column %s appears twice', labels OPERATOR(pg_catalog.->>) c),
					pg_catalog.format('Column %s repeats column %s.', k, pos OPERATOR(pg_catalog.->>) c);
			ELSE
				pos := pos OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(c, k);
			END IF;
		END IF;
	END LOOP;
	-- a month's sheet without item and points columns is the record form's
	-- layout: one column per item of the rulebook, each required
	IF target OPERATOR(pg_catalog.=) 'score' AND NOT (pos OPERATOR(pg_catalog.?|) '{item,points,note}'::pg_catalog.text[]) THEN
		wide := true;
		required := '{member_id,month}';
		RETURN QUERY SELECT hline, i.title, '22P04'::pg_catalog.text, NULL::pg_catalog.text,
			pg_catalog.format('the sheet has no column for item "%s"', u.item),
			'The record form has a column for each item of the rulebook, headed by its code or its title; leave a cell empty for no score.'::pg_catalog.text
		FROM pg_catalog.unnest(pointsys.rulebook_items()) WITH ORDINALITY AS u(item, n)
		JOIN pointsys.item i ON i.item OPERATOR(pg_catalog.=) u.item
		WHERE u.item OPERATOR(pg_catalog.<>) ALL (item_code)
		ORDER BY u.n;
		IF FOUND THEN
			bad_header := true;
		END IF;
	ELSIF pg_catalog.cardinality(item_code) OPERATOR(pg_catalog.>) 0 THEN
		bad_header := true;
		RETURN QUERY SELECT hline, header[p], '22P04'::pg_catalog.text, NULL::pg_catalog.text,
			pg_catalog.format('unknown column header "%s"', header[p]),
			'A sheet in the long form has the columns 党员编号, 月份, 积分项目, 得分 and 备注; item columns belong to the record form''s layout.'::pg_catalog.text
		FROM pg_catalog.unnest(item_pos) AS p;
	END IF;
	RETURN QUERY SELECT hline, labels OPERATOR(pg_catalog.->>) r, '22P04'::pg_catalog.text, NULL::pg_catalog.text,
		pg_catalog.format('the sheet has no column %s', labels OPERATOR(pg_catalog.->>) r),
		pg_catalog.format('Head a column %s (or %s).', labels OPERATOR(pg_catalog.->>) r, r)
	FROM pg_catalog.unnest(required) AS r
	WHERE NOT pos OPERATOR(pg_catalog.?) r;
	IF FOUND THEN
		bad_header := true;
	END IF;
	IF bad_header THEN
		RETURN;
	END IF;

	-- the rows as JSON objects, each cell trimmed, empty as null, dates read
	IF wide THEN
		SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
					'member_id', v.member_id, 'month', v.month, 'item', v.item, 'points', v.points)
					ORDER BY v.line, v.n),
			   pg_catalog.array_agg(v.line ORDER BY v.line, v.n),
			   pg_catalog.array_agg(v.cell ORDER BY v.line, v.n)
		INTO sheet, lines, cells
		FROM (SELECT r.line, u.n, u.item, header[u.p] AS cell,
					 NULLIF(pg_catalog.btrim(r.fields[(pos OPERATOR(pg_catalog.->>) 'member_id')::pg_catalog.int4]), '') AS member_id,
					 pointsys.csv_date(NULLIF(pg_catalog.btrim(r.fields[(pos OPERATOR(pg_catalog.->>) 'month')::pg_catalog.int4]), ''), true) AS month,
					 NULLIF(pg_catalog.btrim(r.fields[u.p]), '') AS points
			  FROM pointsys.csv_rows(csv) AS r
			  CROSS JOIN ROWS FROM (pg_catalog.unnest(item_pos), pg_catalog.unnest(item_code)) WITH ORDINALITY AS u(p, item, n)
			  WHERE r.line OPERATOR(pg_catalog.>) hline) v
		WHERE v.points IS NOT NULL;
	ELSE
		SELECT pg_catalog.jsonb_agg(v.o ORDER BY v.line), pg_catalog.array_agg(v.line ORDER BY v.line)
		INTO sheet, lines
		FROM (SELECT r.line,
					 pg_catalog.jsonb_object_agg(p.key,
						CASE WHEN p.key OPERATOR(pg_catalog.=) ANY ('{joined_on,left_on,elected_on}'::pg_catalog.text[])
							 THEN pointsys.csv_date(NULLIF(pg_catalog.btrim(r.fields[p.value::pg_catalog.int4]), ''), false)
							 WHEN p.key OPERATOR(pg_catalog.=) 'month'
							 THEN pointsys.csv_date(NULLIF(pg_catalog.btrim(r.fields[p.value::pg_catalog.int4]), ''), true)
							 WHEN p.key OPERATOR(pg_catalog.=) ANY ('{note,description}'::pg_catalog.text[])
							 THEN NULLIF(r.fields[p.value::pg_catalog.int4], '')
							 -- an item or award kind may be written as its title
							 WHEN p.key OPERATOR(pg_catalog.=) 'item'
							 THEN COALESCE((SELECT i.item FROM pointsys.item i
											WHERE i.title OPERATOR(pg_catalog.=) pg_catalog.btrim(r.fields[p.value::pg_catalog.int4])
											ORDER BY i.item LIMIT 1),
										   NULLIF(pg_catalog.btrim(r.fields[p.value::pg_catalog.int4]), ''))
							 WHEN p.key OPERATOR(pg_catalog.=) 'kind'
							 THEN COALESCE((SELECT k.kind FROM pointsys.award_kind k
											WHERE k.title OPERATOR(pg_catalog.=) pg_catalog.btrim(r.fields[p.value::pg_catalog.int4])
											ORDER BY k.kind LIMIT 1),
										   NULLIF(pg_catalog.btrim(r.fields[p.value::pg_catalog.int4]), ''))
							 ELSE NULLIF(pg_catalog.btrim(r.fields[p.value::pg_catalog.int4]), '') END) AS o
			  FROM pointsys.csv_rows(csv) AS r
			  CROSS JOIN pg_catalog.jsonb_each_text(pos) AS p
			  WHERE r.line OPERATOR(pg_catalog.>) hline
			  GROUP BY r.line) v;
	END IF;
	-- a recorder's login must exist: checked here (pointsys.recorder takes
	-- any name), with the other rows' checks made by a dry run
	IF target OPERATOR(pg_catalog.=) 'recorder' AND EXISTS (
		SELECT FROM pg_catalog.jsonb_array_elements(sheet) AS e(v)
		WHERE (e.v OPERATOR(pg_catalog.->>) 'role_name') IS NOT NULL
		  AND NOT EXISTS (SELECT FROM pg_catalog.pg_roles a
						  WHERE a.rolname OPERATOR(pg_catalog.=) (e.v OPERATOR(pg_catalog.->>) 'role_name'))) THEN
		RETURN QUERY
		SELECT * FROM (
			SELECT lines[e.n::pg_catalog.int4], header[(pos OPERATOR(pg_catalog.->>) 'role_name')::pg_catalog.int4],
				   '42704'::pg_catalog.text, NULL::pg_catalog.text,
				   pg_catalog.format('role "%s" does not exist', e.v OPERATOR(pg_catalog.->>) 'role_name'),
				   'A recorder is a login of the database (CREATE ROLE … LOGIN; GRANT pointsys_recorder TO …).'::pg_catalog.text
			FROM pg_catalog.jsonb_array_elements(sheet) WITH ORDINALITY AS e(v, n)
			WHERE (e.v OPERATOR(pg_catalog.->>) 'role_name') IS NOT NULL
			  AND NOT EXISTS (SELECT FROM pg_catalog.pg_roles a
							  WHERE a.rolname OPERATOR(pg_catalog.=) (e.v OPERATOR(pg_catalog.->>) 'role_name'))
			UNION ALL
			SELECT lines[i.row_number], COALESCE(header[(pos OPERATOR(pg_catalog.->>) i.field)::pg_catalog.int4], i.field),
				   i.error_code, i.constraint_name, i.message, i.detail
			FROM pointsys.import_rows(target, sheet, true) AS i) AS x
		ORDER BY 1;
		RETURN;
	END IF;
	-- the report, by spreadsheet row and column header; in the record
	-- form's layout a bad member or month, or a repeated member-month, is
	-- reported once for its row
	RETURN QUERY
	SELECT DISTINCT ON (lines[i.row_number], f.field, i.error_code, f.message)
		   lines[i.row_number], f.field, i.error_code, i.constraint_name, i.message, i.detail
	FROM pointsys.import_rows(target, COALESCE(sheet, '[]'), dry_run) AS i
	CROSS JOIN LATERAL (SELECT CASE
		WHEN wide AND i.error_code OPERATOR(pg_catalog.=) '23505' THEN header[(pos OPERATOR(pg_catalog.->>) 'month')::pg_catalog.int4]
		WHEN wide AND i.field OPERATOR(pg_catalog.=) ANY ('{item,points,note}'::pg_catalog.text[]) THEN cells[i.row_number]
		ELSE COALESCE(header[(pos OPERATOR(pg_catalog.->>) i.field)::pg_catalog.int4], i.field) END AS field,
		CASE WHEN wide AND i.error_code OPERATOR(pg_catalog.=) '23505' THEN NULL ELSE i.message END AS message) AS f
	ORDER BY lines[i.row_number], f.field, i.error_code, f.message, i.row_number;
END
$$;
COMMENT ON FUNCTION @extschema@.import_csv(pg_catalog.text, pg_catalog.text, pg_catalog.bool) IS
	'表格导入 a CSV text (header row, Chinese or English headers) loaded into pointsys.<target> through import_rows; the report by spreadsheet row and column header';
CREATE FUNCTION @extschema@.import_branches(csv pg_catalog.text, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text, constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE sql SECURITY INVOKER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC SELECT * FROM @extschema@.import_csv('branch', import_branches.csv, import_branches.dry_run); END;
COMMENT ON FUNCTION @extschema@.import_branches(pg_catalog.text, pg_catalog.bool) IS
	'导入支部 load branches from CSV text (支部编号, 支部名称) all or nothing; returns no row when loaded, else every bad row by spreadsheet row and column header and writes nothing; dry_run only checks';

CREATE FUNCTION @extschema@.import_members(csv pg_catalog.text, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text, constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE sql SECURITY INVOKER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC SELECT * FROM @extschema@.import_csv('member', import_members.csv, import_members.dry_run); END;
COMMENT ON FUNCTION @extschema@.import_members(pg_catalog.text, pg_catalog.bool) IS
	'导入党员 load members from CSV text (党员编号, 姓名, 所在支部, 入党日期, 离开日期) all or nothing; returns no row when loaded, else every bad row by spreadsheet row and column header and writes nothing; dry_run only checks';

CREATE FUNCTION @extschema@.import_recorders(csv pg_catalog.text, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text, constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE sql SECURITY INVOKER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC SELECT * FROM @extschema@.import_csv('recorder', import_recorders.csv, import_recorders.dry_run); END;
COMMENT ON FUNCTION @extschema@.import_recorders(pg_catalog.text, pg_catalog.bool) IS
	'导入记录员 load recorders from CSV text (支部编号, 记录员 login, 当选日期) all or nothing; returns no row when loaded, else every bad row by spreadsheet row and column header and writes nothing; dry_run only checks';

CREATE FUNCTION @extschema@.import_scores_csv(csv pg_catalog.text, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text, constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE sql SECURITY INVOKER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC SELECT * FROM @extschema@.import_csv('score', import_scores_csv.csv, import_scores_csv.dry_run); END;
COMMENT ON FUNCTION @extschema@.import_scores_csv(pg_catalog.text, pg_catalog.bool) IS
	'表格导入积分 load a sheet of scores from CSV text, long (党员编号, 月份, 积分项目, 得分, 备注) or the record form''s layout (党员编号, 月份, a column per item) all or nothing with the caller''s rights; returns no row when loaded, else every bad row by spreadsheet row and column header and writes nothing; dry_run only checks';

CREATE FUNCTION @extschema@.import_awards_csv(csv pg_catalog.text, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text, constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE sql SECURITY INVOKER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC SELECT * FROM @extschema@.import_csv('award', import_awards_csv.csv, import_awards_csv.dry_run); END;
COMMENT ON FUNCTION @extschema@.import_awards_csv(pg_catalog.text, pg_catalog.bool) IS
	'表格导入奖励 load a sheet of awards from CSV text (党员编号, 月份, 奖励种类, 事由) all or nothing with the caller''s rights; returns no row when loaded, else every bad row by spreadsheet row and column header and writes nothing; dry_run only checks';

REVOKE ALL ON FUNCTION @extschema@.import_scores(pg_catalog.jsonb, pg_catalog.bool) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.import_awards(pg_catalog.jsonb, pg_catalog.bool) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.import_scores(pg_catalog.jsonb, pg_catalog.bool)
	TO pointsys_admin, pointsys_recorder;
GRANT EXECUTE ON FUNCTION @extschema@.import_awards(pg_catalog.jsonb, pg_catalog.bool)
	TO pointsys_admin, pointsys_recorder;
REVOKE ALL ON FUNCTION
	@extschema@.import_rows(pg_catalog.text, pg_catalog.jsonb, pg_catalog.bool),
	@extschema@.import_csv(pg_catalog.text, pg_catalog.text, pg_catalog.bool),
	@extschema@.csv_rows(pg_catalog.text),
	@extschema@.csv_date(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_branches(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_members(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_recorders(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_scores_csv(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_awards_csv(pg_catalog.text, pg_catalog.bool)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	@extschema@.import_rows(pg_catalog.text, pg_catalog.jsonb, pg_catalog.bool),
	@extschema@.import_csv(pg_catalog.text, pg_catalog.text, pg_catalog.bool),
	@extschema@.csv_rows(pg_catalog.text),
	@extschema@.csv_date(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_scores_csv(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_awards_csv(pg_catalog.text, pg_catalog.bool)
TO pointsys_admin, pointsys_recorder;
GRANT EXECUTE ON FUNCTION
	@extschema@.import_branches(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_members(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_recorders(pg_catalog.text, pg_catalog.bool)
TO pointsys_admin;
