package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code kaskade local-model-agent}: its options and the error without a node name. */
class LocalModelAgentCommandTest {
  @Test
  void takesTheNodeAndTheVolumeRoot() {
    LocalModelAgentCommand command = new LocalModelAgentCommand();
    new CommandLine(command).parseArgs("--node", "gpu-1", "--root", "/data/models");
    assertThat(command.node).isEqualTo("gpu-1");
    assertThat(command.root).isEqualTo(Path.of("/data/models"));
  }

  @Test
  void theRootDefaultsToKServesModelMount() {
    LocalModelAgentCommand command = new LocalModelAgentCommand();
    new CommandLine(command).parseArgs("--node", "gpu-1");
    assertThat(command.root).isEqualTo(Path.of("/mnt/models"));
  }

  @Test
  void withoutANodeNameItSaysHowToGiveOne() {
    LocalModelAgentCommand command = new LocalModelAgentCommand();
    new CommandLine(command).parseArgs("--node", "");
    assertThatThrownBy(command::run)
        .isInstanceOf(CliException.class)
        .hasMessageContaining("--node NAME or the NODE_NAME environment variable");
  }
}
