package dev.chorus.instrument;

import dev.chorus.avro.AnswerScaleDef;
import dev.chorus.avro.DecisionAreaDef;
import dev.chorus.avro.GroupDef;
import dev.chorus.avro.InstrumentDefinition;
import dev.chorus.avro.ItemDef;
import dev.chorus.avro.Role;
import dev.chorus.avro.ScaleDef;
import dev.chorus.avro.ScaleKind;
import java.util.LinkedHashMap;
import java.util.Map;

/** Converts instruments to and from their Avro contract, as published on the instruments topic. */
public final class InstrumentAvro {

  private InstrumentAvro() {}

  /** The Avro record of {@code instrument}, owned by {@code districtId} (null for built-in). */
  public static InstrumentDefinition toAvro(Instrument instrument, String districtId) {
    return InstrumentDefinition.newBuilder()
        .setDistrictId(districtId)
        .setInstrumentId(instrument.id())
        .setVersion(instrument.version())
        .setTitle(instrument.title())
        .setAllowsFreeText(instrument.allowsFreeText())
        .setRoles(instrument.roles().stream().map(Role::valueOf).toList())
        .setAnswerScales(
            instrument.answerScales().stream()
                .map(
                    s ->
                        AnswerScaleDef.newBuilder()
                            .setId(s.id())
                            .setMin(s.min())
                            .setMax(s.max())
                            .setFavorableMin(s.favorableMin())
                            .setLabels(new LinkedHashMap<>(s.labels()))
                            .build())
                .toList())
        .setScales(
            instrument.scales().stream()
                .map(
                    s ->
                        ScaleDef.newBuilder()
                            .setId(s.id())
                            .setName(s.name())
                            .setKind(ScaleKind.valueOf(s.kind().name()))
                            .setDescription(s.description() == null ? "" : s.description())
                            .build())
                .toList())
        .setItems(
            instrument.items().stream()
                .map(
                    i ->
                        ItemDef.newBuilder()
                            .setId(i.id())
                            .setText(i.text())
                            .setScaleId(i.scale())
                            .setAnswerScaleId(i.answerScale())
                            .setReverseScored(Boolean.TRUE.equals(i.reverseScored()))
                            .build())
                .toList())
        .setDecisionAreas(
            instrument.decisionAreas().stream()
                .map(a -> new DecisionAreaDef(a.id(), a.name()))
                .toList())
        .setGroups(
            instrument.groups().stream()
                .map(
                    g ->
                        new GroupDef(
                            g.id(), g.name(), g.role() == null ? null : Role.valueOf(g.role())))
                .toList())
        .setInfluenceAnswerScaleId(instrument.influenceAnswerScale())
        .build();
  }

  /** The instrument described by an Avro record (no validation: published records were valid). */
  public static Instrument fromAvro(InstrumentDefinition d) {
    return new Instrument(
        d.getInstrumentId(),
        d.getVersion(),
        d.getTitle(),
        d.getAllowsFreeText(),
        d.getRoles().stream().map(Role::name).toList(),
        d.getAnswerScales().stream()
            .map(
                s ->
                    new Instrument.AnswerScale(
                        s.getId(),
                        s.getMin(),
                        s.getMax(),
                        s.getFavorableMin(),
                        Map.copyOf(s.getLabels())))
            .toList(),
        d.getScales().stream()
            .map(
                s ->
                    new Instrument.Scale(
                        s.getId(),
                        s.getName(),
                        Instrument.ScaleKind.valueOf(s.getKind().name()),
                        s.getDescription()))
            .toList(),
        d.getItems().stream()
            .map(
                i ->
                    new Instrument.Item(
                        i.getId(),
                        i.getText(),
                        i.getScaleId(),
                        i.getAnswerScaleId(),
                        i.getReverseScored()))
            .toList(),
        d.getDecisionAreas().stream()
            .map(a -> new Instrument.DecisionArea(a.getId(), a.getName()))
            .toList(),
        d.getGroups().stream()
            .map(
                g ->
                    new Instrument.Group(
                        g.getId(), g.getName(), g.getRole() == null ? null : g.getRole().name()))
            .toList(),
        d.getInfluenceAnswerScaleId());
  }

  /** Key of an instrument on its compacted topic. */
  public static String topicKey(String districtId, String instrumentId, int version) {
    return (districtId == null ? "*" : districtId) + "/" + instrumentId + "/" + version;
  }
}
