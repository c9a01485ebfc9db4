package dev.kaskade.sink.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The manifest written beside every data file, after it: the file is part of the store only once
 * its manifest exists.
 *
 * @param file key of the data file
 * @param topic source topic
 * @param partition source partition
 * @param namespace namespace of the chain
 * @param isvc InferenceService of the chain
 * @param firstOffset offset of the first record
 * @param lastOffset offset of the last record
 * @param count number of records
 * @param prevOffset offset of the record before the first in the chain (-1: chain start)
 * @param prevChain chain value before the first record (the previous file's lastChain)
 * @param firstChain chain value of the first record
 * @param lastChain chain value of the last record
 * @param minTime smallest ce_time in the file (epoch ms)
 * @param maxTime largest ce_time in the file
 * @param sha256 hex SHA-256 of the data file's bytes
 */
public record Manifest(
    String file,
    String topic,
    int partition,
    String namespace,
    String isvc,
    long firstOffset,
    long lastOffset,
    int count,
    long prevOffset,
    String prevChain,
    String firstChain,
    String lastChain,
    long minTime,
    long maxTime,
    String sha256) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public ChainKey chainKey() {
    return new ChainKey(namespace, isvc, partition);
  }

  public byte[] toJson() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("version", 1);
    n.put("file", file);
    n.put("topic", topic);
    n.put("partition", partition);
    n.put("namespace", namespace);
    n.put("inferenceservice", isvc);
    n.put("firstOffset", firstOffset);
    n.put("lastOffset", lastOffset);
    n.put("count", count);
    n.put("prevOffset", prevOffset);
    n.put("prevChain", prevChain);
    n.put("firstChain", firstChain);
    n.put("lastChain", lastChain);
    n.put("minTime", minTime);
    n.put("maxTime", maxTime);
    n.put("sha256", sha256);
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Manifest fromJson(byte[] json) throws IOException {
    JsonNode n = MAPPER.readTree(json);
    if (n == null || !n.has("file") || !n.has("lastChain")) {
      throw new IOException("not an audit manifest");
    }
    return new Manifest(
        n.get("file").asText(),
        n.path("topic").asText(),
        n.path("partition").asInt(),
        n.path("namespace").asText(),
        n.path("inferenceservice").asText(),
        n.path("firstOffset").asLong(),
        n.path("lastOffset").asLong(),
        n.path("count").asInt(),
        n.path("prevOffset").asLong(),
        n.path("prevChain").asText(),
        n.path("firstChain").asText(),
        n.path("lastChain").asText(),
        n.path("minTime").asLong(),
        n.path("maxTime").asLong(),
        n.path("sha256").asText());
  }
}
