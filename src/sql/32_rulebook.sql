-- src/sql/32_rulebook.sql
-- 评分细则 the rulebook as shipped: categories, items, kinds of award

------------------------------------------------------------------------
-- 评分细则 the rulebook of doc/contract.md §1
------------------------------------------------------------------------

INSERT INTO @extschema@.category (category, title, cap) VALUES
	('study', '理论学习', 20),
	('service', '服务群众', 20),
	('innovation', '工作创新', 15),
	('worklist', '工作清单完成情况', 15),
	('role', '党员作用发挥', 20),
	('reward', '奖励分', 10);

INSERT INTO @extschema@.item (item, category, title, max_points) VALUES
	('study_training', 'study', '积极参加组织安排的学习培训活动', 4),
	('study_notes', 'study', '每月学习笔记1000字以上', 4),
	('org_life', 'study', '参加"三会一课"及各项组织生活', 4),
	('business_notes', 'study', '业务学习笔记、记录1000字以上', 4),
	('reflection', 'study', '每月撰写学习心得体会1篇', 4),
	('liaison', 'service', '密切联系群众，及时反映群众意见建议', 5),
	('mass_work', 'service', '提高做好群众工作的本领', 5),
	('solve_difficulties', 'service', '帮助群众解决实际困难', 5),
	('volunteer', 'service', '带头参加志愿服务、结对帮扶等公益活动', 5),
	('innovation_recorded', 'innovation', '工作中有创新并记录下来', 5),
	('resolve_conflicts', 'innovation', '主动化解群众矛盾', 5),
	('share_innovation', 'innovation', '将创新工作与同事、群众分享并有记录', 5),
	('on_time', 'worklist', '按时按质完成工作清单', 6),
	('exceed', 'worklist', '超额完成工作', 3),
	('recognized', 'worklist', '工作完成情况得到领导、群众认可', 3),
	('extra_duties', 'worklist', '积极主动承担职责以外工作', 3),
	('role', 'role', '党员作用发挥', 20);

INSERT INTO @extschema@.award_kind (kind, title, points) VALUES
	('county', '获得县级表彰、表扬', 2),
	('above_county', '获得县级以上表彰、通报表扬或在省级网络、媒体上发表文章', 3),
	('major_contribution', '有重大贡献、见义勇为', 5);
