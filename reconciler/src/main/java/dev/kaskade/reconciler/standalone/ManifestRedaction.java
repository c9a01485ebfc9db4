package dev.kaskade.reconciler.standalone;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code kaskade get -o yaml|json} must not print from a stored manifest: values of
 * environment variables and annotations whose names say they hold a secret, and the user info and
 * query of URLs (a password, a presigned signature, a token in a logger URL). The stored manifest
 * is unchanged; only the printed copy is masked.
 */
final class ManifestRedaction {
  static final String MASK = "****";
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i).*(secret|token|passw|credential|api[-_]?key|access[-_]?key|private[-_]?key|auth).*");
  private static final Pattern URL_KEY = Pattern.compile("(?i).*(uri|url)s?");

  private ManifestRedaction() {}

  @SuppressWarnings("unchecked")
  static Object mask(String key, Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      boolean secretEnv =
          map.get("name") instanceof String name
              && map.containsKey("value")
              && SECRET_NAME.matcher(name).matches();
      ((Map<String, Object>) map)
          .forEach(
              (k, v) -> {
                if (secretEnv && k.equals("value")) {
                  out.put(k, MASK);
                } else if ("annotations".equals(key) && SECRET_NAME.matcher(k).matches()) {
                  out.put(k, MASK);
                } else {
                  out.put(k, mask(k, v));
                }
              });
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(mask(key, v)));
      return out;
    }
    if (value instanceof String s && key != null && URL_KEY.matcher(key).matches()) {
      return url(s);
    }
    return value;
  }

  /** The URL without user info and query; anything that does not parse is left as it is. */
  static String url(String value) {
    URI uri;
    try {
      uri = URI.create(value);
    } catch (IllegalArgumentException e) {
      return value;
    }
    if (uri.getRawUserInfo() == null && uri.getRawQuery() == null) {
      return value;
    }
    String out = value;
    if (uri.getRawUserInfo() != null) {
      out = out.replace(uri.getRawUserInfo() + "@", MASK + "@");
    }
    if (uri.getRawQuery() != null) {
      out = out.replace("?" + uri.getRawQuery(), "?" + MASK);
    }
    return out;
  }
}
