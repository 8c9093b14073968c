package dev.chorus.ingest.kafka;

import static dev.chorus.kafka.TopicCreator.topic;

import dev.chorus.contracts.ChorusTopics;
import dev.chorus.kafka.TopicCreator;
import java.util.List;

/** Creates the topics the ingest service writes, with the broker's default replication. */
public final class TopicAdmin {

  private TopicAdmin() {}

  /** Creates any missing topic; existing ones are left as they are. */
  public static void ensureTopics(
      String bootstrapServers, ChorusTopics topics, int submissionPartitions) {
    TopicCreator.ensure(
        bootstrapServers,
        List.of(
            topic(topics.submissions(), submissionPartitions, false),
            topic(topics.rejected(), 3, false),
            topic(topics.instruments(), 1, true),
            topic(topics.rosters(), 1, true),
            topic(topics.schools(), 1, true),
            topic(topics.mappings(), 1, true)));
  }
}
