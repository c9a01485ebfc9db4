package dev.kaskade.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.kafka.KaskadeHeaders;
import java.nio.file.Files;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadLetterHandlersTest {
  private static final String DLQ = "kaskade.deadletter.stream-processors";
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> in;
  private TestOutputTopic<String, byte[]> out;
  private TestOutputTopic<String, byte[]> dead;

  /** Passes records through; throws what the key names. */
  static final class Throwing implements Processor<String, byte[], String, byte[]> {
    private ProcessorContext<String, byte[]> context;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
      this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
      switch (record.key()) {
        case "overflow" -> throw new StackOverflowError("deep");
        case "linkage" -> throw new NoClassDefFoundError("gone/Missing");
        case "bug" -> throw new IllegalStateException("broken");
        default -> context.forward(record);
      }
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    Topology topology = new Topology();
    topology.addSource(
        "src", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), "in");
    topology.addProcessor("throwing", GuardedProcessor.of(Throwing::new), "src");
    topology.addSink(
        "sink", "out", Serdes.String().serializer(), Serdes.ByteArray().serializer(), "throwing");
    Properties props =
        StreamsProperties.of(
            "dlq-test",
            dev.kaskade.schemas.kafka.KafkaConnection.plaintext("unused:9092"),
            Files.createTempDirectory("dlq"),
            false,
            DLQ,
            1_000_000);
    driver = new TopologyTestDriver(topology, props);
    in = driver.createInputTopic("in", new StringSerializer(), new ByteArraySerializer());
    out = driver.createOutputTopic("out", new StringDeserializer(), new ByteArrayDeserializer());
    dead = driver.createOutputTopic(DLQ, new StringDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void anErrorFromOneRecordDeadLettersItAndTheTaskGoesOn() {
    in.pipeInput("overflow", new byte[] {1});
    in.pipeInput("next", new byte[] {2});

    var letter = dead.readRecord();
    assertThat(letter.key()).isEqualTo("overflow");
    assertThat(letter.value()).containsExactly(1);
    assertThat(KaskadeHeaders.get(letter.headers(), KaskadeHeaders.DLQ_REASON))
        .isEqualTo("INTERNAL");
    assertThat(KaskadeHeaders.get(letter.headers(), KaskadeHeaders.DLQ_MESSAGE))
        .contains("StackOverflowError");
    assertThat(KaskadeHeaders.get(letter.headers(), KaskadeHeaders.DLQ_SOURCE)).isEqualTo("in-0@0");
    assertThat(out.readKeyValue().key).isEqualTo("next");
  }

  @Test
  void linkageErrorsAndExceptionsAreDeadLetteredToo() {
    in.pipeInput("linkage", new byte[] {1});
    in.pipeInput("bug", new byte[] {2});
    in.pipeInput("next", new byte[] {3});

    assertThat(dead.readRecordsToList().stream().map(r -> r.key()).toList())
        .containsExactly("linkage", "bug");
    assertThat(out.readRecordsToList().stream().map(r -> r.key()).toList()).containsExactly("next");
  }
}
