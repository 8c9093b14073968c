-- Base tables written by the sink, one per processor output. Analysts never read these: they
-- read the views in ${reporting} (V002). Placeholders are filled by dev.chorus.sink.Migrations.
--
-- Every metric table holds one row per write of a cell; the cell's identity is cell_key (the
-- Kafka record key). ReplacingMergeTree(_offset, _deleted) keeps, per sorting key, the row with
-- the highest Kafka offset (a key always lives on one partition, so a higher offset is a newer
-- write) and drops the key when that row is a tombstone (_deleted = 1). Replays insert the same
-- (key, offset) again, which collapses to one row. Views read with FINAL. Reasoning:
-- streams-processor/src/main/java/dev/chorus/sink/DESIGN.md.

CREATE DATABASE IF NOT EXISTS ${db}${on_cluster};

CREATE DATABASE IF NOT EXISTS ${reporting}${on_cluster};

CREATE TABLE IF NOT EXISTS ${db}.scale_scores${on_cluster}
(
    cell_key String,
    district_id LowCardinality(String),
    school_id LowCardinality(String) COMMENT 'empty for the district rollup',
    cycle LowCardinality(String),
    window_kind LowCardinality(String) COMMENT 'CYCLE_TO_DATE or ROLLING',
    window_days UInt16 COMMENT '0 for cycle to date',
    as_of Nullable(Date) COMMENT 'day of a rolling-series row',
    role_group LowCardinality(String),
    cohort String COMMENT 'empty for all cohorts',
    scale_id LowCardinality(String),
    scale_kind LowCardinality(String),
    n Nullable(UInt32),
    mean Nullable(Float64),
    sd Nullable(Float64),
    score_100 Nullable(Float64),
    pct_favorable Nullable(Float64),
    below_response_gate Bool,
    suppressed Bool,
    suppression_reason LowCardinality(String),
    n_band String,
    record_version UInt64,
    computed_at DateTime64(3, 'UTC'),
    _partition UInt16,
    _offset UInt64,
    _deleted UInt8,
    _inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ${replacing}
ORDER BY (district_id, school_id, cycle, cell_key);

CREATE TABLE IF NOT EXISTS ${db}.item_distributions${on_cluster}
(
    cell_key String,
    district_id LowCardinality(String),
    school_id LowCardinality(String),
    cycle LowCardinality(String),
    window_kind LowCardinality(String),
    window_days UInt16,
    as_of Nullable(Date),
    role_group LowCardinality(String),
    cohort String,
    item_id LowCardinality(String),
    scale_id LowCardinality(String),
    n Nullable(UInt32),
    answer_values Array(Int16),
    answer_counts Array(UInt64),
    suppressed Bool,
    suppression_reason LowCardinality(String),
    n_band String,
    record_version UInt64,
    computed_at DateTime64(3, 'UTC'),
    _partition UInt16,
    _offset UInt64,
    _deleted UInt8,
    _inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ${replacing}
ORDER BY (district_id, school_id, cycle, cell_key);

CREATE TABLE IF NOT EXISTS ${db}.scale_changes${on_cluster}
(
    cell_key String,
    district_id LowCardinality(String),
    school_id LowCardinality(String),
    cycle LowCardinality(String),
    window_kind LowCardinality(String),
    window_days UInt16,
    as_of Nullable(Date),
    role_group LowCardinality(String),
    cohort String,
    previous_cycle LowCardinality(String),
    scale_id LowCardinality(String),
    delta_mean Nullable(Float64),
    p_value Nullable(Float64),
    cohens_d Nullable(Float64),
    significant Nullable(Bool),
    suppressed Bool,
    suppression_reason LowCardinality(String),
    n_band String,
    record_version UInt64,
    computed_at DateTime64(3, 'UTC'),
    _partition UInt16,
    _offset UInt64,
    _deleted UInt8,
    _inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ${replacing}
ORDER BY (district_id, school_id, cycle, cell_key);

CREATE TABLE IF NOT EXISTS ${db}.response_rates${on_cluster}
(
    cell_key String,
    district_id LowCardinality(String),
    school_id LowCardinality(String),
    cycle LowCardinality(String),
    window_kind LowCardinality(String),
    window_days UInt16,
    as_of Nullable(Date),
    role_group LowCardinality(String),
    cohort String,
    respondents Nullable(UInt32),
    roster Nullable(UInt32),
    rate Nullable(Float64),
    below_response_gate Bool,
    suppressed Bool,
    suppression_reason LowCardinality(String),
    n_band String,
    record_version UInt64,
    computed_at DateTime64(3, 'UTC'),
    _partition UInt16,
    _offset UInt64,
    _deleted UInt8,
    _inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ${replacing}
ORDER BY (district_id, school_id, cycle, cell_key);

CREATE TABLE IF NOT EXISTS ${db}.influence${on_cluster}
(
    cell_key String,
    district_id LowCardinality(String),
    school_id LowCardinality(String),
    cycle LowCardinality(String),
    window_kind LowCardinality(String),
    window_days UInt16,
    as_of Nullable(Date),
    role_group LowCardinality(String) COMMENT 'role group of the raters',
    cohort String,
    decision_area LowCardinality(String) COMMENT 'a decision area, or ALL (pooled)',
    raters Nullable(UInt32),
    groups_name Array(LowCardinality(String)),
    groups_raters Array(Nullable(UInt32)),
    groups_mean_rating Array(Nullable(Float64)),
    groups_influence Array(Nullable(Float64)),
    groups_share Array(Nullable(Float64)),
    total_influence Nullable(Float64),
    gini Nullable(Float64),
    gini_corrected Nullable(Float64),
    evenness Nullable(Float64),
    hhi Nullable(Float64),
    hhi_normalized Nullable(Float64),
    effective_groups Nullable(Float64),
    top_group Nullable(String),
    top_share Nullable(Float64),
    admin_teacher_gap Nullable(Float64),
    undefined_reason Nullable(String),
    gaps_group Array(LowCardinality(String)),
    gaps_administrators_rating Array(Nullable(Float64)),
    gaps_own_rating Array(Nullable(Float64)),
    gaps_gap Array(Nullable(Float64)),
    suppressed Bool,
    suppression_reason LowCardinality(String),
    n_band String,
    record_version UInt64,
    computed_at DateTime64(3, 'UTC'),
    _partition UInt16,
    _offset UInt64,
    _deleted UInt8,
    _inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ${replacing}
ORDER BY (district_id, school_id, cycle, cell_key);

CREATE TABLE IF NOT EXISTS ${db}.decision_patterns${on_cluster}
(
    cell_key String,
    district_id LowCardinality(String),
    school_id LowCardinality(String),
    cycle LowCardinality(String),
    window_kind LowCardinality(String),
    window_days UInt16,
    as_of Nullable(Date),
    role_group LowCardinality(String),
    cohort String,
    reports Nullable(UInt32),
    group_names Array(LowCardinality(String)),
    group_shaped Array(Nullable(Float64)),
    group_input Array(Nullable(Float64)),
    group_led Array(Nullable(Float64)),
    group_implemented Array(Nullable(Float64)),
    shaping_breadth Nullable(Float64),
    non_admin_shaped_share Nullable(Float64),
    hierarchy_mode_share Nullable(Float64),
    co_ownership_share Nullable(Float64),
    suppressed Bool,
    suppression_reason LowCardinality(String),
    n_band String,
    record_version UInt64,
    computed_at DateTime64(3, 'UTC'),
    _partition UInt16,
    _offset UInt64,
    _deleted UInt8,
    _inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ${replacing}
ORDER BY (district_id, school_id, cycle, cell_key);

-- Late and rejected submissions: identifiers and reason codes only, never answers, respondent
-- keys or raw content. Deduplicated by their own id.
CREATE TABLE IF NOT EXISTS ${db}.late_submissions${on_cluster}
(
    submission_id String,
    district_id LowCardinality(String),
    school_id LowCardinality(String),
    cycle LowCardinality(String),
    submitted_at DateTime64(3, 'UTC'),
    received_at DateTime64(3, 'UTC'),
    _partition UInt16,
    _offset UInt64,
    _deleted UInt8,
    _inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ${replacing}
ORDER BY (district_id, school_id, cycle, submission_id);

CREATE TABLE IF NOT EXISTS ${db}.rejected_submissions${on_cluster}
(
    rejection_id String,
    district_id LowCardinality(String),
    school_id LowCardinality(String) COMMENT 'empty when the row named no known school',
    cycle LowCardinality(String),
    instrument_id LowCardinality(String),
    channel LowCardinality(String) COMMENT 'API or UPLOAD',
    upload_id String,
    received_at DateTime64(3, 'UTC'),
    reason_codes Array(LowCardinality(String)),
    reason_fields Array(String),
    _partition UInt16,
    _offset UInt64,
    _deleted UInt8,
    _inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ${replacing}
ORDER BY (district_id, rejection_id);
