package dev.kaskade.sink.query;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the CLI's time options: ISO-8601 instants, {@code now}, or relative like {@code -1h}. */
public final class TimeSpec {
  private static final Pattern RELATIVE = Pattern.compile("-(\\d+)(ms|s|m|h|d)");

  private TimeSpec() {}

  /** The instant, or null for a null/blank value. */
  public static Instant parse(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    if (v.equals("now")) {
      return now;
    }
    Matcher m = RELATIVE.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      return now.minus(d);
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "time must be an ISO-8601 instant (2026-01-31T12:00:00Z), 'now' or relative like -1h: "
              + value);
    }
  }
}
