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

  private static Map<String, Long> groups(long all, long teachers, long admins) {
    Map<String, Long> g = new LinkedHashMap<>();
    g.put("ALL", all);
    g.put("TEACHER", teachers);
    g.put("ADMINISTRATOR", admins);
    return g;
  }

  @Test
  void aSchoolSuppressedAloneAmongItsDistrictForcesTheNextSmallestSchool() {
    // Teachers: adams 3 (suppressed), lincoln 6, roosevelt 9; the district's 18 is published, so
    // adams = 18 - 6 - 9 unless lincoln (the smallest published) is suppressed too. That leaves
    // lincoln's role set with one suppressed role, so its administrators follow.
    Map<String, Map<String, Long>> family = new LinkedHashMap<>();
    family.put("", groups(51, 18, 33));
    family.put("adams", groups(13, 3, 10));
    family.put("lincoln", groups(17, 6, 11));
    family.put("roosevelt", groups(21, 9, 12));

    var d = policy.family(family, "", "ALL");

    assertThat(d.get("adams").get("TEACHER").reason()).isEqualTo(Reason.BELOW_K_MIN);
    assertThat(d.get("adams").get("ADMINISTRATOR").reason()).isEqualTo(Reason.COMPLEMENTARY);
    assertThat(d.get("lincoln").get("TEACHER").reason()).isEqualTo(Reason.COMPLEMENTARY);
    assertThat(d.get("lincoln").get("ADMINISTRATOR").reason()).isEqualTo(Reason.COMPLEMENTARY);
    // Administrators now: adams and lincoln suppressed, two of three schools: nothing recoverable.
    assertThat(d.get("roosevelt").get("TEACHER").suppressed()).isFalse();
    assertThat(d.get("roosevelt").get("ADMINISTRATOR").suppressed()).isFalse();
    assertThat(d.get("").values()).noneMatch(SmallCellPolicy.Decision::suppressed);
    assertThat(d.get("lincoln").get("ALL").suppressed()).isFalse();
  }

  @Test
  void aSingleSchoolDistrictNeedsNoSchoolComplement() {
    Map<String, Map<String, Long>> family = new LinkedHashMap<>();
    family.put("", groups(12, 9, 3));
    family.put("adams", groups(12, 9, 3));
    var d = policy.family(family, "", "ALL");
    assertThat(d.get("adams")).isEqualTo(d.get(""));
    assertThat(d.get("adams").get("TEACHER").reason()).isEqualTo(Reason.COMPLEMENTARY);
  }
}
