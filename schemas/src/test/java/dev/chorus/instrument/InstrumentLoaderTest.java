package dev.chorus.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.instrument.Instrument.ScaleKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class InstrumentLoaderTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void defaultInstrumentMatchesTheDomainSpec() {
    Instrument instrument = InstrumentLoader.defaultInstrument();

    assertThat(instrument.id()).isEqualTo("collective-leadership");
    assertThat(instrument.version()).isEqualTo(1);
    assertThat(
            instrument.scales().stream()
                .filter(s -> s.kind() == ScaleKind.CONDITION)
                .map(Instrument.Scale::id))
        .containsExactly(
            "vision_strategy",
            "supportive_administration",
            "trust_respect",
            "work_structures",
            "resources_time",
            "shared_influence",
            "orientation_improvement");
    assertThat(
            instrument.scales().stream()
                .filter(s -> s.kind() == ScaleKind.INDICATOR)
                .map(Instrument.Scale::id))
        .containsExactly(
            "self_identified_leader", "interest_in_leading", "intent_to_stay", "burnout_risk");
    for (Instrument.Scale condition : instrument.scales()) {
      if (condition.kind() == ScaleKind.CONDITION) {
        assertThat(instrument.itemsOf(condition.id())).hasSizeBetween(4, 6);
      }
    }
    assertThat(instrument.itemsOf("transparency")).hasSize(3);
    assertThat(instrument.decisionAreas()).hasSize(8);
    assertThat(instrument.groups())
        .extracting(Instrument.Group::id)
        .contains(
            "administrators",
            "teachers",
            "paraprofessionals",
            "support_staff",
            "students",
            "families",
            "district_office");
    assertThat(instrument.item("burnout_risk").orElseThrow().reverseScored()).isTrue();
    assertThat(instrument.answerScale("influence_4").orElseThrow().points()).isEqualTo(4);
  }

  @Test
  void reverseScoringFlipsOnTheAnswerScale() {
    Instrument instrument = InstrumentLoader.defaultInstrument();
    Instrument.AnswerScale agreement = instrument.answerScale("agreement_5").orElseThrow();
    assertThat(instrument.item("burnout_risk").orElseThrow().scored(5, agreement)).isEqualTo(1);
    assertThat(instrument.item("burnout_risk").orElseThrow().scored(2, agreement)).isEqualTo(4);
    assertThat(instrument.item("trust_respect_1").orElseThrow().scored(2, agreement)).isEqualTo(2);
  }

  @Test
  void avroRoundTripKeepsEverything() {
    Instrument instrument = InstrumentLoader.defaultInstrument();
    assertThat(InstrumentAvro.fromAvro(InstrumentAvro.toAvro(instrument, "d1")))
        .isEqualTo(instrument);
  }

  @Test
  void jsonRoundTripKeepsEverything() {
    Instrument instrument = InstrumentLoader.defaultInstrument();
    byte[] json = InstrumentLoader.toJson(instrument);
    assertThat(InstrumentLoader.load(new ByteArrayInputStream(json), "round trip"))
        .isEqualTo(instrument);
  }

  @Test
  void duplicateItemIdIsReported() {
    assertProblem(
        doc -> items(doc).add(items(doc).get(0).deepCopy()),
        "item id 'vision_strategy_1' is defined more than once");
  }

  @Test
  void itemOnUnknownScaleIsReported() {
    assertProblem(
        doc -> item(doc, 0).put("scale", "visions"),
        "item 'vision_strategy_1': scale 'visions' is not defined");
  }

  @Test
  void itemOnUnknownAnswerScaleIsReported() {
    assertProblem(
        doc -> item(doc, 0).put("answer_scale", "agree7"), "answer scale 'agree7' is not defined");
  }

  @Test
  void missingReverseScoredFlagIsReported() {
    assertProblem(doc -> item(doc, 3).remove("reverse_scored"), "reverse_scored must be given");
  }

  @Test
  void invertedScaleBoundsAreReported() {
    assertProblem(doc -> answerScale(doc, 0).put("min", 6), "min 6 must be below max 5");
  }

  @Test
  void favorableRangeOffTheScaleIsReported() {
    assertProblem(
        doc -> answerScale(doc, 0).put("favorable_min", 9), "favorable_min 9 lies outside 1..5");
  }

  @Test
  void labelOffTheScaleIsReported() {
    assertProblem(
        doc -> ((ObjectNode) answerScale(doc, 0).get("labels")).put("Totally", 7),
        "label 'Totally' maps to 7");
  }

  @Test
  void labelsThatDifferOnlyInCaseAreReported() {
    assertProblem(
        doc -> ((ObjectNode) answerScale(doc, 0).get("labels")).put("  strongly   AGREE ", 5),
        "are the same answer text");
  }

  @Test
  void indicatorWithTwoItemsIsReported() {
    assertProblem(
        doc -> item(doc, 0).put("scale", "burnout_risk"),
        "indicator and must have exactly one item");
  }

  @Test
  void unknownRoleIsReported() {
    assertProblem(
        doc -> ((ArrayNode) doc.get("roles")).add("JANITOR"), "role 'JANITOR' is not one of");
  }

  @Test
  void scaleWithoutItemsIsReported() {
    assertProblem(
        doc ->
            ((ArrayNode) doc.get("scales"))
                .addObject()
                .put("id", "empty")
                .put("name", "Empty")
                .put("kind", "CONDITION"),
        "scale 'empty' has no items");
  }

  @Test
  void everyProblemIsListedNotJustTheFirst() {
    ObjectNode doc = defaultDocument();
    item(doc, 0).put("scale", "nope");
    answerScale(doc, 0).put("min", 9);
    assertThatThrownBy(() -> load(doc))
        .isInstanceOfSatisfying(
            InvalidInstrumentException.class,
            e -> assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(2));
  }

  @Test
  void misspelledFieldIsReportedWithItsLocation() {
    String json = "{\"id\": \"x\", \"verison\": 1}";
    assertThatThrownBy(
            () ->
                InstrumentLoader.load(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "bad.json"))
        .isInstanceOf(InvalidInstrumentException.class)
        .hasMessageContaining("bad.json")
        .hasMessageContaining("verison")
        .hasMessageContaining("line 1");
  }

  private static void assertProblem(Consumer<ObjectNode> breakIt, String expected) {
    ObjectNode doc = defaultDocument();
    breakIt.accept(doc);
    assertThatThrownBy(() -> load(doc))
        .isInstanceOfSatisfying(
            InvalidInstrumentException.class,
            e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(expected)));
  }

  private static Instrument load(ObjectNode doc) {
    return InstrumentLoader.load(
        new ByteArrayInputStream(doc.toString().getBytes(StandardCharsets.UTF_8)), "test");
  }

  private static ObjectNode defaultDocument() {
    try {
      return (ObjectNode)
          JSON.readTree(InstrumentLoader.toJson(InstrumentLoader.defaultInstrument()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ArrayNode items(ObjectNode doc) {
    return (ArrayNode) doc.get("items");
  }

  private static ObjectNode item(ObjectNode doc, int index) {
    return (ObjectNode) items(doc).get(index);
  }

  private static ObjectNode answerScale(ObjectNode doc, int index) {
    return (ObjectNode) doc.get("answer_scales").get(index);
  }
}
