-- The analyst views: stable names (dev.chorus.contracts.ReportingModel.VIEWS), exactly one
-- current row per cell (FINAL; withdrawn cells gone), suppression applied again as a second
-- guard (a suppressed cell shows n_band such as '<5' and NULL values). They run with the rights
-- of their definer (the sink's user), so analysts need SELECT on these views only. Every view has
-- a district_id column: per-district analysts are restricted by a row filter on it.

CREATE OR REPLACE VIEW ${reporting}.current_scores${on_cluster}
SQL SECURITY DEFINER DEFINER = CURRENT_USER AS
SELECT
    district_id,
    school_id,
    if(school_id = '', 'district', 'school') AS scope,
    cycle,
    scale_id,
    scale_kind,
    role_group,
    cohort,
    if(suppressed, NULL, n) AS n,
    n_band,
    if(suppressed, NULL, mean) AS mean,
    if(suppressed, NULL, sd) AS sd,
    if(suppressed, NULL, score_100) AS score_100,
    if(suppressed, NULL, pct_favorable) AS pct_favorable,
    suppressed,
    suppression_reason,
    below_response_gate,
    computed_at,
    _inserted_at AS written_at
FROM ${db}.scale_scores FINAL
WHERE window_kind = 'CYCLE_TO_DATE';

CREATE OR REPLACE VIEW ${reporting}.score_trends${on_cluster}
SQL SECURITY DEFINER DEFINER = CURRENT_USER AS
SELECT
    c.district_id AS district_id,
    c.school_id AS school_id,
    if(c.school_id = '', 'district', 'school') AS scope,
    c.cycle AS cycle,
    c.previous_cycle AS previous_cycle,
    c.scale_id AS scale_id,
    c.role_group AS role_group,
    c.cohort AS cohort,
    if(c.suppressed, NULL, c.delta_mean) AS delta_mean,
    if(c.suppressed, NULL, c.p_value) AS p_value,
    if(c.suppressed, NULL, c.cohens_d) AS cohens_d,
    if(c.suppressed, NULL, c.significant) AS significant,
    c.suppressed AS suppressed,
    c.n_band AS n_band,
    c.computed_at AS computed_at
FROM ${db}.scale_changes AS c FINAL
WHERE c.window_kind = 'CYCLE_TO_DATE';

CREATE OR REPLACE VIEW ${reporting}.rolling_scores${on_cluster}
SQL SECURITY DEFINER DEFINER = CURRENT_USER AS
SELECT
    district_id,
    school_id,
    if(school_id = '', 'district', 'school') AS scope,
    cycle,
    window_days,
    assumeNotNull(as_of) AS day,
    scale_id,
    scale_kind,
    role_group,
    cohort,
    if(suppressed, NULL, n) AS n,
    n_band,
    if(suppressed, NULL, mean) AS mean,
    if(suppressed, NULL, score_100) AS score_100,
    if(suppressed, NULL, pct_favorable) AS pct_favorable,
    suppressed,
    computed_at
FROM ${db}.scale_scores FINAL
WHERE window_kind = 'ROLLING';

CREATE OR REPLACE VIEW ${reporting}.district_benchmarks${on_cluster}
SQL SECURITY DEFINER DEFINER = CURRENT_USER AS
SELECT
    s.district_id AS district_id,
    s.school_id AS school_id,
    s.cycle AS cycle,
    s.scale_id AS scale_id,
    s.score_100 AS score_100,
    d.score_100 AS district_score_100,
    s.score_100 - d.score_100 AS difference_from_district,
    s.school_rank AS school_rank,
    s.schools AS schools,
    if(s.schools > 1, round(100 * (s.schools - s.school_rank) / (s.schools - 1), 1), NULL)
        AS percentile
FROM
(
    SELECT
        district_id,
        school_id,
        cycle,
        scale_id,
        score_100,
        rank() OVER (PARTITION BY district_id, cycle, scale_id ORDER BY score_100 DESC)
            AS school_rank,
        count() OVER (PARTITION BY district_id, cycle, scale_id) AS schools
    FROM ${db}.scale_scores FINAL
    WHERE window_kind = 'CYCLE_TO_DATE' AND school_id != '' AND role_group = 'ALL'
        AND cohort = '' AND NOT suppressed AND score_100 IS NOT NULL
) AS s
LEFT JOIN
(
    SELECT district_id, cycle, scale_id, score_100
    FROM ${db}.scale_scores FINAL
    WHERE window_kind = 'CYCLE_TO_DATE' AND school_id = '' AND role_group = 'ALL'
        AND cohort = '' AND NOT suppressed
) AS d
ON s.district_id = d.district_id AND s.cycle = d.cycle AND s.scale_id = d.scale_id;

CREATE OR REPLACE VIEW ${reporting}.item_distributions${on_cluster}
SQL SECURITY DEFINER DEFINER = CURRENT_USER AS
SELECT
    district_id,
    school_id,
    if(school_id = '', 'district', 'school') AS scope,
    cycle,
    window_kind,
    window_days,
    as_of,
    item_id,
    scale_id,
    role_group,
    cohort,
    if(suppressed, NULL, n) AS n,
    n_band,
    if(suppressed, [], answer_values) AS answer_values,
    if(suppressed, [], answer_counts) AS answer_counts,
    suppressed,
    computed_at
FROM ${db}.item_distributions FINAL;

CREATE OR REPLACE VIEW ${reporting}.influence${on_cluster}
SQL SECURITY DEFINER DEFINER = CURRENT_USER AS
SELECT
    district_id,
    school_id,
    if(school_id = '', 'district', 'school') AS scope,
    cycle,
    window_kind,
    window_days,
    as_of,
    decision_area,
    role_group AS rater_role_group,
    cohort,
    if(suppressed, NULL, raters) AS raters,
    n_band,
    if(suppressed, NULL, total_influence) AS total_influence,
    if(suppressed, NULL, gini) AS gini,
    if(suppressed, NULL, gini_corrected) AS gini_corrected,
    if(suppressed, NULL, evenness) AS evenness,
    if(suppressed, NULL, hhi) AS hhi,
    if(suppressed, NULL, hhi_normalized) AS hhi_normalized,
    if(suppressed, NULL, effective_groups) AS effective_groups,
    if(suppressed, NULL, top_group) AS top_group,
    if(suppressed, NULL, top_share) AS top_share,
    if(suppressed, NULL, admin_teacher_gap) AS admin_teacher_gap,
    undefined_reason,
    suppressed,
    computed_at
FROM ${db}.influence FINAL;

CREATE OR REPLACE VIEW ${reporting}.influence_groups${on_cluster}
SQL SECURITY DEFINER DEFINER = CURRENT_USER AS
SELECT
    district_id,
    school_id,
    if(school_id = '', 'district', 'school') AS scope,
    cycle,
    window_kind,
    window_days,
    as_of,
    decision_area,
    role_group AS rater_role_group,
    cohort,
    g.1 AS group_name,
    g.2 AS group_raters,
    g.3 AS mean_rating,
    g.4 AS group_influence,
    g.5 AS share,
    total_influence,
    computed_at
FROM ${db}.influence FINAL
ARRAY JOIN arrayZip(groups_name, groups_raters, groups_mean_rating, groups_influence, groups_share)
    AS g
WHERE NOT suppressed;

CREATE OR REPLACE VIEW ${reporting}.perception_gaps${on_cluster}
SQL SECURITY DEFINER DEFINER = CURRENT_USER AS
SELECT
    district_id,
    school_id,
    if(school_id = '', 'district', 'school') AS scope,
    cycle,
    window_kind,
    window_days,
    as_of,
    decision_area,
    cohort,
    g.1 AS group_name,
    g.2 AS administrators_rating,
    g.3 AS own_rating,
    g.4 AS gap,
    computed_at
FROM ${db}.influence FINAL
ARRAY JOIN arrayZip(gaps_group, gaps_administrators_rating, gaps_own_rating, gaps_gap) AS g
WHERE NOT suppressed AND role_group = 'ALL';

CREATE OR REPLACE VIEW ${reporting}.decision_patterns${on_cluster}
SQL SECURITY DEFINER DEFINER = CURRENT_USER AS
SELECT
    district_id,
    school_id,
    if(school_id = '', 'district', 'school') AS scope,
    cycle,
    window_kind,
    window_days,
    as_of,
    role_group,
    cohort,
    if(suppressed, NULL, reports) AS reports,
    n_band,
    if(suppressed, [], group_names) AS group_names,
    if(suppressed, [], group_shaped) AS group_shaped,
    if(suppressed, [], group_input) AS group_input,
    if(suppressed, [], group_led) AS group_led,
    if(suppressed, [], group_implemented) AS group_implemented,
    if(suppressed, NULL, shaping_breadth) AS shaping_breadth,
    if(suppressed, NULL, non_admin_shaped_share) AS non_admin_shaped_share,
    if(suppressed, NULL, hierarchy_mode_share) AS hierarchy_mode_share,
    if(suppressed, NULL, co_ownership_share) AS co_ownership_share,
    suppressed,
    computed_at
FROM ${db}.decision_patterns FINAL;

CREATE OR REPLACE VIEW ${reporting}.response_rates${on_cluster}
SQL SECURITY DEFINER DEFINER = CURRENT_USER AS
SELECT
    district_id,
    school_id,
    if(school_id = '', 'district', 'school') AS scope,
    cycle,
    role_group,
    cohort,
    if(suppressed, NULL, respondents) AS respondents,
    n_band,
    roster,
    if(suppressed, NULL, rate) AS rate,
    below_response_gate,
    suppressed,
    computed_at
FROM ${db}.response_rates FINAL
WHERE window_kind = 'CYCLE_TO_DATE';

CREATE OR REPLACE VIEW ${reporting}.late_submissions${on_cluster}
SQL SECURITY DEFINER DEFINER = CURRENT_USER AS
SELECT
    district_id,
    school_id,
    cycle,
    toDate(received_at) AS received_day,
    count() AS late_submissions,
    max(dateDiff('day', submitted_at, received_at)) AS max_days_late
FROM ${db}.late_submissions FINAL
GROUP BY district_id, school_id, cycle, received_day;

CREATE OR REPLACE VIEW ${reporting}.rejected_submissions${on_cluster}
SQL SECURITY DEFINER DEFINER = CURRENT_USER AS
SELECT
    district_id,
    school_id,
    cycle,
    channel,
    toDate(received_at) AS received_day,
    reason_code,
    count() AS rejected_rows
FROM ${db}.rejected_submissions FINAL
ARRAY JOIN arrayDistinct(reason_codes) AS reason_code
GROUP BY district_id, school_id, cycle, channel, received_day, reason_code;

CREATE OR REPLACE VIEW ${reporting}.data_freshness${on_cluster}
SQL SECURITY DEFINER DEFINER = CURRENT_USER AS
SELECT
    district_id,
    school_id,
    max(computed_at) AS last_computed_at,
    max(_inserted_at) AS last_written_at,
    dateDiff('second', max(computed_at), now64(3)) AS seconds_since_last_update,
    groupUniqArray(cycle) AS cycles
FROM ${db}.scale_scores FINAL
WHERE school_id != ''
GROUP BY district_id, school_id;
