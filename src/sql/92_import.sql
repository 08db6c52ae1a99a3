-- src/sql/92_import.sql
-- 批量导入 bulk import of a month's sheet: import_scores,
-- import_awards

------------------------------------------------------------------------
-- 批量导入 bulk import of a month's sheet (issue 11): COPY FROM is refused
-- under row-level security, so a recorder loads a sheet of scores or awards
-- with one call, all or nothing, under every write rule and its own
-- row-level security (SECURITY INVOKER); a dry run lists every bad row
-- (row number, field, SQLSTATE, constraint, message in the session's
-- language) and writes nothing.
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.import_scores(sheet pg_catalog.jsonb, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text,
				   constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE plpgsql SECURITY INVOKER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	elem pg_catalog.jsonb;
	n pg_catalog.int8;
	v_member pg_catalog.text;
	v_month pg_catalog.date;
	v_item pg_catalog.text;
	v_points pg_catalog.numeric;
	v_note pg_catalog.text;
	v_column pg_catalog.text;
	bad pg_catalog.int4 := 0;
	fast_state pg_catalog.text;
	fast_message pg_catalog.text;
	fast_detail pg_catalog.text;
BEGIN
	IF pg_catalog.jsonb_typeof(sheet) IS DISTINCT FROM 'array' THEN
		RAISE EXCEPTION 'a sheet is a JSON array of rows'
			USING ERRCODE = '22023',
				  HINT = 'Give [{"member_id": …, "month": …, "item": …, "points": …}, …].';
	END IF;
	-- the sheet in one statement: every rule checked, nothing written if one
	-- fails (nor in a dry run); only then row by row, to find every bad row
	BEGIN
		INSERT INTO pointsys.score (member_id, month, item, points, note)
		SELECT r.member_id, r.month, r.item, r.points, r.note
		FROM pg_catalog.jsonb_to_recordset(sheet)
			 AS r(member_id pg_catalog.text, month pg_catalog.date, item pg_catalog.text,
				  points pg_catalog.numeric, note pg_catalog.text);
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
	-- row by row, each in a subtransaction, the whole undone at the end
	BEGIN
		FOR elem, n IN SELECT e.value, e.ordinality
					   FROM pg_catalog.jsonb_array_elements(sheet) WITH ORDINALITY AS e LOOP
			BEGIN
				v_column := 'member_id';
				v_member := elem OPERATOR(pg_catalog.->>) 'member_id';
				v_column := 'month';
				v_month := (elem OPERATOR(pg_catalog.->>) 'month')::pg_catalog.date;
				v_column := 'item';
				v_item := elem OPERATOR(pg_catalog.->>) 'item';
				v_column := 'points';
				v_points := (elem OPERATOR(pg_catalog.->>) 'points')::pg_catalog.numeric;
				v_column := 'note';
				v_note := elem OPERATOR(pg_catalog.->>) 'note';
				v_column := NULL;
				INSERT INTO pointsys.score (member_id, month, item, points, note)
				VALUES (v_member, v_month, v_item, v_points, v_note);
			EXCEPTION WHEN OTHERS THEN
				GET STACKED DIAGNOSTICS error_code = RETURNED_SQLSTATE, field = COLUMN_NAME,
					constraint_name = CONSTRAINT_NAME, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
				row_number := n::pg_catalog.int4;
				field := COALESCE(NULLIF(field, ''), v_column);
				constraint_name := NULLIF(constraint_name, '');
				detail := NULLIF(detail, '');
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
COMMENT ON FUNCTION @extschema@.import_scores(pg_catalog.jsonb, pg_catalog.bool) IS
	'批量导入积分 load a sheet of scores (JSON array of {member_id, month, item, points, note}) all or nothing, with the caller''s rights; returns no row when loaded, else every bad row and writes nothing; dry_run only checks';

CREATE FUNCTION @extschema@.import_awards(sheet pg_catalog.jsonb, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text,
				   constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE plpgsql SECURITY INVOKER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	elem pg_catalog.jsonb;
	n pg_catalog.int8;
	v_member pg_catalog.text;
	v_month pg_catalog.date;
	v_kind pg_catalog.text;
	v_description pg_catalog.text;
	v_column pg_catalog.text;
	bad pg_catalog.int4 := 0;
	fast_state pg_catalog.text;
	fast_message pg_catalog.text;
	fast_detail pg_catalog.text;
BEGIN
	IF pg_catalog.jsonb_typeof(sheet) IS DISTINCT FROM 'array' THEN
		RAISE EXCEPTION 'a sheet is a JSON array of rows'
			USING ERRCODE = '22023',
				  HINT = 'Give [{"member_id": …, "month": …, "kind": …}, …].';
	END IF;
	BEGIN
		INSERT INTO pointsys.award (member_id, month, kind, description)
		SELECT r.member_id, r.month, r.kind, r.description
		FROM pg_catalog.jsonb_to_recordset(sheet)
			 AS r(member_id pg_catalog.text, month pg_catalog.date, kind pg_catalog.text,
				  description pg_catalog.text);
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
	BEGIN
		FOR elem, n IN SELECT e.value, e.ordinality
					   FROM pg_catalog.jsonb_array_elements(sheet) WITH ORDINALITY AS e LOOP
			BEGIN
				v_column := 'member_id';
				v_member := elem OPERATOR(pg_catalog.->>) 'member_id';
				v_column := 'month';
				v_month := (elem OPERATOR(pg_catalog.->>) 'month')::pg_catalog.date;
				v_column := 'kind';
				v_kind := elem OPERATOR(pg_catalog.->>) 'kind';
				v_column := 'description';
				v_description := elem OPERATOR(pg_catalog.->>) 'description';
				v_column := NULL;
				INSERT INTO pointsys.award (member_id, month, kind, description)
				VALUES (v_member, v_month, v_kind, v_description);
			EXCEPTION WHEN OTHERS THEN
				GET STACKED DIAGNOSTICS error_code = RETURNED_SQLSTATE, field = COLUMN_NAME,
					constraint_name = CONSTRAINT_NAME, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
				row_number := n::pg_catalog.int4;
				field := COALESCE(NULLIF(field, ''), v_column);
				constraint_name := NULLIF(constraint_name, '');
				detail := NULLIF(detail, '');
				bad := bad OPERATOR(pg_catalog.+) 1;
				RETURN NEXT;
			END;
		END LOOP;
		RAISE SQLSTATE 'PZ001';
	EXCEPTION WHEN SQLSTATE 'PZ001' THEN
		NULL;
	END;
	IF bad OPERATOR(pg_catalog.=) 0 THEN
		IF fast_detail IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = fast_state, MESSAGE = fast_message;
		END IF;
		RAISE EXCEPTION USING ERRCODE = fast_state, MESSAGE = fast_message, DETAIL = fast_detail;
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.import_awards(pg_catalog.jsonb, pg_catalog.bool) IS
	'批量导入奖励 load a sheet of awards (JSON array of {member_id, month, kind, description}) all or nothing, with the caller''s rights; returns no row when loaded, else every bad row and writes nothing; dry_run only checks';

REVOKE ALL ON FUNCTION @extschema@.import_scores(pg_catalog.jsonb, pg_catalog.bool) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.import_awards(pg_catalog.jsonb, pg_catalog.bool) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.import_scores(pg_catalog.jsonb, pg_catalog.bool)
	TO pointsys_admin, pointsys_recorder;
GRANT EXECUTE ON FUNCTION @extschema@.import_awards(pg_catalog.jsonb, pg_catalog.bool)
	TO pointsys_admin, pointsys_recorder;
