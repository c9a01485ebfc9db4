package dev.kaskade.reconciler.cluster;

import dev.kaskade.reconciler.core.ManifestCodec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * KServe's placeholders in a ServingRuntime container: KServe renders the whole container (as JSON)
 * as a Go template over the InferenceService's {@code ObjectMeta} ({@code
 * isvcutils.ReplacePlaceholders}), so {@code {{.Name}}}, {@code {{.Namespace}}}, {@code
 * {{.Labels.key}}}, {@code {{.Annotations.key}}} and {@code {{index .Annotations "a/b"}}} work in
 * image, command, args, env and every other field. A missing map key renders as Go's {@code <no
 * value>}. Pure.
 */
final class RuntimeTemplates {
  private static final Pattern FIELD =
      Pattern.compile(
          "\\{\\{-?\\s*\\.(Name|Namespace|UID|GenerateName|(Labels|Annotations)\\.([A-Za-z0-9_]+))\\s*-?}}");
  private static final Pattern INDEX =
      Pattern.compile("\\{\\{-?\\s*index\\s+\\.(Labels|Annotations)\\s+\"([^\"]+)\"\\s*-?}}");
  private static final String NO_VALUE = "<no value>";

  private RuntimeTemplates() {}

  /** The container with every placeholder replaced by the InferenceService's metadata. */
  static Container render(Container container, ObjectMeta meta) {
    String json = ManifestCodec.toJson(container);
    String rendered = renderText(json, meta);
    return rendered.equals(json) ? container : ManifestCodec.fromJson(rendered, Container.class);
  }

  /** Replaces the placeholders in one text (JSON-escaping the values). */
  static String renderText(String text, ObjectMeta meta) {
    String out = replace(FIELD, text, m -> field(meta, m.group(1), m.group(2), m.group(3)));
    return replace(
        INDEX,
        out,
        m ->
            lookup(
                "Labels".equals(m.group(1)) ? meta.getLabels() : meta.getAnnotations(),
                m.group(2)));
  }

  private static String field(ObjectMeta meta, String field, String map, String key) {
    if (map != null) {
      return lookup("Labels".equals(map) ? meta.getLabels() : meta.getAnnotations(), key);
    }
    String value =
        switch (field) {
          case "Name" -> meta.getName();
          case "Namespace" -> meta.getNamespace();
          case "UID" -> meta.getUid();
          default -> meta.getGenerateName();
        };
    return value == null ? "" : value;
  }

  private static String lookup(Map<String, String> values, String key) {
    String value = values == null ? null : values.get(key);
    return value == null ? NO_VALUE : value;
  }

  private static String replace(
      Pattern pattern, String text, java.util.function.Function<Matcher, String> value) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(jsonEscape(value.apply(m))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String jsonEscape(String value) {
    String quoted = ManifestCodec.toJson(value);
    return quoted.substring(1, quoted.length() - 1);
  }
}
