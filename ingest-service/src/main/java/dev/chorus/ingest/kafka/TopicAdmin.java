package dev.chorus.ingest.kafka;

import dev.chorus.ingest.config.Topics;
import dev.chorus.kafka.KafkaUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics the ingest service owns, with the broker's default replication. */
public final class TopicAdmin {

  private TopicAdmin() {}

  /** Creates any missing topic; existing ones are left as they are. */
  public static void ensureTopics(
      String bootstrapServers, Topics topics, int submissionPartitions) {
    Map<String, String> compacted =
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    List<NewTopic> wanted =
        List.of(
            new NewTopic(topics.submissions(), Optional.of(submissionPartitions), Optional.empty()),
            new NewTopic(topics.rejected(), Optional.of(3), Optional.empty()),
            new NewTopic(topics.instruments(), Optional.of(1), Optional.empty()).configs(compacted),
            new NewTopic(topics.rosters(), Optional.of(1), Optional.empty()).configs(compacted),
            new NewTopic(topics.schools(), Optional.of(1), Optional.empty()).configs(compacted),
            new NewTopic(topics.mappings(), Optional.of(1), Optional.empty()).configs(compacted));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      for (NewTopic topic : wanted) {
        try {
          admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new KafkaUnavailableException(
                "Cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e);
          }
        }
      }
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException(
          "Kafka at " + bootstrapServers + " did not answer while creating topics", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("Interrupted creating topics", e);
    }
  }
}
