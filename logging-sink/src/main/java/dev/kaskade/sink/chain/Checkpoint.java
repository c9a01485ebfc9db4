package dev.kaskade.sink.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The durable position of one partition: every record below {@code nextOffset} is in the store, and
 * the head (last offset and chain value) of each of the partition's chains. Written after the files
 * of a flush; the Kafka offset commit follows it.
 *
 * @param topic source topic
 * @param partition source partition
 * @param nextOffset first offset not yet stored
 * @param heads head of each chain of this partition, by "namespace/isvc"
 */
public record Checkpoint(String topic, int partition, long nextOffset, Map<String, Head> heads) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The last record of a chain.
   *
   * @param offset its offset (-1 before the first record)
   * @param chain its chain value
   * @param count records in the chain up to here (-1: unknown, a checkpoint written before counts
   *     were kept)
   */
  public record Head(long offset, byte[] chain, long count) {
    public static final Head START = new Head(-1, HashChain.GENESIS, 0);

    /** The head after one more record. */
    public Head next(long nextOffset, byte[] nextChain) {
      return new Head(nextOffset, nextChain, count < 0 ? -1 : count + 1);
    }
  }

  public byte[] toJson() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("topic", topic);
    n.put("partition", partition);
    n.put("nextOffset", nextOffset);
    ObjectNode chains = n.putObject("chains");
    new TreeMap<>(heads)
        .forEach(
            (k, h) ->
                chains
                    .putObject(k)
                    .put("lastOffset", h.offset())
                    .put("lastChain", HashChain.hex(h.chain()))
                    .put("count", h.count()));
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Checkpoint fromJson(byte[] json) throws IOException {
    JsonNode n = MAPPER.readTree(json);
    Map<String, Head> heads = new TreeMap<>();
    n.path("chains")
        .properties()
        .forEach(
            e ->
                heads.put(
                    e.getKey(),
                    new Head(
                        e.getValue().path("lastOffset").asLong(),
                        HashChain.fromHex(e.getValue().path("lastChain").asText()),
                        e.getValue().path("count").asLong(-1))));
    return new Checkpoint(
        n.path("topic").asText(),
        n.path("partition").asInt(),
        n.path("nextOffset").asLong(),
        heads);
  }
}
