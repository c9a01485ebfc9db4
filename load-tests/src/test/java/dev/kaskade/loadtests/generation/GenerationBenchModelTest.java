package dev.kaskade.loadtests.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.workers.generation.tinylm.TinyLm;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationBenchModelTest {
  @TempDir Path dir;

  @Test
  void theBenchModelIsPacedLikeARealModelByDefaultAndTheReportSaysSo() throws Exception {
    GenerationBenchModel.main(new String[] {dir.toString()});
    JsonObject config =
        new JsonObject(Files.readString(dir.resolve("model").resolve(TinyLm.CONFIG_FILE)));
    assertThat(config.getDouble("token_interval_ms")).isEqualTo(20.0);
    assertThat(config.getInteger("max_concurrent")).isEqualTo(16);
    assertThat(Files.readString(dir.resolve("tiny-lm-bench.yaml"))).contains("name: tiny-lm");
    assertThat(GenerationBenchModel.pace(dir)).startsWith("20 ms per token ≈ 50 tokens/s");
  }

  @Test
  void thePaceCanBeChangedOrSwitchedOff() throws Exception {
    GenerationBenchModel.main(new String[] {dir.toString(), "--token-interval-ms", "0"});
    assertThat(GenerationBenchModel.pace(dir)).startsWith("unpaced");
    assertThat(GenerationBenchModel.pace(dir.resolve("elsewhere"))).startsWith("unknown");
  }
}
