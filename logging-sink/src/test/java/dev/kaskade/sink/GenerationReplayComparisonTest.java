package dev.kaskade.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.GenerationResult;
import dev.kaskade.events.GenerationUsage;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.sink.replay.OutputComparison;
import dev.kaskade.sink.replay.OutputComparison.Verdict;
import org.junit.jupiter.api.Test;

class GenerationReplayComparisonTest {

  static InferenceResponse answer(String id, long created, String text, int completion) {
    String body =
        ("{\"id\":\"cmpl-%s\",\"object\":\"text_completion\",\"created\":%d,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"text\":\"%s\",\"logprobs\":null,"
                + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":3,"
                + "\"completion_tokens\":%d,\"total_tokens\":%d}}")
            .formatted(id, created, text, completion, 3 + completion);
    return InferenceResponse.newBuilder()
        .setId(id)
        .setModel("m")
        .setGeneration(
            GenerationResult.newBuilder()
                .setBody(body)
                .setUsage(new GenerationUsage(3, completion, 3 + completion))
                .build())
        .build();
  }

  @Test
  void aReplayWithTheSameCompletionIsIdenticalDespiteNewIdAndTime() {
    var result =
        OutputComparison.compare(answer("a", 1, "the the", 7), answer("b", 2, "the the", 7), 0);
    assertThat(result.verdict()).isEqualTo(Verdict.IDENTICAL);
  }

  @Test
  void aDifferentCompletionIsDifferent() {
    var result =
        OutputComparison.compare(answer("a", 1, "the the", 7), answer("b", 1, "and the", 7), 0);
    assertThat(result.verdict()).isEqualTo(Verdict.DIFFERENT);
    assertThat(result.detail()).isEqualTo("completion text differs");
  }
}
