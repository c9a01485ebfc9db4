package dev.kaskade.schemas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BackgroundPriorityTest {

  @Test
  void lowersOnlyTheCallingThreadToNiceTen() throws Exception {
    assumeTrue(Files.isSymbolicLink(Path.of("/proc/thread-self")), "Linux /proc only");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/renice"))
            || Files.isExecutable(Path.of("/bin/renice")),
        "util-linux renice installed");
    OptionalLong niceBefore =
        BackgroundPriority.niceOf(BackgroundPriority.currentThreadId().orElseThrow());
    assumeTrue(
        niceBefore.orElse(0) < BackgroundPriority.NICE,
        "the tests already run at that nice value or lower priority");
    AtomicReference<OptionalLong> tid = new AtomicReference<>();
    AtomicReference<OptionalLong> niceAfter = new AtomicReference<>();
    AtomicBoolean lowered = new AtomicBoolean();
    Thread background =
        Thread.ofPlatform()
            .start(
                () -> {
                  tid.set(BackgroundPriority.currentThreadId());
                  lowered.set(BackgroundPriority.lowerCurrentThread());
                  niceAfter.set(BackgroundPriority.niceOf(tid.get().orElseThrow()));
                });
    background.join();

    assertThat(lowered).isTrue();
    assertThat(niceAfter.get()).isPresent();
    assertThat(niceAfter.get().getAsLong()).isGreaterThanOrEqualTo(BackgroundPriority.NICE);
    OptionalLong self = BackgroundPriority.currentThreadId();
    assertThat(self).isPresent();
    assertThat(self.getAsLong()).isNotEqualTo(tid.get().getAsLong());
    assertThat(BackgroundPriority.niceOf(self.getAsLong()))
        .as("the test's own thread keeps its priority")
        .isEqualTo(niceBefore);
  }

  @Test
  void aVirtualThreadIsLeftAlone() throws Exception {
    AtomicBoolean lowered = new AtomicBoolean(true);
    Thread.ofVirtual().start(() -> lowered.set(BackgroundPriority.lowerCurrentThread())).join();
    assertThat(lowered).isFalse();
  }
}
