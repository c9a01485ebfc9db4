package dev.kaskade.schemas.runtime;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Component settings by key ({@code gateway.http.port}). A key may also be given in environment
 * form — upper case, every character that is not a letter or digit as {@code _}, e.g. {@code
 * GATEWAY_HTTP_PORT} from the variable {@code KASKADE_GATEWAY_HTTP_PORT} — so that one rule turns
 * every setting of every component into an environment variable (Helm, KEDA-scaled workers). An
 * exact key wins over its environment form. Immutable.
 */
public final class Settings extends AbstractMap<String, String> {
  private final Map<String, String> exact;
  private final Map<String, String> byEnvName = new HashMap<>();

  private Settings(Map<String, String> entries) {
    this.exact = Map.copyOf(entries);
    exact.forEach((key, value) -> byEnvName.putIfAbsent(envName(key), value));
  }

  public static Settings of(Map<String, String> entries) {
    return entries instanceof Settings settings ? settings : new Settings(entries);
  }

  /**
   * The environment form of a key: {@code gateway.max.body-bytes} → {@code GATEWAY_MAX_BODY_BYTES}.
   */
  public static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  @Override
  public String get(Object key) {
    if (!(key instanceof String name)) {
      return null;
    }
    String value = exact.get(name);
    return value != null ? value : byEnvName.get(envName(name));
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public String getOrDefault(Object key, String defaultValue) {
    String value = get(key);
    return value != null ? value : defaultValue;
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return exact.entrySet();
  }
}
