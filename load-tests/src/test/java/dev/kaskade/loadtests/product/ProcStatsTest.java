package dev.kaskade.loadtests.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatsTest {
  // pid 4242, comm "(java) x" with a space and parentheses, utime 1500, stime 250
  private static final String STAT =
      "4242 ((java) x) S 1 4242 4242 0 -1 4194560 12345 0 0 0 1500 250 0 0 20 0 175 0 "
          + "100 8000000 150000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

  @Test
  void cpuTicksAreUserPlusSystemCountedFromTheLastParenthesis() {
    assertThat(ProcStats.cpuTicks(STAT)).isEqualTo(1750);
  }

  @Test
  void aLineWithoutCommandNameIsRejected() {
    assertThatThrownBy(() -> ProcStats.cpuTicks("garbage"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void threadsAndResidentMemoryComeFromStatus() {
    String status = "Name:\tjava\nVmRSS:\t  614400 kB\nThreads:\t175\n";
    assertThat(ProcStats.statusValue(status, "Threads:")).isEqualTo(175);
    assertThat(ProcStats.statusValue(status, "VmRSS:")).isEqualTo(614400);
  }

  @Test
  void cpuShareIsTicksOverWallTimeInPercentOfOneCore() {
    ProcStats before = new ProcStats(1000, 10, 0);
    ProcStats after = new ProcStats(1760, 10, 0); // 7.6 s of CPU in 20 s
    assertThat(ProcStats.cpuPercentOfOneCore(before, after, 20)).isCloseTo(38.0, within());
  }

  @Test
  void jitThreadsAreTheCompilerThreadsByTheirLinuxNames() {
    assertThat(ProcStats.isJitThread("C2 CompilerThre")).isTrue();
    assertThat(ProcStats.isJitThread("C1 CompilerThre")).isTrue();
    assertThat(ProcStats.isJitThread("VM Thread")).isFalse();
    assertThat(ProcStats.isJitThread("audit-sink")).isFalse();
  }

  @Test
  void thisJvmsCompilerThreadsHaveUsedCpuAndNoMoreThanTheWholeProcess() throws Exception {
    long pid = ProcessHandle.current().pid();
    long sum = 0;
    for (int i = 0; i < 2_000_000; i++) {
      sum += Integer.toString(i).hashCode(); // something for the JIT to compile
    }
    assertThat(sum).isNotZero();
    long jit = ProcStats.jitTicks(pid);
    assertThat(jit).isPositive().isLessThanOrEqualTo(ProcStats.of(pid).cpuTicks());
  }

  @Test
  void readsThisJvmsOwnProcessEntry() throws Exception {
    ProcStats self = ProcStats.of(ProcessHandle.current().pid());
    assertThat(self.threads()).isPositive();
    assertThat(self.rssBytes()).isGreaterThan(1024 * 1024);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
