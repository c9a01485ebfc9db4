package dev.kaskade.schemas.topic;

/**
 * The character sets of Kafka topic names and of Kaskade's request ids, tested without a regular
 * expression. These checks run on every call (the gateway checks the request id and builds the
 * predictor topic's name, the worker checks the reply topic a request names), where a regex matcher
 * cost more than the check itself (docs/performance.md, "The closed loop, decomposed"). Pure.
 */
public final class NameChars {
  private NameChars() {}

  /** True when {@code s} is non-empty and holds only {@code [A-Za-z0-9._-]}, Kafka's topic set. */
  public static boolean isTopicName(CharSequence s) {
    return allIn(s, false);
  }

  /** True when {@code s} is non-empty and holds only {@code [A-Za-z0-9._:-]}: a request id. */
  public static boolean isRequestId(CharSequence s) {
    return allIn(s, true);
  }

  private static boolean allIn(CharSequence s, boolean colon) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-'
              || (colon && c == ':');
      if (!allowed) {
        return false;
      }
    }
    return true;
  }
}
