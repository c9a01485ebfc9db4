package dev.kaskade.loadtests.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicGrowthTest {
  @Test
  void eachTopicsGrowthIsDividedByTheInferencesMostFirst() {
    Map<String, Long> before = Map.of("requests", 100L, "responses", 40L, "idle", 7L);
    Map<String, Long> after =
        Map.of("requests", 1100L, "responses", 2040L, "idle", 7L, "created-between", 500L);

    List<TopicGrowth> growth = TopicGrowth.between(before, after, Map.of(), 1000);

    assertThat(growth)
        .containsExactly(
            new TopicGrowth("responses", 2000, 2.0),
            new TopicGrowth("requests", 1000, 1.0),
            new TopicGrowth("created-between", 500, 0.5));
    assertThat(TopicGrowth.total(growth)).isCloseTo(3.5, within(1e-9));
  }

  @Test
  void whatAnIdleInstanceWritesMeanwhileIsTakenOff() {
    // idle: 3 offset commits in 1.5 s; the calls took 4 s, so 8 of the 20 were background
    Map<String, Long> background =
        TopicGrowth.background(
            Map.of("__consumer_offsets", 10L, "audit", 5L),
            Map.of("__consumer_offsets", 13L, "audit", 5L),
            1.5,
            4.0);
    assertThat(background).isEqualTo(Map.of("__consumer_offsets", 8L));

    List<TopicGrowth> growth =
        TopicGrowth.between(
            Map.of("__consumer_offsets", 13L, "audit", 5L),
            Map.of("__consumer_offsets", 33L, "audit", 15L),
            background,
            10);

    assertThat(growth)
        .containsExactly(
            new TopicGrowth("__consumer_offsets", 12, 1.2), new TopicGrowth("audit", 10, 1.0));
  }

  @Test
  void noInferencesIsAnError() {
    assertThatThrownBy(() -> TopicGrowth.between(Map.of(), Map.of(), Map.of(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theReportListsEachTopicsShareInTheOrderMeasured() {
    RunResults results =
        RunResults.parse(
            List.of(
                RunResults.metricLine(RecordsPerInference.TOTAL, 6.79),
                RunResults.metricLine(RecordsPerInference.TOTAL + ":kaskade.audit.payloads", 1.02),
                RunResults.metricLine(RecordsPerInference.TOTAL + ":__consumer_offsets", 0.5)));

    String md = Report.markdown(results, List.of(), "cmd", "box", "0", List.of(), List.of());

    assertThat(md).contains("| records_per_inference | 6.79 |");
    assertThat(md)
        .contains(
            "| topic | per inference |\n| --- | --- |\n| kaskade.audit.payloads | 1.02 |\n"
                + "| __consumer_offsets | 0.50 |\n");
    assertThat(md).doesNotContain("| records_per_inference:");
  }
}
