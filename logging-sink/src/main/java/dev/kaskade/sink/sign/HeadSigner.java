package dev.kaskade.sink.sign;

import dev.kaskade.sink.chain.Checkpoint;
import dev.kaskade.sink.chain.HashChain;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns each checkpoint of the sink into {@link SignedHeads}, numbering them per partition so that
 * an older statement can never pass for a newer one.
 */
public final class HeadSigner {
  private final PrivateKey key;
  private final Clock clock;
  private final Map<Integer, Long> sequences = new HashMap<>();

  public HeadSigner(PrivateKey key, Clock clock) {
    this.key = key;
    this.clock = clock;
  }

  /** Continues the numbering of a partition from a statement found in the store. */
  public void resume(int partition, long sequence) {
    sequences.merge(partition, sequence, Math::max);
  }

  public SignedHeads sign(Checkpoint checkpoint) {
    long sequence = sequences.merge(checkpoint.partition(), 1L, Long::sum);
    Map<String, SignedHeads.ChainHead> chains = new TreeMap<>();
    checkpoint
        .heads()
        .forEach(
            (k, h) ->
                chains.put(
                    k, new SignedHeads.ChainHead(h.offset(), HashChain.hex(h.chain()), h.count())));
    return new SignedHeads(
            checkpoint.topic(),
            checkpoint.partition(),
            sequence,
            checkpoint.nextOffset(),
            clock.millis(),
            chains,
            null)
        .sign(key);
  }
}
