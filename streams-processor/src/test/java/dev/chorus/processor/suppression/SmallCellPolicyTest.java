package dev.chorus.processor.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.processor.suppression.SmallCellPolicy.Reason;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmallCellPolicyTest {

  private final SmallCellPolicy policy = new SmallCellPolicy(5);

  @Test
  void belowKMinIsSuppressedWithABand() {
    assertThat(policy.single(4))
        .isEqualTo(new SmallCellPolicy.Decision(true, Reason.BELOW_K_MIN, "<5"));
    assertThat(policy.single(5)).isEqualTo(new SmallCellPolicy.Decision(false, Reason.NONE, "5"));
  }

  @Test
  void oneSuppressedSiblingForcesTheNextSmallest() {
    Map<String, Long> groups = new LinkedHashMap<>();
    groups.put("TEACHER", 40L);
    groups.put("ADMINISTRATOR", 3L);
    groups.put("PARAPROFESSIONAL", 7L);
    groups.put("SUPPORT_STAFF", 9L);
    var decisions = policy.siblings(groups);
    assertThat(decisions.get("ADMINISTRATOR").reason()).isEqualTo(Reason.BELOW_K_MIN);
    assertThat(decisions.get("PARAPROFESSIONAL").reason()).isEqualTo(Reason.COMPLEMENTARY);
    assertThat(decisions.get("PARAPROFESSIONAL").nBand()).isEqualTo("<5");
    assertThat(decisions.get("SUPPORT_STAFF").suppressed()).isFalse();
    assertThat(decisions.get("TEACHER").suppressed()).isFalse();
  }

  @Test
  void twoSuppressedSiblingsNeedNothingMore() {
    var decisions =
        policy.siblings(Map.of("TEACHER", 30L, "ADMINISTRATOR", 2L, "PARAPROFESSIONAL", 4L));
    assertThat(decisions.values()).filteredOn(SmallCellPolicy.Decision::suppressed).hasSize(2);
    assertThat(decisions.get("TEACHER").suppressed()).isFalse();
  }

  @Test
  void exactlyKMinIsPublishedAndKMinMinusOneIsNot() {
    var decisions = policy.siblings(Map.of("TEACHER", 5L, "ADMINISTRATOR", 5L));
    assertThat(decisions.values()).noneMatch(SmallCellPolicy.Decision::suppressed);
    var lower = policy.siblings(Map.of("TEACHER", 5L, "ADMINISTRATOR", 4L));
    assertThat(lower.get("ADMINISTRATOR").reason()).isEqualTo(Reason.BELOW_K_MIN);
    assertThat(lower.get("TEACHER").reason()).isEqualTo(Reason.COMPLEMENTARY);
  }

  @Test
  void kMinHasAFloorOfThree() {
    assertThatThrownBy(() -> new SmallCellPolicy(2)).hasMessageContaining("at least 3");
    assertThat(new SmallCellPolicy(3).single(3).suppressed()).isFalse();
  }
}
