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
		|| '<p class="meta">公示期：'
		|| CASE WHEN p_start IS NULL THEN '（尚未开始）'
				WHEN p_end OPERATOR(pg_catalog.<=) p_start THEN pg_catalog.to_char(p_start, 'YYYY年FMMM月FMDD日')
				ELSE pg_catalog.to_char(p_start, 'YYYY年FMMM月FMDD日') || '至'
					 || pg_catalog.to_char(p_end, 'YYYY年FMMM月FMDD日') END
		|| '。公示期间如有异议，请向支部委员会反映。</p>'
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
