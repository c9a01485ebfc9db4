package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code kaskade} launcher's start-up cache (docs/performance.md, "Start-up"): one {@code up
 * --exit-when-ready} run under {@code -XX:AOTCacheOutput} trains it, and later JVMs must be able to
 * use what it wrote.
 */
class StartupCacheIT {
  @TempDir Path workDir;

  @Test
  void exitWhenReadyStopsAfterTheReadyLineAndLeavesAUsableAotCache() throws Exception {
    assumeTrue(Runtime.version().feature() >= 25, "AOT caches need JDK 25 (JEP 514)");
    Path cache = workDir.resolve("up.aot");
    Path dataDir = workDir.resolve("data");
    try (KaskadeProcess training =
        KaskadeProcess.start(
            workDir,
            Map.of(),
            List.of("-XX:AOTCacheOutput=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off"),
            "up",
            "--exit-when-ready",
            "--no-demo",
            "--data-dir",
            dataDir.toString(),
            "--http-port",
            Integer.toString(Ports.freePort()),
            "--grpc-port",
            Integer.toString(Ports.freePort()),
            "--kafka-port",
            Integer.toString(Ports.freePort()),
            "--registry-port",
            Integer.toString(Ports.freePort()))) {
      assertThat(training.awaitExit(Duration.ofMinutes(4))).as("%s", training.output()).isZero();
      List<String> output = training.output();
      assertThat(output).anyMatch(l -> l.contains(UpCommand.READY_LINE));
      assertThat(output).anyMatch(l -> l.contains("Kaskade stopped"));
      assertThat(output).noneMatch(l -> l.contains("[aot") || l.contains("[cds"));
    }
    assertThat(cache).isRegularFile();
    assertThat(Files.size(cache)).isGreaterThan(1_000_000);
    assertThat(dataDir.resolve(InstanceFile.NAME)).doesNotExist();

    // -XX:AOTMode=on makes the JVM refuse to start unless it can map the cache.
    try (KaskadeProcess user =
        KaskadeProcess.start(
            workDir, Map.of(), List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"), "version")) {
      assertThat(user.awaitExit(Duration.ofMinutes(1))).as("%s", user.output()).isZero();
    }
  }
}
