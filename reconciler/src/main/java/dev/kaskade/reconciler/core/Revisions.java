package dev.kaskade.reconciler.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Revision ids: {@code <isvc>-<component>-<first 8 hex of SHA-256 of the canonical spec JSON>}.
 * Fields that do not change what is served (traffic split and scaling) are left out, so changing
 * {@code canaryTrafficPercent} or replicas never creates a revision.
 */
public final class Revisions {
  static final Set<String> NOT_REVISIONED =
      Set.of(
          "canaryTrafficPercent",
          "minReplicas",
          "maxReplicas",
          "scaleTarget",
          "scaleMetric",
          "scaleMetricType",
          "autoScaling",
          "deploymentStrategy");

  private Revisions() {}

  /** The revision id of a component (predictor, transformer) from its spec object. */
  public static String revision(String isvc, String component, Object componentSpec) {
    Map<String, Object> spec = new TreeMap<>(ManifestCodec.toMap(componentSpec));
    NOT_REVISIONED.forEach(spec::remove);
    return isvc + "-" + component + "-" + sha256Hex(canonicalJson(spec)).substring(0, 8);
  }

  /** JSON with object keys sorted at every level, so equal specs hash equally. */
  static String canonicalJson(Object value) {
    return ManifestCodec.toJson(sorted(value));
  }

  private static Object sorted(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> result = new TreeMap<>();
      map.forEach((k, v) -> result.put(String.valueOf(k), sorted(v)));
      return result;
    }
    if (value instanceof List<?> list) {
      List<Object> result = new ArrayList<>();
      list.forEach(v -> result.add(sorted(v)));
      return result;
    }
    return value;
  }

  static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
