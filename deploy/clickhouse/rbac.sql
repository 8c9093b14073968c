-- Chorus access model for a production ClickHouse server or cluster (SQL RBAC).
-- The local run gets the same users from a users.xml written by ./chorus up
-- (dev.chorus.local.clickhouse.ClickHouseUsers); keep the two in step.
--
-- Run as an administrator with access management, after replacing every CHANGE_ME and, on a
-- cluster, appending ON CLUSTER '<name>' to each statement. Then start the sink as
-- chorus_writer: it creates the databases, tables and views (migrations).

-- The sink: runs migrations, writes the base tables, defines the views (views run with its rights).
CREATE USER IF NOT EXISTS chorus_writer IDENTIFIED WITH sha256_password BY 'CHANGE_ME';
GRANT CREATE DATABASE ON chorus.* TO chorus_writer;
GRANT CREATE DATABASE ON chorus_reporting.* TO chorus_writer;
GRANT SELECT, INSERT, ALTER, CREATE TABLE, DROP TABLE, OPTIMIZE, TRUNCATE ON chorus.* TO chorus_writer;
GRANT SELECT, CREATE VIEW, DROP VIEW ON chorus_reporting.* TO chorus_writer;
GRANT TABLE ENGINE ON MergeTree TO chorus_writer;
GRANT TABLE ENGINE ON ReplacingMergeTree TO chorus_writer;
GRANT TABLE ENGINE ON ReplicatedMergeTree TO chorus_writer;
GRANT TABLE ENGINE ON ReplicatedReplacingMergeTree TO chorus_writer;
-- Cluster mode only: GRANT CLUSTER ON *.* TO chorus_writer;

-- Analysts: read the reporting views and nothing else; read-only, bounded queries.
CREATE SETTINGS PROFILE IF NOT EXISTS chorus_analyst_profile
    SETTINGS readonly = 2 MIN 1, max_execution_time = 60 MAX 300,
             max_result_rows = 1000000, result_overflow_mode = 'throw';
CREATE ROLE IF NOT EXISTS chorus_analyst_role SETTINGS PROFILE 'chorus_analyst_profile';
GRANT SELECT ON chorus_reporting.* TO chorus_analyst_role;

CREATE USER IF NOT EXISTS chorus_analyst IDENTIFIED WITH sha256_password BY 'CHANGE_ME'
    DEFAULT ROLE chorus_analyst_role;
GRANT chorus_analyst_role TO chorus_analyst;

-- One analyst per district, restricted to that district's rows in every view. Repeat this block
-- for each district (the user name is chorus_analyst_ + the district id, '-' as '_').
CREATE USER IF NOT EXISTS chorus_analyst_demo IDENTIFIED WITH sha256_password BY 'CHANGE_ME'
    DEFAULT ROLE chorus_analyst_role;
GRANT chorus_analyst_role TO chorus_analyst_demo;
CREATE ROW POLICY IF NOT EXISTS district_demo ON
    chorus_reporting.current_scores, chorus_reporting.score_trends,
    chorus_reporting.rolling_scores, chorus_reporting.district_benchmarks,
    chorus_reporting.item_distributions, chorus_reporting.influence,
    chorus_reporting.influence_groups, chorus_reporting.perception_gaps,
    chorus_reporting.decision_patterns, chorus_reporting.response_rates,
    chorus_reporting.late_submissions, chorus_reporting.rejected_submissions,
    chorus_reporting.data_freshness
    FOR SELECT USING district_id = 'demo' TO chorus_analyst_demo;
-- Users without a row policy on a view (chorus_analyst) keep seeing all its rows as long as the
-- server setting users_without_row_policies_can_read_rows is true (the default).
