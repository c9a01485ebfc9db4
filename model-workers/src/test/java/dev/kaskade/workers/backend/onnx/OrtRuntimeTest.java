package dev.kaskade.workers.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtRuntimeTest {
  @TempDir Path dir;

  @Test
  void telemetryIsDisabledUnlessTheOperatorChose() {
    assertThat(OrtRuntime.needsDisabling(Map.of(), false)).isTrue();
    assertThat(OrtRuntime.needsDisabling(Map.of("PATH", "/bin"), false)).isTrue();
    assertThat(OrtRuntime.needsDisabling(Map.of(OrtRuntime.DISABLE_TELEMETRY, "0"), false))
        .isFalse();
    assertThat(OrtRuntime.needsDisabling(Map.of(), true)).isFalse();
  }

  /**
   * ONNX Runtime 1.29.0's telemetry matched regexes against /proc/self/cmdline and overflowed the
   * stack on a command line of about 4 KB: the JVM died with SIGSEGV (exit 139) loading any model,
   * e.g. GenerativeBenchmark run with {@code java -cp <all jars>}. A child JVM with a 32 KB command
   * line and no ORT_DISABLE_TELEMETRY in its environment must load an ONNX model and run it.
   */
  @Test
  void aJvmWithALongCommandLineLoadsAnOnnxModel() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xss1m");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Dkaskade.test.padding=" + "x".repeat(32 * 1024));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LongCommandLineProbe.class.getName());
    command.add(OnnxTestModels.sumAndDiff(dir).toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove(OrtRuntime.DISABLE_TELEMETRY);
    Process child = builder.start();
    String output = readAll(child);
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).contains("sum=[11.0, 22.0]");
  }

  private static String readAll(Process child) throws IOException {
    try (var in = child.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
