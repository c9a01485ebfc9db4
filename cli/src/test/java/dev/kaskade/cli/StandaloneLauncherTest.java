package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.workers.WorkerConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
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
        new StandaloneOptions(Path.of("data"), 0, 0, 0, 0, List.of(), false, budget, null),
        System.out);
  }
}
