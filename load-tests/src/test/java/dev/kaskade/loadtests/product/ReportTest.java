package dev.kaskade.loadtests.product;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void theAuditBacklogBeforeEachStepIsItsOwnTableInTheOrderTheStepsRan() {
    String grpc = AuditSettle.stepKey("grpc", "open", 1000);
    String v2 = AuditSettle.stepKey("v2", "closed", 64);
    RunResults results =
        RunResults.parse(
            List.of(
                RunResults.metricLine(RunResults.READY_MS, 3500),
                RunResults.metricLine(RunResults.STEP_AUDIT_BACKLOG + grpc, 35451),
                RunResults.metricLine(RunResults.STEP_AUDIT_SETTLE_S + grpc, 2.63),
                RunResults.metricLine(RunResults.STEP_AUDIT_BACKLOG + v2, 0),
                RunResults.metricLine(RunResults.STEP_AUDIT_SETTLE_S + v2, 0)));

    String md = Report.markdown(results, List.of(), "cmd", "box", "0.1", List.of(), List.of());

    String table = md.substring(md.indexOf("## The audit's backlog before each step"));
    assertThat(table)
        .contains("| grpc/open/1000 | 35451 | 2.6 |")
        .contains("| v2/closed/64 | 0 | 0.0 |");
    assertThat(table.indexOf("grpc/open/1000")).isLessThan(table.indexOf("v2/closed/64"));
    String process = md.substring(md.indexOf("## Cold starts"), md.indexOf("## The audit's"));
    assertThat(process).contains(RunResults.READY_MS).doesNotContain("step_audit");
  }

  @Test
  void aRunWithoutSettlesHasNoSuchTable() {
    String md =
        Report.markdown(
            RunResults.parse(List.of(RunResults.metricLine(RunResults.READY_MS, 3500))),
            List.of(),
            "cmd",
            "box",
            "0.1",
            List.of(),
            List.of());
    assertThat(md).doesNotContain("backlog before each step");
  }
}
