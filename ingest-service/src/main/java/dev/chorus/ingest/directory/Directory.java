package dev.chorus.ingest.directory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.avro.InstrumentDefinition;
import dev.chorus.avro.Role;
import dev.chorus.avro.Roster;
import dev.chorus.avro.RosterCount;
import dev.chorus.ingest.config.IngestConfig;
import dev.chorus.ingest.kafka.Publisher;
import dev.chorus.ingest.mapping.ColumnMapping;
import dev.chorus.ingest.mapping.MappingPresets;
import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentAvro;
import dev.chorus.instrument.InstrumentLoader;
import dev.chorus.kafka.CompactedTable;
import dev.chorus.serde.AvroSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What the ingest service knows about each district: instruments, school directory, rosters and
 * column mappings, each kept in its compacted topic (instruments and rosters are read by the
 * streams processor too).
 */
public final class Directory implements AutoCloseable {

  /** A school of a district's directory. */
  public record School(String id, String name) {}

  /** Result of registering something versioned. */
  public enum PutResult {
    CREATED,
    UNCHANGED,
    CONFLICT
  }

  private final ObjectMapper json;
  private final CompactedTable<InstrumentDefinition> instruments;
  private final CompactedTable<String> schools;
  private final CompactedTable<Roster> rosters;
  private final CompactedTable<String> mappings;
  private final Map<String, Instrument> instrumentCache = new ConcurrentHashMap<>();

  public Directory(IngestConfig config, ObjectMapper json) {
    this.json = json;
    var topics = config.topics();
    var serde = Publisher.serdeProperties(config);
    AvroSerde<InstrumentDefinition> instrumentSerde =
        AvroSerde.specific(InstrumentDefinition.class).configured(serde, false);
    AvroSerde<Roster> rosterSerde = AvroSerde.specific(Roster.class).configured(serde, false);
    String bootstrap = config.kafkaBootstrapServers();
    this.instruments =
        new CompactedTable<>(
            bootstrap,
            topics.instruments(),
            instrumentSerde.serializer(),
            instrumentSerde.deserializer(),
            (key, value) -> instrumentCache.remove(key));
    this.schools =
        new CompactedTable<>(
            bootstrap,
            topics.schools(),
            Serdes.String().serializer(),
            Serdes.String().deserializer(),
            (k, v) -> {});
    this.rosters =
        new CompactedTable<>(
            bootstrap,
            topics.rosters(),
            rosterSerde.serializer(),
            rosterSerde.deserializer(),
            (k, v) -> {});
    this.mappings =
        new CompactedTable<>(
            bootstrap,
            topics.mappings(),
            Serdes.String().serializer(),
            Serdes.String().deserializer(),
            (k, v) -> {});
    Instrument builtIn = InstrumentLoader.defaultInstrument();
    if (instruments.get(instrumentKey(null, builtIn.id(), builtIn.version())).isEmpty()) {
      instruments.put(
          instrumentKey(null, builtIn.id(), builtIn.version()),
          InstrumentAvro.toAvro(builtIn, null));
    }
  }

  private static String instrumentKey(String district, String id, int version) {
    return InstrumentAvro.topicKey(district, id, version);
  }

  /** The instrument {@code id} v{@code version} of a district, or the built-in one. */
  public Optional<Instrument> instrument(String district, String id, int version) {
    for (String key :
        List.of(instrumentKey(district, id, version), instrumentKey(null, id, version))) {
      Optional<InstrumentDefinition> found = instruments.get(key);
      if (found.isPresent()) {
        return Optional.of(
            instrumentCache.computeIfAbsent(key, k -> InstrumentAvro.fromAvro(found.get())));
      }
    }
    return Optional.empty();
  }

