package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.workers.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StandaloneLauncherTest {
  @Test
  void modelMemoryBudgetFlagBecomesTheWorkersBudgetSetting() {
    UpCommand up = new UpCommand();
    new CommandLine(up).parseArgs("--model-memory-budget", "2g");

    assertThat(launcherFor(up.modelMemoryBudget).settings())
        .containsEntry(WorkerConfig.MEMORY_BUDGET, Long.toString(2L << 30));
  }

  @Test
  void withoutTheFlagTheWorkerKeepsItsDefault() {
    UpCommand up = new UpCommand();
    new CommandLine(up).parseArgs();

    assertThat(launcherFor(up.modelMemoryBudget).settings())
        .doesNotContainKey(WorkerConfig.MEMORY_BUDGET);
  }

  private static StandaloneLauncher launcherFor(Long budget) {
    return new StandaloneLauncher(
        new StandaloneOptions(Path.of("data"), 0, 0, 0, 0, List.of(), false, budget), System.out);
  }

  @TempDir Path dataDir;

  @Test
  void theDemoServesIrisTinyLmAndMinilmWrittenOnceIntoTheDataDir() throws Exception {
    StandaloneLauncher launcher =
        new StandaloneLauncher(
            new StandaloneOptions(dataDir, 0, 0, 0, 0, List.of(), true, null), System.out);

    String manifests = launcher.settings().get("control.manifests");

    Path demo = dataDir.resolve("demo");
    Path minilm = demo.resolve("minilm");
    assertThat(manifests.split(","))
        .containsExactly(
            demo.resolve("iris").toString(), demo.resolve("tiny-lm").toString(), minilm.toString());
    assertThat(Files.readString(minilm.resolve("isvc.yaml")))
        .contains("name: minilm")
        .contains("name: huggingface")
        .contains("--task=text_embedding");
    Path onnx = minilm.resolve("model").resolve("model.onnx");
    assertThat(minilm.resolve("model").resolve("tokenizer.json")).isRegularFile();
    FileTime written = Files.getLastModifiedTime(onnx);
    Files.setLastModifiedTime(onnx, FileTime.fromMillis(written.toMillis() - 60_000));
    FileTime before = Files.getLastModifiedTime(onnx);

    launcher.settings();

    assertThat(Files.getLastModifiedTime(onnx)).as("extracted once").isEqualTo(before);
  }

  @Test
  void noDemoServesNoDemoModel() {
    StandaloneLauncher launcher =
        new StandaloneLauncher(
            new StandaloneOptions(dataDir, 0, 0, 0, 0, List.of(), false, null), System.out);

    assertThat(launcher.settings().get("control.manifests")).isEmpty();
    assertThat(dataDir.resolve("demo")).doesNotExist();
  }
}
