package dev.kaskade.gateway.bridge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When the bridge may produce a request from the event loop rather than hand it to a virtual
 * thread. {@code KafkaProducer.send} blocks in two cases only: while its topic's metadata is
 * missing, and while the buffer has no room for the record. So a send goes out inline when its
 * topic took a request within {@link #WARM_MS} (the producer keeps a topic's metadata for {@code
 * metadata.max.idle.ms}, 5 minutes, after its last send, and the serializer already holds the
 * topic's schema id), the record is small, and the requests not yet acknowledged hold well under
 * the producer's buffer. Everything else still waits on a virtual thread: a first call to a new
 * revision, a large tensor, a broker that stopped answering.
 *
 * <p>A hand-off per call was the price of never blocking the loop: waking a carrier thread for
 * every request (docs/performance.md, change 21).
 */
final class InlineSends {
  /** How long after its last acknowledged request a topic counts as warm. */
  static final long WARM_MS = 60_000;

  /** A warm topic's acknowledgement time is rewritten at most this often. */
  static final long REFRESH_MS = 1_000;

  /** The largest record sent inline. */
  static final long MAX_INLINE_RECORD_BYTES = 256 * 1024;

  /**
   * Bytes of requests sent and not yet acknowledged above which every send is offloaded: a quarter
   * of the producer's {@code buffer.memory} (32 MiB, Kafka's default, which the gateway keeps), so
   * an inline append never waits for room.
   */
  static final long MAX_UNACKNOWLEDGED_BYTES = 8L * 1024 * 1024;

  private final Map<String, Long> acknowledgedAt = new ConcurrentHashMap<>();
  private final AtomicLong unacknowledgedBytes = new AtomicLong();

  /** Whether {@code topic} took a request recently enough for its metadata to be in place. */
  boolean warm(String topic, long nowMs) {
    Long last = acknowledgedAt.get(topic);
    return last != null && nowMs - last < WARM_MS;
  }

  /** Whether a record of {@code bytes} can be appended without waiting for buffer room. */
  boolean hasRoomFor(long bytes) {
    return bytes <= MAX_INLINE_RECORD_BYTES && unacknowledgedBytes.get() < MAX_UNACKNOWLEDGED_BYTES;
  }

  /** A record of {@code bytes} is being handed to the producer (either way). */
  void sending(long bytes) {
    unacknowledgedBytes.addAndGet(bytes);
  }

  /** That record was acknowledged or refused. */
  void settled(long bytes) {
    unacknowledgedBytes.addAndGet(-bytes);
  }

  /** The broker acknowledged a request on {@code topic}. */
  void acknowledged(String topic, long nowMs) {
    Long last = acknowledgedAt.get(topic);
    if (last == null || nowMs - last >= REFRESH_MS) {
      acknowledgedAt.put(topic, nowMs);
    }
  }

  long unacknowledgedBytes() {
    return unacknowledgedBytes.get();
  }
}