  /** The newest version of instrument {@code id} visible to the district. */
  public Optional<Instrument> latestInstrument(String district, String id) {
    return instruments.snapshot().values().stream()
        .filter(d -> d.getInstrumentId().equals(id))
        .filter(d -> d.getDistrictId() == null || d.getDistrictId().equals(district))
        .max(Comparator.comparingInt(InstrumentDefinition::getVersion))
        .flatMap(d -> instrument(district, id, d.getVersion()));
  }

  /** Registers a district's instrument version; versions are immutable once registered. */
  public PutResult putInstrument(String district, Instrument instrument) {
    String key = instrumentKey(district, instrument.id(), instrument.version());
    Optional<Instrument> existing = instrument(district, instrument.id(), instrument.version());
    if (existing.isPresent()) {
      return existing.get().equals(instrument) ? PutResult.UNCHANGED : PutResult.CONFLICT;
    }
    instruments.put(key, InstrumentAvro.toAvro(instrument, district));
    return PutResult.CREATED;
  }

  /** The district's schools, if it registered a directory. */
  public Optional<List<School>> schools(String district) {
    return schools.get(district).map(this::readSchools);
  }

  /** The district's school ids, or null without a directory (what the validator expects). */
  public Set<String> schoolIds(String district) {
    return schools(district)
        .map(
            list -> {
              Set<String> ids = new LinkedHashSet<>();
              list.forEach(s -> ids.add(s.id()));
              return ids;
            })
        .orElse(null);
  }

  /** Replaces the district's school directory. */
  public void putSchools(String district, List<School> list) {
    try {
      schools.put(district, json.writeValueAsString(list));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces the roster of each listed school for {@code cycle}. */
  public void putRoster(
      String district, String cycle, Map<String, Map<Role, Integer>> staffBySchool) {
    for (var school : new TreeMap<>(staffBySchool).entrySet()) {
      Roster roster =
          Roster.newBuilder()
              .setDistrictId(district)
              .setCycle(cycle)
              .setSchoolId(school.getKey())
              .setCounts(
                  school.getValue().entrySet().stream()
                      .sorted(Map.Entry.comparingByKey())
                      .map(e -> new RosterCount(e.getKey(), e.getValue()))
                      .toList())
              .setUpdatedAt(Instant.now())
              .build();
      rosters.put(district + "/" + cycle + "/" + school.getKey(), roster);
    }
  }

  /** The rosters of one cycle, by school. */
  public Map<String, Roster> rosters(String district, String cycle) {
    Map<String, Roster> result = new TreeMap<>();
    String prefix = district + "/" + cycle + "/";
    rosters
        .snapshot()
        .forEach(
            (key, roster) -> {
              if (key.startsWith(prefix)) {
                result.put(roster.getSchoolId(), roster);
              }
            });
    return result;
  }

  /** A mapping by id: the district's own first, then the presets. */
  public Optional<ColumnMapping> mapping(String district, String id) {
    Optional<ColumnMapping> own = mappings.get(district + "/" + id).map(this::readMapping);
    return own.isPresent() ? own : MappingPresets.find(id);
  }

  /** Every mapping a district can use. */
  public List<ColumnMapping> mappings(String district) {
    Map<String, ColumnMapping> all = new TreeMap<>();
    MappingPresets.ALL.forEach(m -> all.put(m.id(), m));
    mappings
        .snapshot()
        .forEach(
            (key, value) -> {
              if (key.startsWith(district + "/")) {
                ColumnMapping m = readMapping(value);
                all.put(m.id(), m);
              }
            });
    return List.copyOf(all.values());
  }

  /** Registers (or replaces) a district's own mapping. */
  public void putMapping(String district, ColumnMapping mapping) {
    try {
      mappings.put(district + "/" + mapping.id(), json.writeValueAsString(mapping));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<School> readSchools(String value) {
    try {
      return json.readValue(value, new TypeReference<List<School>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ColumnMapping readMapping(String value) {
    try {
      return json.readValue(value, ColumnMapping.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    instruments.close();
    schools.close();
    rosters.close();
    mappings.close();
  }
}
