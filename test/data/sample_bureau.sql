-- test/data/sample_bureau.sql: a sample bureau for the demo and the tests.
--
-- Run after CREATE EXTENSION pointsys (psql -v ON_ERROR_STOP=1).  Three
-- branches, 40 members, the years 2024 and 2025.  Scores are deterministic
-- (hashint4, no random()).  Members with something to show:
--
--   m01 张伟   full marks every month of 2024 (90 scored) and in January
--             2024 four awards 2+3+5+5 = 15, capped at 10
--   m05 王芳   joined the party on 2024-05-15: records from May 2024
--   m09 李强   left on 2025-06-30: records up to June 2025
--   m12 刘洋   probation (留党察看) 2024-03-01 .. lifted 2025-01-01:
--             vetoes 2024, not 2025
--   m13 陈静   removal from post 2023-06-01 .. lifted 2024-01-02:
--             vetoes 2024 (lifted on 2 January)
--   m14 杨磊   warning 2024-04-01 .. 2024-10-01: no veto
--   m30, m31  no democratic evaluation for 2025: pending
--
-- Other members score at one of four levels, so that every grade occurs.

INSERT INTO pointsys.branch (branch_id, name) VALUES
	('b1', '机关第一党支部'),
	('b2', '机关第二党支部'),
	('b3', '医保经办中心党支部');

INSERT INTO pointsys.member (member_id, name, branch_id, joined_on, left_on)
SELECT pg_catalog.format('m%s', pg_catalog.lpad(i::text, 2, '0')),
	   (ARRAY['张伟', '李娜', '王磊', '赵敏', '王芳', '孙杰', '周婷', '吴刚',
			  '李强', '郑丽', '冯涛', '刘洋', '陈静', '杨磊', '黄欣', '何军',
			  '高洁', '林峰', '罗琳', '梁宇', '宋佳', '谢斌', '韩雪', '唐亮',
			  '许蕾', '邓超', '曹颖', '彭博', '曾丽', '萧然', '田野', '董洁',
			  '袁航', '潘悦', '蒋涛', '蔡琴', '余晖', '杜鹃', '叶青', '程远'])[i],
	   'b' || ((i - 1) % 3 + 1),
	   CASE i WHEN 5 THEN DATE '2024-05-15' END,
	   CASE i WHEN 9 THEN DATE '2025-06-30' END
FROM pg_catalog.generate_series(1, 40) AS i;

-- m01's 2024: every item at its maximum
INSERT INTO pointsys.score (member_id, month, item, points)
SELECT 'm01', pg_catalog.make_date(2024, mo, 1), it.item, it.max_points
FROM pg_catalog.generate_series(1, 12) AS mo, pointsys.item AS it;

-- everyone else (and m01 in 2025): a level per member, small monthly noise,
-- rounded down to the item's step
INSERT INTO pointsys.score (member_id, month, item, points)
SELECT m.member_id, d.month, it.item,
	   LEAST(it.max_points,
			 GREATEST(0, pg_catalog.floor((it.max_points * lv.fraction
										   + ((pg_catalog.hashint4(n.i * 1009 + d.y * 13 + d.mo * 31
																   + pg_catalog.length(it.item)) & 3) - 1) * 0.5)
										  / it.step) * it.step))
FROM pointsys.member AS m
CROSS JOIN LATERAL (SELECT pg_catalog.substr(m.member_id, 2)::int AS i) AS n
CROSS JOIN LATERAL (VALUES ((ARRAY[0.55, 0.72, 0.88, 1.02])[n.i % 4 + 1])) AS lv(fraction)
CROSS JOIN LATERAL (SELECT y, mo, pg_catalog.make_date(y, mo, 1) AS month
					FROM pg_catalog.generate_series(2024, 2025) AS y,
						 pg_catalog.generate_series(1, 12) AS mo) AS d
CROSS JOIN pointsys.item AS it
WHERE NOT (m.member_id = 'm01' AND d.y = 2024)
  AND (m.joined_on IS NULL OR m.joined_on <= (d.month + interval '1 month - 1 day')::date)
  AND (m.left_on IS NULL OR m.left_on >= d.month);

INSERT INTO pointsys.award (member_id, month, kind, description) VALUES
	('m01', '2024-01-20', 'county', '县级优秀共产党员'),
	('m01', '2024-01-20', 'above_county', '市级通报表扬'),
	('m01', '2024-01-20', 'major_contribution', '见义勇为'),
	('m01', '2024-01-28', 'major_contribution', '抗洪抢险重大贡献'),
	('m04', '2024-06-10', 'county', '县级表彰'),
	('m08', '2024-09-03', 'above_county', '省级媒体发表文章'),
	('m16', '2025-03-15', 'county', '县级表扬'),
	('m20', '2025-11-11', 'major_contribution', '见义勇为');

INSERT INTO pointsys.sanction (member_id, kind, effective_on, lifted_on, note) VALUES
	('m12', 'probation', '2024-03-01', '2025-01-01', '留党察看一年'),
	('m13', 'removal_from_post', '2023-06-01', '2024-01-02', '撤销党内职务'),
	('m14', 'warning', '2024-04-01', '2024-10-01', '警告');

INSERT INTO pointsys.evaluation (member_id, year, democratic)
SELECT m.member_id, y,
	   CASE WHEN m.member_id = 'm01' AND y = 2024 THEN 95
			WHEN pg_catalog.substr(m.member_id, 2)::int % 4 = 3
			THEN 88 + (pg_catalog.hashint4(pg_catalog.substr(m.member_id, 2)::int * 7 + y) & 11)
			ELSE 60 + (pg_catalog.hashint4(pg_catalog.substr(m.member_id, 2)::int * 7 + y) & 31) END
FROM pointsys.member AS m, pg_catalog.generate_series(2024, 2025) AS y
WHERE NOT (m.member_id IN ('m30', 'm31') AND y = 2025)
  AND (m.joined_on IS NULL OR m.joined_on <= pg_catalog.make_date(y, 12, 31))
  AND (m.left_on IS NULL OR m.left_on >= pg_catalog.make_date(y, 1, 1));
