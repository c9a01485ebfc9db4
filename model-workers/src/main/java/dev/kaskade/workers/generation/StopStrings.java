package dev.kaskade.workers.generation;

import java.util.List;

/**
 * Cuts generated text at the first stop string, also when the stop string is split across chunks:
 * text that could be the start of a stop string is held back until the next chunk shows whether it
 * is. Pure; one instance per choice.
 */
public final class StopStrings {
  private final List<String> stops;
  private final StringBuilder held = new StringBuilder();
  private boolean stopped;

  public StopStrings(List<String> stops) {
    this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
  }

  /** Adds generated text; returns what may be emitted now (never text from a stop string on). */
  public String push(String text) {
    if (stopped) {
      return "";
    }
    held.append(text);
    int cut = firstMatch();
    if (cut >= 0) {
      stopped = true;
      String out = held.substring(0, cut);
      held.setLength(0);
      return out;
    }
    int keep = longestPrefixSuffix();
    String out = held.substring(0, held.length() - keep);
    held.delete(0, held.length() - keep);
    return out;
  }

  /** True once a stop string was seen. */
  public boolean stopped() {
    return stopped;
  }

  /** The text held back when generation ends without a stop string. */
  public String flush() {
    String out = stopped ? "" : held.toString();
    held.setLength(0);
    return out;
  }

  private int firstMatch() {
    int best = -1;
    for (String stop : stops) {
      int at = held.indexOf(stop);
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
      }
    }
    return best;
  }

  /** Length of the longest end of the held text that is a proper prefix of some stop string. */
  private int longestPrefixSuffix() {
    int longest = 0;
    for (String stop : stops) {
      for (int len = Math.min(stop.length() - 1, held.length()); len > longest; len--) {
        if (held.toString().regionMatches(held.length() - len, stop, 0, len)) {
          longest = len;
          break;
        }
      }
    }
    return longest;
  }
}
