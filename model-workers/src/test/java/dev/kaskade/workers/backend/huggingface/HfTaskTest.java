package dev.kaskade.workers.backend.huggingface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.workers.backend.ModelLoadException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HfTaskTest {
  @ParameterizedTest(name = "{0} implies {1}")
  @CsvSource({
    "BertForSequenceClassification, SEQUENCE_CLASSIFICATION",
    "DistilBertForTokenClassification, TOKEN_CLASSIFICATION",
    "RobertaForMaskedLM, FILL_MASK",
    "BertModel, TEXT_EMBEDDING",
    "XLMRobertaModel, TEXT_EMBEDDING",
  })
  void theArchitectureImpliesTheTask(String architecture, HfTask task) throws Exception {
    assertThat(HfTask.resolve(null, List.of(architecture))).isEqualTo(task);
  }

  @ParameterizedTest(name = "--task={0}")
  @CsvSource({
    "sequence_classification, SEQUENCE_CLASSIFICATION",
    "Token-Classification, TOKEN_CLASSIFICATION",
    "fill_mask, FILL_MASK",
  })
  void anExplicitTaskWinsOverTheArchitecture(String name, HfTask task) throws Exception {
    assertThat(HfTask.resolve(name, List.of("BertModel"))).isEqualTo(task);
  }

  @ParameterizedTest(name = "{0} is generative")
  @CsvSource({"GPT2LMHeadModel", "LlamaForCausalLM", "T5ForConditionalGeneration"})
  void generativeArchitecturesAreRefused(String architecture) {
    assertThatThrownBy(() -> HfTask.resolve(null, List.of(architecture)))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("generative");
  }

  @ParameterizedTest(name = "unknown task {0}")
  @CsvSource({"translation", "zero_shot"})
  void anUnknownTaskNamesTheSupportedOnes(String name) {
    assertThatThrownBy(() -> HfTask.resolve(name, List.of()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("text_embedding");
  }
}
