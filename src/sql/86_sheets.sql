-- src/sql/86_sheets.sql
-- 打印 printable sheets: standalone HTML pages, A4, Chinese

-- 打印 printable sheets: standalone HTML pages, A4, Chinese
CREATE FUNCTION @extschema@.html_escape(pg_catalog.text) RETURNS pg_catalog.text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
	$1, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;');
COMMENT ON FUNCTION @extschema@.html_escape(pg_catalog.text) IS '转义 text escaped for HTML (& < > " '')';

CREATE FUNCTION @extschema@.html_page(title pg_catalog.text, landscape pg_catalog.bool, body pg_catalog.text)
	RETURNS pg_catalog.text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '<!DOCTYPE html>' || E'\n' || '<html lang="zh-CN"><head><meta charset="utf-8"><title>'
	|| @extschema@.html_escape(title) || '</title><style>'
	|| '@page{size:A4' || CASE WHEN landscape THEN ' landscape' ELSE '' END || ';margin:12mm}'
	|| 'body{font-family:"Noto Sans CJK SC","Noto Serif CJK SC","Source Han Sans SC","SimSun",sans-serif;font-size:9pt;margin:0}'
	|| 'h1{font-size:15pt;text-align:center;margin:0 0 3mm}'
	|| 'p.meta{margin:0 0 3mm}'
	|| 'table{border-collapse:collapse;width:100%}'
	|| 'th,td{border:0.5pt solid #000;padding:1mm;text-align:center}'
	|| 'thead{display:table-header-group}tr{page-break-inside:avoid}'
	|| 'th.item{font-size:7pt;font-weight:normal}td.nw,th.nw{white-space:nowrap}'
	|| 'p.sign{margin-top:6mm}td.sign{border:none;text-align:left;padding-top:4mm}tfoot{display:table-footer-group}'
	|| '</style></head><body>' || E'\n' || body || E'\n</body></html>\n';
COMMENT ON FUNCTION @extschema@.html_page(pg_catalog.text, pg_catalog.bool, pg_catalog.text) IS
	'打印页面 a standalone A4 HTML page around an (escaped) body';

