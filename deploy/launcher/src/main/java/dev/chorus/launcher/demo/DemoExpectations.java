package dev.chorus.launcher.demo;

import dev.chorus.avro.DecisionReflection;
import dev.chorus.avro.InfluenceRating;
import dev.chorus.avro.Role;
import dev.chorus.avro.ScaleScore;
import dev.chorus.avro.SourceChannel;
import dev.chorus.avro.SubmissionSource;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.avro.WindowKind;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentLoader;
import dev.chorus.processor.ProcessorConfig;
import dev.chorus.processor.oracle.BatchMetrics;
import dev.chorus.processor.topology.MetricsTopology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The generator's own batch computation of the demo's results: every response in the order the
 * district sends it, through the processor's reference implementation ({@link BatchMetrics}) with
 * the processor's default settings. What ClickHouse shows after {@code ./chorus demo} must equal
 * this.
 */
public final class DemoExpectations {

  private DemoExpectations() {}

  /**
   * Cycle-to-date scale scores, keyed {@code school|cycle|scale|role|cohort} (school "" =
   * district).
   */
  public static Map<String, ScaleScore> currentScores(DemoGenerator.Demo demo) {
    ChorusTopics topics = new ChorusTopics("chorus.");
    Map<Class<?>, String> outputs = MetricsTopology.outputTopics(topics);
    ProcessorConfig defaults = ProcessorConfig.fromEnvironment(Map.of());
    Instrument instrument = InstrumentLoader.defaultInstrument();
    List<SurveySubmission> arrivals = new ArrayList<>();
    for (DemoGenerator.Delivery d : demo.deliveries()) {
      for (DemoGenerator.Response r : d.responses()) {
        arrivals.add(submission(r, instrument));
      }
    }
    BatchMetrics.Result result =
        BatchMetrics.compute(
            arrivals,
            List.of(),
            s -> instrument,
            defaults.metricsSettings().aggregates(),
            defaults.rollingItemDistributions(),
            outputs);
    Map<String, ScaleScore> scores = new LinkedHashMap<>();
    for (SpecificRecordBase record : result.byTopic().get(topics.scaleScores()).values()) {
      ScaleScore s = (ScaleScore) record;
      if (s.getCell().getWindow().getKind() == WindowKind.CYCLE_TO_DATE) {
        scores.put(
            key(
                s.getCell().getSchoolId() == null ? "" : s.getCell().getSchoolId(),
                s.getCell().getCycle(),
                s.getScaleId(),
                s.getCell().getRoleGroup(),
                s.getCell().getCohort() == null ? "" : s.getCell().getCohort()),
            s);
      }
    }
    return scores;
  }

  /** The key {@link #currentScores} uses. */
  public static String key(String school, String cycle, String scale, String role, String cohort) {
    return String.join("|", school, cycle, scale, role, cohort);
  }

  /**
   * A response as the ingest service turns it into a submission; the respondent id stands in for
   * its pseudonym (a one-to-one function of it), which no metric can tell apart.
   */
  static SurveySubmission submission(DemoGenerator.Response r, Instrument instrument) {
    List<InfluenceRating> influence = new ArrayList<>();
    r.influence()
        .forEach(
            (area, ratings) ->
                ratings.forEach((group, v) -> influence.add(new InfluenceRating(area, group, v))));
    DecisionReflection reflection =
        r.reflection().isEmpty()
            ? null
            : new DecisionReflection(
                r.reflection().getOrDefault("shaped_by", List.of()),
                r.reflection().getOrDefault("input_from", List.of()),
                r.reflection().getOrDefault("led_by", List.of()),
                r.reflection().getOrDefault("implemented_by", List.of()));
    return SurveySubmission.newBuilder()
        .setSubmissionId(r.id())
        .setDistrictId(DemoGenerator.DISTRICT)
        .setSchoolId(r.school())
        .setCycle(r.cycle())
        .setInstrumentId(instrument.id())
        .setInstrumentVersion(instrument.version())
        .setRespondentKey(r.respondent())
        .setRole(Role.valueOf(r.role()))
        .setCohortTags(List.of())
        .setSubmittedAt(r.submittedAt())
        .setReceivedAt(r.submittedAt())
        .setAnswers(r.answers())
        .setInfluence(influence)
        .setReflection(reflection)
        .setFreeText(Map.of())
        .setSource(new SubmissionSource(SourceChannel.API, null, null, null))
        .build();
  }
}
