package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StaleGroupMembersTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 4, 50})
  void probesOneGroupOnEachOffsetsPartition(int partitions) {
    List<String> probes = StaleGroupMembers.probeGroupIds(partitions);

    assertThat(probes).hasSize(partitions).doesNotHaveDuplicates();
    for (int partition = 0; partition < partitions; partition++) {
      assertThat(Utils.abs(probes.get(partition).hashCode()) % partitions)
          .as(probes.get(partition))
          .isEqualTo(partition);
    }
  }
}
