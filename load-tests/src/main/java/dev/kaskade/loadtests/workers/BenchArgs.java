package dev.kaskade.loadtests.workers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --name value} or {@code --name=value} arguments of a benchmark main. Durations accept
 * {@code 30s}, {@code 500ms}, {@code 2m} or plain seconds.
 */
public final class BenchArgs {
  private final Map<String, String> values = new LinkedHashMap<>();

  public BenchArgs(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got '" + arg + "'");
      }
      String name = arg.substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        values.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        values.put(name, args[++i]);
      } else {
        values.put(name, "true");
      }
    }
  }

  public String string(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  public int integer(String name, int defaultValue) {
    String value = values.get(name);
    return value == null ? defaultValue : Integer.parseInt(value.trim());
  }

  public Duration duration(String name, Duration defaultValue) {
    String value = values.get(name);
    return value == null ? defaultValue : parseDuration(value);
  }

  public static Duration parseDuration(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
    }
    if (value.endsWith("s")) {
      return Duration.ofMillis(
          (long) (Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
    }
    if (value.endsWith("m")) {
      return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)) * 60);
    }
    return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
  }
}
