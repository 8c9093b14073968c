package dev.chorus.dashboard;

import java.util.Map;

/**
 * The dashboard's questions, as SQL over the analyst views only. Values arrive as query parameters
 * ({@code {district:String}}), never spliced into the text.
 */
final class DashboardQueries {

  private DashboardQueries() {}

  /**
   * Query name → SQL, naming views unqualified: the client's default database is the reporting one.
   */
  static final Map<String, String> SQL =
      Map.ofEntries(
          Map.entry(
              "roles",
              """
              SELECT role_group, scale_id, score_100, suppressed, n_band
              FROM current_scores
              WHERE district_id = {district:String} AND school_id = {school:String}
                AND cycle = {cycle:String} AND role_group != 'ALL' AND cohort = ''
                AND scale_kind = 'CONDITION'
              ORDER BY role_group, scale_id
              """),
          Map.entry(
              "cycles",
              """
          SELECT district_id, cycle, uniqExact(school_id) - 1 AS schools, max(computed_at) AS updated
          FROM current_scores
          GROUP BY district_id, cycle
          ORDER BY district_id, cycle IN (SELECT cycle FROM score_trends) DESC, updated DESC
          """),
          Map.entry(
              "overview",
              """
          SELECT school_id, scale_id, scale_kind, score_100, suppressed, n_band
          FROM current_scores
          WHERE district_id = {district:String} AND cycle = {cycle:String}
            AND role_group = 'ALL' AND cohort = ''
          ORDER BY school_id, scale_id
          """),
          Map.entry(
              "rates",
              """
          SELECT school_id, respondents, roster, rate, suppressed, n_band
          FROM response_rates
          WHERE district_id = {district:String} AND cycle = {cycle:String}
            AND role_group = 'ALL' AND cohort = ''
          ORDER BY school_id
          """),
          Map.entry(
              "trends",
              """
          SELECT scale_id, previous_cycle, delta_mean, p_value, significant, suppressed
          FROM score_trends
          WHERE district_id = {district:String} AND school_id = {school:String}
            AND cycle = {cycle:String} AND role_group = 'ALL' AND cohort = ''
          """),
          Map.entry(
              "rolling",
              """
          SELECT scale_id, toString(day) AS day, score_100, suppressed
          FROM rolling_scores
          WHERE district_id = {district:String} AND school_id = {school:String}
            AND cycle = {cycle:String} AND role_group = 'ALL' AND cohort = ''
            AND window_days = (SELECT min(window_days) FROM rolling_scores)
          ORDER BY scale_id, day
          """),
          Map.entry(
              "influence",
              """
          SELECT total_influence, evenness, effective_groups, top_group, raters, suppressed, n_band
          FROM influence
          WHERE district_id = {district:String} AND school_id = {school:String}
            AND cycle = {cycle:String} AND window_kind = 'CYCLE_TO_DATE'
            AND decision_area = 'ALL' AND rater_role_group = 'ALL' AND cohort = ''
          """),
          Map.entry(
              "shares",
              """
          SELECT group_name, share, mean_rating
          FROM influence_groups
          WHERE district_id = {district:String} AND school_id = {school:String}
            AND cycle = {cycle:String} AND window_kind = 'CYCLE_TO_DATE'
            AND decision_area = 'ALL' AND rater_role_group = 'ALL' AND cohort = ''
          ORDER BY share DESC
          """),
          Map.entry(
              "gaps",
              """
          SELECT group_name, administrators_rating, own_rating, gap
          FROM perception_gaps
          WHERE district_id = {district:String} AND school_id = {school:String}
            AND cycle = {cycle:String} AND window_kind = 'CYCLE_TO_DATE'
            AND decision_area = 'ALL' AND cohort = ''
          ORDER BY gap DESC
          """),
          Map.entry(
              "patterns",
              """
          SELECT g.1 AS group_name, g.2 AS shaped, g.3 AS input, g.4 AS led, g.5 AS implemented,
                 suppressed, n_band
          FROM decision_patterns
          LEFT ARRAY JOIN
              arrayZip(group_names, group_shaped, group_input, group_led, group_implemented) AS g
          WHERE district_id = {district:String} AND school_id = {school:String}
            AND cycle = {cycle:String} AND window_kind = 'CYCLE_TO_DATE'
            AND role_group = 'ALL' AND cohort = ''
          ORDER BY shaped DESC
          """));
}
