package dev.kaskade.reconciler.core;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Reads KServe manifests (multi-document YAML or JSON) into typed resources and back. */
public final class ManifestCodec {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ManifestCodec() {}

  /**
   * Parses every document; throws {@link ManifestException} naming the document for YAML errors,
   * unknown kinds and apiVersions, or fields of the wrong type.
   */
  public static List<Manifest> parse(
      String text, String source, Path baseDir, String defaultNamespace) {
    List<Manifest> manifests = new ArrayList<>();
    Iterable<Object> documents;
    List<Object> docs = new ArrayList<>();
    try {
      documents = new Load(LoadSettings.builder().build()).loadAllFromString(text);
      documents.forEach(docs::add);
    } catch (RuntimeException e) {
      throw new ManifestException(source, List.of("not valid YAML: " + e.getMessage()));
    }
    int index = 0;
    for (Object doc : docs) {
      index++;
      if (doc == null) {
        continue;
      }
      String where = docs.size() > 1 ? source + " (document " + index + ")" : source;
      manifests.add(toManifest(doc, where, baseDir, defaultNamespace));
    }
    return manifests;
  }

  @SuppressWarnings("unchecked")
  private static Manifest toManifest(
      Object doc, String where, Path baseDir, String defaultNamespace) {
    if (!(doc instanceof Map<?, ?> map)) {
      throw new ManifestException(where, List.of("a manifest must be a YAML mapping"));
    }
    Map<String, Object> original = (Map<String, Object>) deepCopy(map);
    String kindName = String.valueOf(original.get("kind"));
    ResourceKind kind =
        ResourceKind.fromKind(kindName)
            .orElseThrow(
                () ->
                    new ManifestException(
                        where,
                        List.of(
                            "kind: unknown kind '"
                                + kindName
                                + "' (supported: "
                                + String.join(
                                    ", ",
                                    java.util.Arrays.stream(ResourceKind.values())
                                        .map(ResourceKind::kind)
                                        .toList())
                                + ")")));
    List<String> misplaced = UnknownFields.topLevel(original);
    if (!misplaced.isEmpty()) {
      throw new ManifestException(
          where,
          misplaced.stream()
              .map(
                  key ->
                      key
                          + ": unknown top-level field (a manifest has only apiVersion, kind,"
                          + " metadata, spec and status; is it indented under spec?)")
              .toList());
    }
    Object apiVersion = original.get("apiVersion");
    if (!kind.apiVersion().equals(apiVersion)) {
      throw new ManifestException(
          where,
          List.of(
              "apiVersion: "
                  + kind.kind()
                  + " must have apiVersion "
                  + kind.apiVersion()
                  + ", got '"
                  + apiVersion
                  + "'"));
    }
    HasMetadata resource;
    try {
      resource = SERIALIZATION.convertValue(original, kind.type());
    } catch (RuntimeException e) {
      throw new ManifestException(where, List.of("cannot read fields: " + firstLine(e)));
    }
    if (resource.getMetadata() == null) {
      resource.setMetadata(new ObjectMeta());
    }
    if (kind.namespaced() && resource.getMetadata().getNamespace() == null) {
      resource.getMetadata().setNamespace(defaultNamespace);
    }
    return new Manifest(kind, resource, original, baseDir);
  }

  /** JSON of any model object or map. */
  public static String toJson(Object value) {
    return SERIALIZATION.asJson(value);
  }

  public static String toYaml(Object value) {
    return SERIALIZATION.asYaml(value);
  }

  /** A model object as nested maps and lists. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(Object value) {
    return SERIALIZATION.convertValue(value, Map.class);
  }

  public static <T> T convert(Object value, Class<T> type) {
    return SERIALIZATION.convertValue(value, type);
  }

  public static <T> T fromJson(String json, Class<T> type) {
    return SERIALIZATION.unmarshal(json, type);
  }

  public static <T> T copy(T value) {
    return SERIALIZATION.clone(value);
  }

  private static Object deepCopy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(deepCopy(v)));
      return copy;
    }
    return value;
  }

  private static String firstLine(Exception e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
