package dev.chorus.contracts;

import dev.chorus.avro.DecisionPattern;
import dev.chorus.avro.InfluenceDistribution;
import dev.chorus.avro.InstrumentDefinition;
import dev.chorus.avro.ItemDistribution;
import dev.chorus.avro.RejectedSubmission;
import dev.chorus.avro.ResponseRate;
import dev.chorus.avro.Roster;
import dev.chorus.avro.ScaleChange;
import dev.chorus.avro.ScaleScore;
import dev.chorus.avro.SurveySubmission;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The top-level data contracts: every record that travels on a Chorus topic. Released versions are
 * frozen under {@code schemas/released/<version>/}, and the build checks the current contracts can
 * read them (BACKWARD compatibility).
 */
public final class Contracts {

  /** Every top-level contract, in a stable order. */
  public static final List<Schema> ALL =
      List.of(
          SurveySubmission.getClassSchema(),
          RejectedSubmission.getClassSchema(),
          InstrumentDefinition.getClassSchema(),
          Roster.getClassSchema(),
          ScaleScore.getClassSchema(),
          ItemDistribution.getClassSchema(),
          ScaleChange.getClassSchema(),
          InfluenceDistribution.getClassSchema(),
          DecisionPattern.getClassSchema(),
          ResponseRate.getClassSchema());

  private Contracts() {}

  /** The file a released contract is frozen in. */
  public static Path releasedFile(Path releasedDir, String version, Schema schema) {
    return releasedDir.resolve(version).resolve(schema.getName() + ".avsc");
  }

  /**
   * Freezes the current contracts as a release: {@code Contracts <released-dir> <version>}. Run it
   * when tagging a release (see schemas/README.md); never edit a released file afterwards.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: Contracts <released-dir> <version>");
      System.exit(2);
    }
    Path dir = Path.of(args[0]).resolve(args[1]);
    if (Files.exists(dir)) {
      System.err.println(dir + " exists: released contracts are never rewritten");
      System.exit(1);
    }
    Files.createDirectories(dir);
    for (Schema schema : ALL) {
      Files.writeString(
          releasedFile(Path.of(args[0]), args[1], schema), schema.toString(true) + "\n");
    }
    System.out.println("Froze " + ALL.size() + " contracts in " + dir);
  }
}
