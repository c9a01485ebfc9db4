package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AuditCommandTest {
  private static AuditCommand.Query parseQuery(String... args) {
    CommandLine.ParseResult parsed = new CommandLine(new AuditCommand()).parseArgs(args);
    return (AuditCommand.Query) parsed.subcommand().commandSpec().userObject();
  }

  @Test
  void queryTakesTheCallersSubject() {
    AuditCommand.Query query = parseQuery("query", "--model", "iris", "--subject", "alice");

    assertThat(query.subject).isEqualTo("alice");
    assertThat(query.selection.model).isEqualTo("iris");
  }

  @Test
  void queryWithoutSubjectMatchesEveryCaller() {
    assertThat(parseQuery("query", "--model", "iris").subject).isNull();
  }
}
