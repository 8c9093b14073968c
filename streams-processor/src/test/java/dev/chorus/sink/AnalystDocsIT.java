package dev.chorus.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.contracts.ReportingModel;
import dev.chorus.testkit.ChorusIntegrationTest;
import dev.chorus.testkit.ChorusStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every SQL example in docs/analysts.md runs as the analyst and answers with rows. */
@ChorusIntegrationTest
class AnalystDocsIT {

  private static final Pattern SQL = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL);

  static List<String> examples() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "analysts.md"));
    List<String> examples = new ArrayList<>();
    Matcher m = SQL.matcher(doc);
    while (m.find()) {
      examples.add(m.group(1).strip());
    }
    return examples;
  }

  @Test
  void everyExampleRunsAndAnswers(ChorusStack stack) throws Exception {
    ReportingFixture.load(stack);
    List<String> examples = examples();
    assertThat(examples).hasSizeGreaterThanOrEqualTo(12);
    for (String sql : examples) {
      List<Map<String, Object>> rows =
          Sql.query(stack, ReportingModel.ANALYST, stack.clickhouseAnalystPassword(), sql);
      assertThat(rows).as(sql).isNotEmpty();
    }
  }

  @Test
  void theDocumentedViewsAreTheModel() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "analysts.md"));
    for (String view : ReportingModel.VIEWS) {
      assertThat(doc).contains("| `" + view + "` |");
    }
  }
}
