package dev.kaskade.reconciler.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.reconciler.model.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictorArgsTest {
  static ModelSpec withArgs(Object args) {
    ModelSpec model = new ModelSpec();
    model.setAdditionalProperty("args", args);
    return model;
  }

  @Test
  void huggingfaceserverFlagsBecomeArgsParameters() {
    assertThat(
            PredictorArgs.parameters(
                withArgs(
                    List.of(
                        "--model_name=minilm",
                        "--task",
                        "text_embedding",
                        "--return_probabilities",
                        "--max_length=128"))))
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of(
                "args.model_name", "minilm",
                "args.task", "text_embedding",
                "args.return_probabilities", "true",
                "args.max_length", "128"));
  }

  @Test
  void noArgsOrNonFlagsGiveNothing() {
    assertThat(PredictorArgs.parameters(new ModelSpec())).isEmpty();
    assertThat(PredictorArgs.parameters(withArgs(List.of("positional", "--")))).isEmpty();
    assertThat(PredictorArgs.parameters(withArgs("--task=x"))).isEmpty();
  }
}