CREATE FUNCTION @extschema@.record_sheet_html(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	first_month pg_catalog.date;
	branch_name pg_catalog.text;
	head pg_catalog.text;
	rows pg_catalog.text;
	n pg_catalog.int4;
BEGIN
	PERFORM pointsys.check_branch_documents(record_sheet_html.branch_id);
	first_month := pointsys.quarter_start(record_sheet_html.year, record_sheet_html.quarter);
	SELECT b.name INTO branch_name FROM pointsys.branch b
	WHERE b.branch_id OPERATOR(pg_catalog.=) record_sheet_html.branch_id;
	SELECT pg_catalog.string_agg('<th class="item">' || pointsys.html_escape(i.title) || '</th>', '' ORDER BY u.n),
		   pg_catalog.count(*)
	INTO head, n
	FROM pg_catalog.unnest(pointsys.rulebook_items()) WITH ORDINALITY AS u(item, n)
	JOIN pointsys.item i ON i.item OPERATOR(pg_catalog.=) u.item;
	SELECT pg_catalog.string_agg(
			'<tr><td class="nw">' || pointsys.html_escape(r.name) || '</td><td class="nw">'
			|| pg_catalog.to_char(r.month, 'FMMM') || '月</td>'
			|| (SELECT pg_catalog.string_agg('<td>' || COALESCE(p.points::pg_catalog.text, '')
											 || '</td>', '' ORDER BY p.n)
				FROM pg_catalog.unnest(r.points) WITH ORDINALITY AS p(points, n))
			|| '<td>' || r.reward || '</td><td><b>' || r.total
			|| '</b></td></tr>',
			E'\n' ORDER BY r.member_id, r.month)
	INTO rows
	FROM pointsys.record_sheet r
	WHERE r.branch_id OPERATOR(pg_catalog.=) record_sheet_html.branch_id
	  AND r.month OPERATOR(pg_catalog.>=) first_month
	  AND r.month OPERATOR(pg_catalog.<) (first_month OPERATOR(pg_catalog.+) '3 months'::pg_catalog.interval);
	RETURN pointsys.html_page(
		pg_catalog.format('党员积分管理记录表 %s %s年第%s季度', branch_name, record_sheet_html.year, record_sheet_html.quarter),
		true,
		'<h1>党员积分管理记录表</h1>'
		|| pg_catalog.format('<p class="meta">支部：%s　　%s年第%s季度</p>',
							 pointsys.html_escape(branch_name), record_sheet_html.year, record_sheet_html.quarter)
		|| pointsys.digest_html(record_sheet_html.branch_id, record_sheet_html.year, record_sheet_html.quarter)
		|| '<table><thead><tr><th class="nw">姓名</th><th class="nw">月份</th>' || COALESCE(head, '')
		|| '<th>奖励分</th><th>月度积分</th></tr></thead>'
		-- the signatures in the footer: Chromium and browsers repeat it on every page
		|| pg_catalog.format('<tfoot><tr><td class="sign" colspan="%s">记录员（签字）：　　　　　　　　'
							 '支部书记（签字）：　　　　　　　　日期：</td></tr></tfoot><tbody>',
							 n OPERATOR(pg_catalog.+) 4) || E'\n'
		|| COALESCE(rows, pg_catalog.format('<tr><td colspan="%s">本季度尚无记录</td></tr>', n OPERATOR(pg_catalog.+) 4))
		|| E'\n</tbody></table>');
END
$$;
COMMENT ON FUNCTION @extschema@.record_sheet_html(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'积分管理记录表（打印） the record form of a branch quarter as a standalone A4 HTML page';

-- The line of a list to post: its publicity period (first and last day;
-- NULL: not publicized yet) and where objections go
CREATE FUNCTION @extschema@.publicity_period_html(first_day pg_catalog.date, last_day pg_catalog.date)
	RETURNS pg_catalog.text
	LANGUAGE sql STABLE PARALLEL SAFE
RETURN '<p class="meta">公示期：'
	|| CASE WHEN first_day IS NULL THEN '（尚未开始）'
			WHEN last_day OPERATOR(pg_catalog.<=) first_day THEN pg_catalog.to_char(first_day, 'YYYY年FMMM月FMDD日')
			ELSE pg_catalog.to_char(first_day, 'YYYY年FMMM月FMDD日') || '至'
				 || pg_catalog.to_char(last_day, 'YYYY年FMMM月FMDD日') END
	|| '。公示期间如有异议，请向支部委员会反映。</p>';
COMMENT ON FUNCTION @extschema@.publicity_period_html(pg_catalog.date, pg_catalog.date) IS
	'公示期（打印） the publicity line of a list to post: its first and last day (NULL: not yet), where objections go';

CREATE FUNCTION @extschema@.publicity_html(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	branch_name pg_catalog.text;
	rows pg_catalog.text;
	p_start pg_catalog.date;
	p_end pg_catalog.date;
BEGIN
	SELECT pg_catalog.string_agg(
			'<tr><td>' || p.branch_rank || '</td><td class="nw">' || pointsys.html_escape(p.name)
			-- 组织关系转接 a member transferred during the quarter: the branches, in order
			|| CASE WHEN pg_catalog.cardinality(p.branches) OPERATOR(pg_catalog.>) 1
					THEN '<br><small>' || pointsys.html_escape(pg_catalog.array_to_string(p.branches, '→'))
						 || '</small>'
					ELSE '' END
			|| '</td><td>'
			|| COALESCE(p.m1::pg_catalog.text, '') || '</td><td>'
			|| COALESCE(p.m2::pg_catalog.text, '') || '</td><td>'
			|| COALESCE(p.m3::pg_catalog.text, '') || '</td><td><b>' || p.score || '</b></td></tr>',
			E'\n' ORDER BY p.branch_rank, p.member_id),
		   pg_catalog.min(p.publicity_start), pg_catalog.min(p.publicity_end)
	INTO rows, p_start, p_end
	FROM pointsys.publicity(publicity_html.branch_id, publicity_html.year, publicity_html.quarter) p;
	SELECT b.name INTO branch_name FROM pointsys.branch b
	WHERE b.branch_id OPERATOR(pg_catalog.=) publicity_html.branch_id;
	RETURN pointsys.html_page(
		pg_catalog.format('党员积分公示 %s %s年第%s季度', branch_name, publicity_html.year, publicity_html.quarter),
		false,
		pg_catalog.format('<h1>%s%s年第%s季度党员积分公示</h1>',
						  pointsys.html_escape(branch_name), publicity_html.year, publicity_html.quarter)
		|| pointsys.publicity_period_html(p_start, p_end)
		|| pointsys.digest_html(publicity_html.branch_id, publicity_html.year, publicity_html.quarter)
		|| pg_catalog.format('<table><thead><tr><th>排名</th><th>姓名</th><th>%s月</th><th>%s月</th><th>%s月</th>',
							 (publicity_html.quarter OPERATOR(pg_catalog.*) 3) OPERATOR(pg_catalog.-) 2,
							 (publicity_html.quarter OPERATOR(pg_catalog.*) 3) OPERATOR(pg_catalog.-) 1,
							 publicity_html.quarter OPERATOR(pg_catalog.*) 3)
		|| '<th>季考核积分</th></tr></thead><tbody>' || E'\n'
		|| COALESCE(rows, '<tr><td colspan="6">本季度尚无记录</td></tr>')
		|| E'\n</tbody></table>'
		|| pg_catalog.format('<p class="sign">中共%s委员会（盖章）　　　　日期：</p>', pointsys.html_escape(branch_name)));
END
$$;
COMMENT ON FUNCTION @extschema@.publicity_html(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'积分公示（打印） the publicity list of a branch quarter as a standalone A4 HTML page; 55000 before the quarter is approved';

-- 民主评议 the sheets of an appraisal round (89_appraisal.sql): the round as
-- the caller sees it, once she may read the branch's documents; a round
-- she cannot see is refused (42704) as the ballot box refuses it
CREATE FUNCTION @extschema@.appraisal_sheet_round(branch_id pg_catalog.text, year pg_catalog.int4)
	RETURNS @extschema@.appraisal_round
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r pointsys.appraisal_round;
BEGIN
	PERFORM pointsys.check_branch_documents(appraisal_sheet_round.branch_id);
	SELECT a.* INTO r FROM pointsys.appraisal_round a
	WHERE a.branch_id OPERATOR(pg_catalog.=) appraisal_sheet_round.branch_id
	  AND a.year OPERATOR(pg_catalog.=) appraisal_sheet_round.year;
	IF NOT FOUND THEN
		PERFORM pointsys.appraisal_members(appraisal_sheet_round.branch_id, appraisal_sheet_round.year);
	END IF;
	RETURN r;
END
$$;
COMMENT ON FUNCTION @extschema@.appraisal_sheet_round(pg_catalog.text, pg_catalog.int4) IS
	'评议轮次（打印） the appraisal round a sheet prints, as the caller sees it; refuses like check_branch_documents, and (42704) a round she cannot see';

CREATE FUNCTION @extschema@.appraisal_ballot_html(branch_id pg_catalog.text, year pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r pointsys.appraisal_round;
	branch_name pg_catalog.text;
	rows pg_catalog.text;
BEGIN
	r := pointsys.appraisal_sheet_round(appraisal_ballot_html.branch_id, appraisal_ballot_html.year);
	IF r.electronic THEN
		PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" is electronic: it has no paper ballots', NULL,
								'Voters see the ballot on their screens (pointsys.ballot_form); pointsys.issue_codes prints one-time codes.',
								r.year::pg_catalog.text, r.branch_id);
	END IF;
	SELECT b.name INTO branch_name FROM pointsys.branch b
	WHERE b.branch_id OPERATOR(pg_catalog.=) appraisal_ballot_html.branch_id;
	-- a row per member appraised, in code order, with four empty boxes
	SELECT pg_catalog.string_agg(
			'<tr><td>' || a.n || '</td><td class="nw">' || pointsys.html_escape(COALESCE(m.name, a.member_id))
			|| '</td>' || pg_catalog.repeat('<td style="height:7mm"></td>', 4) || '</tr>',
			E'\n' ORDER BY a.n)
	INTO rows
	FROM pg_catalog.unnest(pointsys.appraisal_members(r.branch_id, r.year)) WITH ORDINALITY AS a(member_id, n)
	LEFT JOIN pointsys.member m ON m.member_id OPERATOR(pg_catalog.=) a.member_id;
	RETURN pointsys.html_page(
		pg_catalog.format('民主评议测评票 %s %s年度', branch_name, r.year),
		false,
		pg_catalog.format('<h1>%s年度党员民主评议测评票</h1>', r.year)
		|| pg_catalog.format('<p class="meta">支部：%s　　（本票不记名）</p>', pointsys.html_escape(branch_name))
		|| '<p class="meta">填票说明：<br>1. 对每名党员，在所选等次下的空格内划“√”，只能划一个。'
		|| '<br>2. 对同一名党员划两个及以上“√”的，该党员的这一票为废票；不划的，视为对该党员弃权。'
		|| '<br>3. 填好后当场投入票箱。</p>'
		|| '<table><thead><tr><th class="nw">序号</th><th>姓名</th><th style="width:20mm">优秀</th>'
		|| '<th style="width:20mm">合格</th><th style="width:20mm">基本合格</th><th style="width:20mm">不合格</th>'
		|| '</tr></thead><tbody>' || E'\n'
		|| COALESCE(rows, '<tr><td colspan="6">本支部本年度无评议对象</td></tr>')
		|| E'\n</tbody></table>');
END
$$;
COMMENT ON FUNCTION @extschema@.appraisal_ballot_html(pg_catalog.text, pg_catalog.int4) IS
	'民主评议测评票（打印） the anonymous paper ballot of a branch''s appraisal round: a row per member appraised, a box per label, as a standalone A4 HTML page; 55000 for an electronic round';

CREATE FUNCTION @extschema@.appraisal_results_html(branch_id pg_catalog.text, year pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r pointsys.appraisal_round;
	branch_name pg_catalog.text;
	rows pg_catalog.text;
BEGIN
	r := pointsys.appraisal_sheet_round(appraisal_results_html.branch_id, appraisal_results_html.year);
	IF r.status OPERATOR(pg_catalog.=) 'open' THEN
		PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" is open: its results are fixed when it closes', NULL,
								'Print the results once the tellers'' count is in and the round is closed.',
								r.year::pg_catalog.text, r.branch_id);
	END IF;
	SELECT b.name INTO branch_name FROM pointsys.branch b
	WHERE b.branch_id OPERATOR(pg_catalog.=) appraisal_results_html.branch_id;
	SELECT pg_catalog.string_agg(
			pg_catalog.format('<tr><td>%s</td><td class="nw">%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>'
							  '<td>%s</td><td>%s</td><td><b>%s</b></td></tr>',
							  t.n, pointsys.html_escape(t.name), t.excellent, t.qualified, t.basically_qualified,
							  t.unqualified, t.spoilt, t.valid, t.score),
			E'\n' ORDER BY t.n)
	INTO rows
	FROM (SELECT v.*, pg_catalog.row_number() OVER (ORDER BY v.member_id) AS n
		  FROM pointsys.appraisal_results v
		  WHERE v.branch_id OPERATOR(pg_catalog.=) r.branch_id AND v.year OPERATOR(pg_catalog.=) r.year) t;
	RETURN pointsys.html_page(
		pg_catalog.format('民主评议结果公示 %s %s年度', branch_name, r.year),
		false,
		pg_catalog.format('<h1>%s%s年度党员民主评议结果公示</h1>', pointsys.html_escape(branch_name), r.year)
		-- publicity_end: the day the round may be final, the day after the last
		|| pointsys.publicity_period_html(r.publicity_start, r.publicity_end OPERATOR(pg_catalog.-) 1)
		|| pg_catalog.format('<p class="meta">%s：发出%s张，收回%s张。每名党员的有效票须超过发出票数的%s%%。</p>',
							 CASE WHEN r.electronic THEN '电子投票' ELSE '纸质测评票' END,
							 r.ballots_issued, r.ballots_returned, r.quorum_percent)
		|| pg_catalog.format('<p class="meta">计分办法：优秀%s分，合格%s分，基本合格%s分，不合格%s分；'
							 '得分为有效票的加权平均，四舍五入保留两位小数。</p>',
							 r.weight_excellent, r.weight_qualified, r.weight_basically_qualified, r.weight_unqualified)
		|| '<table><thead><tr><th class="nw">序号</th><th>姓名</th><th>优秀</th><th>合格</th><th>基本合格</th>'
		|| '<th>不合格</th><th>废票</th><th>有效票</th><th>得分</th></tr></thead><tbody>' || E'\n'
		|| COALESCE(rows, '<tr><td colspan="9">无计票</td></tr>')
		|| E'\n</tbody></table>'
		|| '<p class="sign">计票人（签字）：　　　　　　　　监票人（签字）：</p>'
		|| pg_catalog.format('<p class="sign">中共%s委员会（盖章）　　　　日期：</p>', pointsys.html_escape(branch_name)));
END
$$;
COMMENT ON FUNCTION @extschema@.appraisal_results_html(pg_catalog.text, pg_catalog.int4) IS
	'民主评议结果公示（打印） a branch''s appraisal round to post: each member''s votes, spoilt, valid votes and score, the ballots, weights, quorum and publicity, as a standalone A4 HTML page; 55000 while the round is open';
