package dev.chorus.processor.metrics;

import dev.chorus.avro.AnswerCount;
import dev.chorus.avro.ItemDistribution;
import dev.chorus.avro.MetricCell;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.instrument.Instrument;
import dev.chorus.processor.engine.BaseReducer;
import dev.chorus.processor.engine.Cells;
import dev.chorus.processor.scores.ItemAccumulator;
import dev.chorus.processor.suppression.SmallCellPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecordBase;

/** Answer counts per value of each scored item (domain spec §6), as given (not reverse-scored). */
public final class ItemDistributionsReducer extends BaseReducer<Integer, ItemAccumulator> {

  /** Per instrument: its scored items' ids, each mapped to itself. */
  private final Map<Instrument, Map<String, String>> itemIds = new IdentityHashMap<>();

  private final Map<String, String> scales = new HashMap<>();

  /**
   * @param rolling whether daily rolling series are published too (they multiply the output by the
   *     number of items)
   */
  public ItemDistributionsReducer(boolean rolling) {
    super("item-distributions", ItemDistribution.class, rolling, true);
  }

  @Override
  public void contributions(
      Instrument instrument, SurveySubmission submission, BiConsumer<String, Integer> out) {
    Map<String, String> items = itemIds.computeIfAbsent(instrument, this::prepare);
    submission
        .getAnswers()
        .forEach(
            (item, value) -> {
              // The instrument's own String: the engine's lookups by metric then compare by
              // identity (a decoded item id is a new String each time).
              String id = items.get(item);
              if (id != null) {
                out.accept(id, value);
              }
            });
  }

  private Map<String, String> prepare(Instrument instrument) {
    Map<String, String> items = new HashMap<>();
    for (Instrument.Scale scale : instrument.scales()) {
      for (Instrument.Item item : instrument.itemsOf(scale.id())) {
        items.put(item.id(), item.id());
        scales.putIfAbsent(item.id(), scale.id());
      }
    }
    return items;
  }

  @Override
  public ItemAccumulator newAccumulator() {
    return new ItemAccumulator();
  }

  @Override
  public SpecificRecordBase content(
      MetricCell cell,
      String itemId,
      ItemAccumulator acc,
      SmallCellPolicy.Decision d,
      Context context) {
    List<AnswerCount> counts = new ArrayList<>();
    if (!d.suppressed()) {
      for (int v = 0; v < acc.valueLimit(); v++) {
        if (acc.count(v) != 0) {
          counts.add(new AnswerCount(v, acc.count(v)));
        }
      }
    }
    return ItemDistribution.newBuilder()
        .setCell(cell)
        .setItemId(itemId)
        .setScaleId(scales.getOrDefault(itemId, ""))
        .setN(d.suppressed() ? null : (int) acc.n())
        .setCounts(counts)
        .setSuppression(Cells.suppression(d))
        .setVersion(0)
        .setComputedAt(Instant.EPOCH)
        .build();
  }
}
