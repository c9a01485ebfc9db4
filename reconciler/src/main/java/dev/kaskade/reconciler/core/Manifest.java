package dev.kaskade.reconciler.core;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.Map;

/**
 * One parsed document: its kind, the typed resource and the original document (kept so that the
 * control event carries the manifest exactly as written).
 *
 * @param kind the resource kind
 * @param resource the typed resource; unknown fields are kept in its extension maps
 * @param original the document as read, before defaulting
 * @param baseDir the directory relative storage paths resolve against, or null
 */
public record Manifest(
    ResourceKind kind, HasMetadata resource, Map<String, Object> original, Path baseDir) {

  public String name() {
    return resource.getMetadata().getName();
  }

  public String namespace() {
    return kind.keyNamespace(resource.getMetadata().getNamespace());
  }

  /** {@code Kind namespace/name} for messages. */
  public String describe() {
    return kind.kind() + " " + (kind.namespaced() ? namespace() + "/" : "") + name();
  }
}
