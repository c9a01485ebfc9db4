package dev.kaskade.gateway.bridge;

import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** W3C trace context: keeps a valid caller {@code traceparent}, or starts a new trace. */
public final class TraceParent {
  private static final Pattern VALID =
      Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
  private static final HexFormat HEX = HexFormat.of();

  private TraceParent() {}

  /**
   * The caller's header, lower-cased, when it is a valid version-00-shaped traceparent with a
   * non-zero trace id and parent id; otherwise a new trace ({@code 00-<trace id>-<parent id>-01}).
   */
  public static String fromOrNew(String header) {
    if (header != null) {
      String h = header.trim().toLowerCase(Locale.ROOT);
      if (VALID.matcher(h).matches() && !allZeros(h, 3, 35) && !allZeros(h, 36, 52)) {
        return h;
      }
    }
    // Called for every request: hex digits directly, not String.format.
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "00-"
        + HEX.toHexDigits(r.nextLong())
        + HEX.toHexDigits(r.nextLong() | 1)
        + "-"
        + HEX.toHexDigits(r.nextLong() | 1)
        + "-01";
  }

  private static boolean allZeros(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
