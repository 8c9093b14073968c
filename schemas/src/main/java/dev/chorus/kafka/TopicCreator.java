package dev.chorus.kafka;

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

/** Creates topics that do not exist yet; existing topics are left exactly as they are. */
public final class TopicCreator {

  private TopicCreator() {}

  /** A topic with the broker's default replication factor. */
  public static NewTopic topic(String name, int partitions, boolean compacted) {
    NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.empty());
    return compacted
        ? topic.configs(
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))
        : topic;
  }

  /**
   * The partition count of an existing topic.
   *
   * @throws KafkaUnavailableException when Kafka refuses or does not answer
   */
  public static int partitionCount(String bootstrapServers, String topic) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .get(topic)
          .partitions()
          .size();
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaUnavailableException(
          "Cannot describe topic " + topic + " on " + bootstrapServers + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("Interrupted describing topic " + topic, e);
    }
  }

  /**
   * Creates each missing topic.
   *
   * @throws KafkaUnavailableException when Kafka refuses or does not answer
   */
  public static void ensure(String bootstrapServers, List<NewTopic> topics) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      for (NewTopic topic : topics) {
        try {
          admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new KafkaUnavailableException(
                "Cannot create topic "
                    + topic.name()
                    + " on "
                    + bootstrapServers
                    + ": "
                    + e.getCause().getMessage(),
                e);
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
