-- src/sql/51_dump.sql
-- pg_dump keeps the ledger's tables (pg_extension_config_dump)

------------------------------------------------------------------------
-- pg_dump keeps the ledger
------------------------------------------------------------------------

SELECT pg_catalog.pg_extension_config_dump('pointsys.branch', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.member', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.category', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.item', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.award_kind', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.score', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.award', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.sanction', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.evaluation', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.award_award_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.sanction_sanction_id_seq', '');
