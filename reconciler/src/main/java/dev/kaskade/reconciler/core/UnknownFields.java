package dev.kaskade.reconciler.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kaskade.reconciler.model.ComponentExtension;
import dev.kaskade.reconciler.model.Extensible;
import dev.kaskade.reconciler.model.ModelSpec;
import dev.kaskade.reconciler.model.ServingRuntimeSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of a manifest that neither Kaskade nor KServe know, as dotted paths ({@code
 * spec.predictor.sklearn.storgeUri}), so that {@code apply} can warn about them the way kubectl
 * warns about unknown fields instead of dropping a typo silently.
 *
 * <p>Model objects keep what they do not model in {@link Extensible#getAdditionalProperties()}.
 * KServe inlines a PodSpec into its component and runtime specs and a Container into its model
 * specs; those fields, and KServe's own fields that Kaskade does not model, are known here.
 */
public final class UnknownFields {
  /** The top-level fields of a Kubernetes object; anything else is refused by the codec. */
  public static final Set<String> TOP_LEVEL =
      Set.of("apiVersion", "kind", "metadata", "spec", "status");

  private static final Set<String> POD_SPEC = jsonProperties(PodSpec.class);
  private static final Set<String> CONTAINER = jsonProperties(Container.class);

  /** KServe fields a model class accepts beyond the ones it declares, most specific first. */
  private static final List<Map.Entry<Class<?>, Set<String>>> KSERVE_FIELDS =
      List.of(
          Map.entry(
              ComponentExtension.class,
              union(
                  POD_SPEC,
                  Set.of(
                      "autoScaling",
                      "deploymentStrategy",
                      "workerSpec",
                      "storageUris",
                      "storageContainerName",
                      "storageUri",
                      "runtimeVersion",
                      "config"))),
          Map.entry(ModelSpec.class, union(CONTAINER, Set.of("storage", "confidential"))),
          Map.entry(
              ServingRuntimeSpec.class,
              union(
                  POD_SPEC,
                  Set.of(
                      "workerSpec",
                      "grpcEndpoint",
                      "grpcDataEndpoint",
                      "httpDataEndpoint",
                      "replicas",
                      "storageHelper",
                      "builtInAdapter",
                      "labels",
                      "annotations"))));

  private UnknownFields() {}

  /** Dotted paths of every unknown field below {@code metadata} and {@code spec}. */
  public static List<String> of(HasMetadata resource) {
    List<String> unknown = new ArrayList<>();
    if (resource.getMetadata() != null) {
      resource.getMetadata().getAdditionalProperties().keySet().stream()
          .map(key -> "metadata." + key)
          .forEach(unknown::add);
    }
    Object spec = specOf(resource);
    if (spec != null) {
      walk(spec, "spec", unknown);
    }
    return unknown;
  }

  /** The top-level keys of a manifest that a Kubernetes object cannot have. */
  public static List<String> topLevel(Map<String, Object> original) {
    boolean storageContainer =
        dev.kaskade.reconciler.model.ClusterStorageContainer.KIND.equals(original.get("kind"));
    return original.keySet().stream()
        .filter(key -> !TOP_LEVEL.contains(key))
        // KServe's ClusterStorageContainer has `disabled` beside spec
        .filter(
            key ->
                !(storageContainer
                    && dev.kaskade.reconciler.model.ClusterStorageContainer.DISABLED.equals(key)))
        .toList();
  }

  private static void walk(Object value, String path, List<String> unknown) {
    switch (value) {
      case Extensible object -> {
        Set<String> known = kserveFields(object.getClass());
        object.getAdditionalProperties().keySet().stream()
            .filter(key -> !known.contains(key))
            .map(key -> path + "." + key)
            .forEach(unknown::add);
        for (Field field : fieldsOf(object.getClass())) {
          Object child = read(field, object);
          if (child != null) {
            walk(child, path + "." + field.getName(), unknown);
          }
        }
      }
      case List<?> list -> {
        for (int i = 0; i < list.size(); i++) {
          if (list.get(i) != null) {
            walk(list.get(i), path + "[" + i + "]", unknown);
          }
        }
      }
      case Map<?, ?> map ->
          map.forEach(
              (key, child) -> {
                if (child != null) {
                  walk(child, path + "." + key, unknown);
                }
              });
      default -> {}
    }
  }

  private static Set<String> kserveFields(Class<?> type) {
    return KSERVE_FIELDS.stream()
        .filter(entry -> entry.getKey().isAssignableFrom(type))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(Set.of());
  }

  /** Declared fields of a model class and its model superclasses, without the unknown-field bag. */
  private static List<Field> fieldsOf(Class<?> type) {
    List<Field> fields = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Extensible.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers())) {
          fields.add(field);
        }
      }
    }
    return fields;
  }

  private static Object read(Field field, Object owner) {
    try {
      field.setAccessible(true);
      return field.get(owner);
    } catch (IllegalAccessException | RuntimeException e) {
      return null;
    }
  }

  private static Object specOf(HasMetadata resource) {
    try {
      return resource.getClass().getMethod("getSpec").invoke(resource);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  private static Set<String> jsonProperties(Class<?> type) {
    Set<String> names = new HashSet<>();
    for (Field field : type.getDeclaredFields()) {
      JsonProperty property = field.getAnnotation(JsonProperty.class);
      if (property != null) {
        names.add(property.value());
      }
    }
    return names;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
