package dev.kaskade.processors.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RowLogTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private KeyValueStore<String, byte[]> store;

  @BeforeEach
  void store() {
    store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("rows"), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    var context = new org.apache.kafka.streams.processor.api.MockProcessorContext<String, byte[]>();
    store.init(context.getStateStoreContext(), store);
  }

  private static List<JsonNode> row(int i) {
    return List.of(
        NODES.numberNode(i),
        NODES.numberNode(i + 0.5),
        NODES.textNode("c" + (i % 3)),
        NODES.booleanNode(i % 2 == 0),
        NODES.nullNode());
  }

  @Test
  void shouldReadBackEveryRowInOrderWithItsJsonKindAfterReload() {
    RowLog log = RowLog.load(store, "m|dw|");
    List<List<JsonNode>> written = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      written.add(row(i));
      log.append(row(i));
    }

    RowLog reloaded = RowLog.load(store, "m|dw|");

    assertThat(reloaded.size()).isEqualTo(150);
    assertThat(reloaded.rows()).isEqualTo(written);
    assertThat(reloaded.rows().get(7).get(0).asText()).isEqualTo("7");
    assertThat(reloaded.rows().get(7).get(1).asText()).isEqualTo("7.5");
    assertThat(store.approximateNumEntries()).isEqualTo(3); // 64 + 64 + 22 rows
  }

  @Test
  void shouldContinueThePartialLastChunkAfterReload() {
    RowLog log = RowLog.load(store, "m|dw|");
    for (int i = 0; i < 70; i++) {
      log.append(row(i));
    }
    RowLog reloaded = RowLog.load(store, "m|dw|");
    for (int i = 70; i < 130; i++) {
      reloaded.append(row(i));
    }

    List<List<JsonNode>> again = RowLog.load(store, "m|dw|").rows();

    assertThat(again).hasSize(130);
    for (int i = 0; i < 130; i++) {
      assertThat(again.get(i)).isEqualTo(row(i));
    }
  }

  @Test
  void shouldForgetRowsOnClearButKeepOtherPrefixes() {
    RowLog window = RowLog.load(store, "m|dw|");
    RowLog reference = RowLog.load(store, "m|dr|");
    for (int i = 0; i < 100; i++) {
      window.append(row(i));
      reference.append(row(i));
    }

    window.clear();
    window.append(row(1));

    assertThat(RowLog.load(store, "m|dw|").rows()).containsExactly(row(1));
    assertThat(RowLog.load(store, "m|dr|").size()).isEqualTo(100);
  }
}
