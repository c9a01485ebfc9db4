package dev.kaskade.gateway.bridge;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** W3C trace context: keeps a valid caller {@code traceparent}, or starts a new trace. */
public final class TraceParent {
  private static final Pattern VALID =
      Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  private TraceParent() {}

  public static String fromOrNew(String header) {
    if (header != null) {
      String h = header.trim().toLowerCase(java.util.Locale.ROOT);
      if (VALID.matcher(h).matches()
          && !h.substring(3, 35).matches("0+")
          && !h.substring(36, 52).matches("0+")) {
        return h;
      }
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "00-%016x%016x-%016x-01".formatted(r.nextLong(), r.nextLong() | 1, r.nextLong() | 1);
  }
}
