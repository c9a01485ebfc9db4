package dev.kaskade.sink.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * A signed statement of the sink about one source partition: "after {@code sequence} flushes, every
 * record below {@code nextOffset} is stored, and each chain ends here". Written to the store beside
 * the checkpoint and published to the compacted anchor topic, where whoever rewrites the store
 * cannot reach it. The signature (Ed25519) covers {@link #canonical()}: every field but the
 * signature, in a fixed order, as compact JSON.
 *
 * @param topic source topic
 * @param partition source partition
 * @param sequence number of this statement for the partition (grows with every flush)
 * @param nextOffset first offset not yet stored
 * @param timeMs when it was signed (epoch ms)
 * @param chains each chain's head, by "namespace/isvc"
 * @param signature base64 Ed25519 signature of {@link #canonical()}, or null before signing
 */
public record SignedHeads(
    String topic,
    int partition,
    long sequence,
    long nextOffset,
    long timeMs,
    Map<String, ChainHead> chains,
    String signature) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public SignedHeads {
    chains = Map.copyOf(new TreeMap<>(chains));
  }

  /**
   * The head of one chain.
   *
   * @param lastOffset offset of its last record
   * @param lastChain hex chain value of its last record
   * @param count records in the chain from its first record (-1 when unknown)
   */
  public record ChainHead(long lastOffset, String lastChain, long count) {}

  /** Key on the anchor topic: one compacted entry per source partition. */
  public String anchorKey() {
    return topic + "/p" + partition;
  }

  public SignedHeads sign(PrivateKey key) {
    try {
      Signature s = Signature.getInstance(SigningKeys.ALGORITHM);
      s.initSign(key);
      s.update(canonical());
      return new SignedHeads(
          topic,
          partition,
          sequence,
          nextOffset,
          timeMs,
          chains,
          Base64.getEncoder().encodeToString(s.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign audit heads with " + key.getAlgorithm(), e);
    }
  }

  /** True when the signature is present and made by the private half of {@code key}. */
  public boolean verifies(PublicKey key) {
    if (signature == null || signature.isEmpty()) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(SigningKeys.ALGORITHM);
      s.initVerify(key);
      s.update(canonical());
      return s.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The signed bytes. */
  public byte[] canonical() {
    return body().toString().getBytes(StandardCharsets.UTF_8);
  }

  private ObjectNode body() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("version", 1);
    n.put("topic", topic);
    n.put("partition", partition);
    n.put("sequence", sequence);
    n.put("nextOffset", nextOffset);
    n.put("time", timeMs);
    ObjectNode c = n.putObject("chains");
    new TreeMap<>(chains)
        .forEach(
            (k, h) ->
                c.putObject(k)
                    .put("lastOffset", h.lastOffset())
                    .put("lastChain", h.lastChain())
                    .put("count", h.count()));
    return n;
  }

  public byte[] toJson() {
    ObjectNode n = body();
    n.put("signature", signature);
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static SignedHeads fromJson(byte[] json) throws IOException {
    JsonNode n = MAPPER.readTree(json);
    if (n == null || !n.has("sequence") || !n.has("chains")) {
      throw new IOException("not signed audit heads");
    }
    Map<String, ChainHead> chains = new TreeMap<>();
    n.get("chains")
        .properties()
        .forEach(
            e ->
                chains.put(
                    e.getKey(),
                    new ChainHead(
                        e.getValue().path("lastOffset").asLong(),
                        e.getValue().path("lastChain").asText(),
                        e.getValue().path("count").asLong(-1))));
    return new SignedHeads(
        n.path("topic").asText(),
        n.path("partition").asInt(),
        n.path("sequence").asLong(),
        n.path("nextOffset").asLong(),
        n.path("time").asLong(),
        chains,
        n.hasNonNull("signature") ? n.get("signature").asText() : null);
  }

  /** For messages: which statement. */
  public String describe() {
    return anchorKey() + " #" + sequence + " (" + java.time.Instant.ofEpochMilli(timeMs) + ")";
  }
}
