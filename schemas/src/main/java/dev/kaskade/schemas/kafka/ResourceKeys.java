package dev.kaskade.schemas.kafka;

/** Record keys of the compacted control topics. */
public final class ResourceKeys {
  private ResourceKeys() {}

  /** Key of a ResourceEvent: {@code kind/namespace/name}. */
  public static String resource(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }

  /**
   * Key of a ComponentStatus: {@code kind/namespace/name/component/revision/instance}; one record
   * per reporting instance so that replicas do not overwrite each other.
   */
  public static String status(
      String kind,
      String namespace,
      String name,
      String component,
      String revision,
      String instance) {
    return String.join("/", kind, namespace, name, component, revision, instance);
  }
}
